package com.meterit.sync.core;

import com.meterit.sync.api.BackoffPolicy;
import com.meterit.sync.api.ClientSystemGateway;
import com.meterit.sync.api.HealthThresholds;
import com.meterit.sync.api.ReadingSource;
import com.meterit.sync.api.SyncHistory;
import com.meterit.sync.api.SyncListener;
import com.meterit.sync.core.time.Scheduler;
import com.meterit.sync.core.time.Sleeper;
import com.meterit.sync.core.time.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Builds a {@link SyncManager}; obtained from {@link SyncManager#builder}. Every setter validates
 * at once and names the setting it refuses. Not thread-safe; {@link #build()} copies, so reusing
 * a builder never changes a manager already built.
 */
public final class SyncManagerBuilder {
  ReadingSource source;
  ClientSystemGateway gateway;
  Duration syncInterval = SyncManager.DEFAULT_SYNC_INTERVAL;
  int batchSize = SyncManager.DEFAULT_BATCH_SIZE;
  int maxRetries = SyncManager.DEFAULT_MAX_RETRIES;
  int maxInProgressRetries = SyncManager.DEFAULT_MAX_IN_PROGRESS_RETRIES;
  Duration heartbeatInterval = SyncManager.DEFAULT_HEARTBEAT_INTERVAL;
  BackoffPolicy backoffPolicy = BackoffPolicy.exponentialWithFullJitter();
  Duration probeInterval = ConnectivityMonitor.DEFAULT_PROBE_INTERVAL;
  BackoffPolicy offlineBackoff = ConnectivityMonitor.DEFAULT_OFFLINE_BACKOFF;
  final List<SyncListener> listeners = new ArrayList<>();
  Clock clock = Clock.systemUTC();
  Ticker ticker;
  Scheduler scheduler;
  Executor executor;
  Executor backgroundExecutor;
  Executor uploadExecutor;
  // 0: the window's ceiling follows the heap budget (UploadWindow.ceiling).
  int maxInFlight;
  DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
  Sleeper sleeper;
  SyncHistory history;
  boolean pipelining = true;
  HealthThresholds healthThresholds = HealthThresholds.defaults();
  Duration reconnectSpread = SyncManager.DEFAULT_RECONNECT_SPREAD;

  SyncManagerBuilder() {}

  /**
   * The queue to drain, such as {@code sync-jdbc}'s {@code JdbcReadingSource}. Required: it has
   * no default.
   */
  public SyncManagerBuilder setSource(ReadingSource source) {
    this.source = Objects.requireNonNull(source, "source");
    return this;
  }

  /**
   * Where readings go: the Client System, usually an {@link
   * com.meterit.sync.core.http.HttpClientSystemGateway}. Required: it has no default.
   */
  public SyncManagerBuilder setGateway(ClientSystemGateway gateway) {
    this.gateway = Objects.requireNonNull(gateway, "gateway");
    return this;
  }

  /**
   * Takes the sync interval, batch size, retries and heartbeat interval of {@code config}, as read
   * by {@link SyncConfig#fromEnv()}, and its cap on batches in flight when it sets one.
   */
  public SyncManagerBuilder setConfig(SyncConfig config) {
    Objects.requireNonNull(config, "config");
    config.maxInFlight().ifPresent(this::setMaxInFlight);
    return setSyncInterval(config.syncInterval())
        .setBatchSize(config.batchSize())
        .setMaxRetries(config.maxRetries())
        .setHeartbeatInterval(config.heartbeatInterval());
  }

  /**
   * The pause between the end of one run and the start of the next scheduled one, from 1 second
   * to 24 hours. Default {@link SyncManager#DEFAULT_SYNC_INTERVAL}. A run drains the whole queue,
   * so this is the latency of a quiet gateway, not a throughput limit.
   */
  public SyncManagerBuilder setSyncInterval(Duration syncInterval) {
    this.syncInterval = SettingBounds.checkSyncInterval("syncInterval", syncInterval);
    return this;
  }

  /**
   * The most readings per upload, from 1 to 100,000. Default
   * {@link SyncManager#DEFAULT_BATCH_SIZE}. Memory is bounded by this, never by the backlog.
   */
  public SyncManagerBuilder setBatchSize(int batchSize) {
    this.batchSize = SettingBounds.checkBatchSize("batchSize", batchSize);
    return this;
  }

  /**
   * Retries of a transient failure before a run gives up, from 0 to 100. Default
   * {@link SyncManager#DEFAULT_MAX_RETRIES}. The readings stay queued for the next run either way.
   */
  public SyncManagerBuilder setMaxRetries(int maxRetries) {
    this.maxRetries = SettingBounds.checkMaxRetries("maxRetries", maxRetries);
    return this;
  }

  /**
   * How often a batch is sent again, within a run, while the Client System answers 409 ("a
   * request with this Idempotency-Key is still being processed", as after a retry that overtook a
   * slow first attempt), from 0 to 100. Default {@link SyncManager#DEFAULT_MAX_IN_PROGRESS_RETRIES}.
   * Each time it waits as {@link #setBackoffPolicy(BackoffPolicy)} says, plus the server's
   * {@code Retry-After}; these answers do not count against {@link #setMaxRetries(int)}. Past
   * them, or past a minute of such waits in all, the batch is set aside, still journaled, and
   * the run goes on; a later run sends it
   * again, unchanged, under the same key. A 409 never frees or re-forms a batch's readings.
   */
  public SyncManagerBuilder setMaxInProgressRetries(int maxInProgressRetries) {
    this.maxInProgressRetries = SettingBounds.checkInt(
        "maxInProgressRetries", maxInProgressRetries, 0, SettingBounds.MAX_RETRIES);
    return this;
  }

  /**
   * The pause between heartbeats, from 5 seconds to 24 hours. Default
   * {@link SyncManager#DEFAULT_HEARTBEAT_INTERVAL}.
   */
  public SyncManagerBuilder setHeartbeatInterval(Duration heartbeatInterval) {
    this.heartbeatInterval =
        SettingBounds.checkHeartbeatInterval("heartbeatInterval", heartbeatInterval);
    return this;
  }

  /** The wait between retries. Default {@link BackoffPolicy#exponentialWithFullJitter()}. */
  public SyncManagerBuilder setBackoffPolicy(BackoffPolicy backoffPolicy) {
    this.backoffPolicy = Objects.requireNonNull(backoffPolicy, "backoffPolicy");
    return this;
  }

  /**
   * The pause between health probes while connected. Default 30 seconds.
   */
  public SyncManagerBuilder setConnectivityProbeInterval(Duration probeInterval) {
    this.probeInterval = SettingBounds.checkProbeInterval("probeInterval", probeInterval);
    return this;
  }

  /**
   * The pacing of health probes while offline. Default: decorrelated jitter from 5 seconds to 5
   * minutes.
   */
  public SyncManagerBuilder setConnectivityBackoff(BackoffPolicy offlineBackoff) {
    this.offlineBackoff = Objects.requireNonNull(offlineBackoff, "offlineBackoff");
    return this;
  }

  /** Adds a listener. Listeners are called in the order added. */
  public SyncManagerBuilder addListener(SyncListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
    return this;
  }

  /**
   * The wall clock for timestamps and statistics windows. Default: the UTC system clock. Waits,
   * deadlines and timers never read it: they run on the {@link #setTicker ticker}.
   */
  public SyncManagerBuilder setClock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /**
   * The monotonic time that every wait, deadline and timer of the engine is measured on (a
   * {@code Retry-After} pause, lease renewals, the pacing of runs), so that a step of the wall
   * clock never stretches or cuts one. Default {@link Ticker#system()}, or the {@link #setClock
   * clock} itself when it is also a {@code Ticker}, as a
   * {@link com.meterit.sync.core.testing.ManualClock} is: a test that steps the wall clock alone
   * then sees every wait keep to monotonic time. A host's {@link #setScheduler scheduler} must time
   * its tasks on the same monotonic time.
   */
  public SyncManagerBuilder setTicker(Ticker ticker) {
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    return this;
  }

  /**
   * The scheduler for the sync, heartbeat and probe timers. Default: one daemon thread named
   * {@code meter-sync-scheduler-1}, shut down by {@code stop()}. A host's scheduler is never shut
   * down by the manager.
   */
  public SyncManagerBuilder setScheduler(Scheduler scheduler) {
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    return this;
  }

  /**
   * The executor that runs sync runs, one at a time. Default: one daemon thread named
   * {@code meter-sync-worker-1}, shut down by {@code stop()}. A host's executor is never shut
   * down by the manager.
   */
  public SyncManagerBuilder setExecutor(Executor executor) {
    this.executor = Objects.requireNonNull(executor, "executor");
    return this;
  }

  /**
   * The executor for the work around runs that may wait on the network or the database:
   * heartbeats, configuration downloads, health probes and lease renewals, so that none of them
   * holds up the scheduler's timers. Default: a daemon thread named
   * {@code meter-sync-background-1}, and another, {@code meter-sync-lease-1}, so that a stalled
   * heartbeat never delays a renewal; both shut down by {@code stop()}. A host's executor runs
   * all of it, and is never shut down by the manager.
   */
  public SyncManagerBuilder setBackgroundExecutor(Executor backgroundExecutor) {
    this.backgroundExecutor = Objects.requireNonNull(backgroundExecutor, "backgroundExecutor");
    return this;
  }

  /**
   * The most batches in flight at once, from 1 to 64: a hard cap. Default: none but the heap
   * budget, at most {@link SyncManager#DEFAULT_MAX_IN_FLIGHT} batches and {@link
   * SyncManager#WINDOW_HEAP_BUDGET_BYTES} of them at {@link SyncManager#HEAP_BYTES_PER_READING}
   * per reading (32 batches of 1,000 readings). Below its ceiling the window follows the link: it
   * grows while the answers' latency shows the link has room (a satellite link's round trip
   * holds about 16 batches of 1,000, LTE-M's 2), holds once batches only queue, and halves on
   * 429, 503 and timeouts. Set it to keep a gateway below that, for a server that cannot take
   * more from each gateway of its fleet; 1 sends one batch at a time. With it set, the heap is
   * bounded by the batch size times this, and no budget applies.
   */
  public SyncManagerBuilder setMaxInFlight(int maxInFlight) {
    this.maxInFlight = SettingBounds.checkMaxInFlight("maxInFlight", maxInFlight);
    return this;
  }

  /**
   * Where the batches in flight are uploaded, one task each. Default: daemon threads named {@code
   * meter-sync-upload-N}, at most {@code maxInFlight} (or {@link SyncManager#DEFAULT_MAX_IN_FLIGHT}
   * without it), started only when no idle one can take a batch, so about as many as the window
   * holds in flight, and each ended after 5 s without work; none when {@code maxInFlight} is 1
   * (the run's own thread uploads). Shut down by {@code stop()}. An executor that runs tasks on the
   * caller's thread uploads one batch at a time. A host's executor is never shut down.
   */
  public SyncManagerBuilder setUploadExecutor(Executor uploadExecutor) {
    this.uploadExecutor = Objects.requireNonNull(uploadExecutor, "uploadExecutor");
    return this;
  }

  /** The source of random values in [0, 1) for backoff jitter. */
  public SyncManagerBuilder setRandom(DoubleSupplier random) {
    this.random = Objects.requireNonNull(random, "random");
    return this;
  }

  /** How backoff delays are waited out. Default: a wait that {@code stop()} cuts short. */
  public SyncManagerBuilder setSleeper(Sleeper sleeper) {
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    return this;
  }

  /**
   * Whether a run claims the next batch while the current one uploads, on a daemon thread named
   * {@code meter-sync-prefetch-1}. Default true: it keeps the database and the network busy at
   * the same time, which roughly doubles the speed of a backlog drain. False claims on the run's
   * thread, one batch after the other.
   */
  public SyncManagerBuilder setPipelining(boolean pipelining) {
    this.pipelining = pipelining;
    return this;
  }

  /**
   * The limits on sync lag and outage length past which {@link
   * com.meterit.sync.api.SyncStatus#health()} turns degraded and then failing. Default {@link
   * HealthThresholds#defaults()}.
   */
  public SyncManagerBuilder setHealthThresholds(HealthThresholds healthThresholds) {
    this.healthThresholds = Objects.requireNonNull(healthThresholds, "healthThresholds");
    return this;
  }

  /**
   * How far the first run after a reconnection is spread: it starts at a random point between
   * now and this, or the sync interval if that is shorter, instead of at once. Default
   * {@link SyncManager#DEFAULT_RECONNECT_SPREAD}; {@link Duration#ZERO} runs at once. A fleet
   * that lost the server together finds it again together; spread, its backlogs reach the server
   * at about the rate of its steady state rather than all at once (docs/fleet.md).
   */
  public SyncManagerBuilder setReconnectSpread(Duration reconnectSpread) {
    Objects.requireNonNull(reconnectSpread, "reconnectSpread");
    if (reconnectSpread.isNegative() || reconnectSpread.compareTo(Duration.ofDays(1)) > 0) {
      throw new IllegalArgumentException(
          "reconnectSpread must be between 0 and 24 hours: " + reconnectSpread);
    }
    this.reconnectSpread = reconnectSpread;
    return this;
  }

  /** The ticker set, or the default: the clock when it is one, else the system's. */
  Ticker ticker() {
    if (ticker != null) {
      return ticker;
    }
    return clock instanceof Ticker ? (Ticker) clock : Ticker.system();
  }

  /** Where runs are recorded. Default: an {@link InMemorySyncHistory}. */
  public SyncManagerBuilder setHistory(SyncHistory history) {
    this.history = Objects.requireNonNull(history, "history");
    return this;
  }

  /**
   * Builds a manager that is not started yet.
   *
   * @throws IllegalStateException naming the first required setting that is missing: {@code
   *     "source must be set"} or {@code "gateway must be set"}
   */
  public SyncManager build() {
    if (source == null) {
      throw new IllegalStateException("source must be set");
    }
    if (gateway == null) {
      throw new IllegalStateException("gateway must be set");
    }
    return new SyncManager(this);
  }
}

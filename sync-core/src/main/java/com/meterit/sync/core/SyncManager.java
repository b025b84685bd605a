package com.meterit.sync.core;

import com.meterit.sync.api.ClientSystemGateway;
import com.meterit.sync.api.GatewayException;
import com.meterit.sync.api.Heartbeat;
import com.meterit.sync.api.ReadingSource;
import com.meterit.sync.api.SyncHistory;
import com.meterit.sync.api.SyncOutcome;
import com.meterit.sync.api.SyncRun;
import com.meterit.sync.api.SyncState;
import com.meterit.sync.api.SyncStats;
import com.meterit.sync.api.SyncStatus;
import com.meterit.sync.api.SyncTotals;
import com.meterit.sync.core.internal.run.BatchUploader;
import com.meterit.sync.core.internal.run.CredentialCheck;
import com.meterit.sync.core.internal.run.HeldBatches;
import com.meterit.sync.core.internal.run.LearnedBatchSize;
import com.meterit.sync.core.internal.run.LeaseKeeper;
import com.meterit.sync.core.internal.run.RunLoop;
import com.meterit.sync.core.internal.run.StopSignal;
import com.meterit.sync.core.internal.run.UploadWindow;
import com.meterit.sync.core.time.Scheduler;
import com.meterit.sync.core.time.Sleeper;
import com.meterit.sync.core.time.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves readings from a {@link ReadingSource} to the Client System: on a schedule, in batches,
 * with retries, offline operation and auto-resume, heartbeats and remote configuration.
 *
 * <pre>{@code
 * SyncManager manager = SyncManager.builder()
 *     .setSource(source)
 *     .setGateway(gateway)
 *     .setSyncInterval(Duration.ofMinutes(5))
 *     .build();
 * manager.start();
 * SyncStatus status = manager.getStatus();
 * manager.close();
 * }</pre>
 *
 * <p>A run drains the whole queue, with up to {@code setMaxInFlight} batches in flight, and only
 * one run happens at a time: {@link #triggerSync()} during a run joins it. A reading is acknowledged only after the server
 * accepted it; every failure, and {@link #stop()}, leaves unsent readings queued.
 *
 * <p>Thread-safe. A manager runs once: after {@code stop()} it cannot be started again.
 */
public final class SyncManager implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SyncManager.class);

  /** The default pause between scheduled runs: 5 minutes, as in the original service. */
  public static final Duration DEFAULT_SYNC_INTERVAL = Duration.ofMinutes(5);
  /** The default most readings per upload: {@value}. */
  public static final int DEFAULT_BATCH_SIZE = 1000;
  /** The default retries of a transient failure within a run: {@value}. */
  public static final int DEFAULT_MAX_RETRIES = 5;
  /**
   * The default number of 409 answers ("a request with this key is still being processed") a
   * batch is sent again for within a run, with backoff, before it is set aside for a later run:
   * {@value}.
   */
  public static final int DEFAULT_MAX_IN_PROGRESS_RETRIES = 5;
  /** The default pause between heartbeats: 60 seconds. */
  public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(60);
  /**
   * The most batches in flight at once without {@link SyncManagerBuilder#setMaxInFlight}:
   * {@value}. Below it the window follows the link (see {@link SyncManagerBuilder#setMaxInFlight})
   * and the heap budget, {@link #WINDOW_HEAP_BUDGET_BYTES}.
   */
  public static final int DEFAULT_MAX_IN_FLIGHT = UploadWindow.MAX_CEILING;
  /**
   * The heap the batches in flight may hold without {@link SyncManagerBuilder#setMaxInFlight}:
   * {@value} bytes (8 MiB). The window's ceiling is this over {@code batchSize ×} {@link
   * #HEAP_BYTES_PER_READING}: 32 batches of 1,000 readings, 6 of 5,000, one of 32,000 or more.
   */
  public static final long WINDOW_HEAP_BUDGET_BYTES = UploadWindow.HEAP_BUDGET_BYTES;
  /**
   * The heap a reading in flight is counted at: {@value} bytes. Measured, a claimed reading
   * (its id, a meter id and a unit as a JDBC driver returns them, an instant, a three-decimal
   * value) holds about 190 bytes; the rest covers its share of the compressed body, the batch's
   * lists and a longer meter id.
   */
  public static final int HEAP_BYTES_PER_READING = UploadWindow.HEAP_BYTES_PER_READING;
  /**
   * The default spread of the first run after a reconnection: 5 minutes, and never more than the
   * sync interval. See {@link SyncManagerBuilder#setReconnectSpread(Duration)}.
   */
  public static final Duration DEFAULT_RECONNECT_SPREAD = Duration.ofMinutes(5);
  /** How long {@link #close()} waits for the batch in flight: 30 seconds. */
  public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(30);

  private enum Lifecycle { NEW, RUNNING, STOPPING, STOPPED }

  private final ReadingSource source;
  private final ClientSystemGateway gateway;
  private final Clock clock;
  private final Ticker ticker;
  private final Executor executor;
  private final EngineThreads threads;
  private final UploadWindow window;
  private final LeaseKeeper leases;
  private final Listeners listeners;
  private final SyncHistory history;
  private final ConnectivityMonitor monitor;
  private final LearnedBatchSize learnedBatchSize = new LearnedBatchSize();
  private final BatchUploader uploader;
  private final RunLoop runLoop;
  private final LiveSettings configuration;
  private final Heartbeats heartbeats;
  private final BacklogAndTotals board;
  private final RunReporter reports;
  private final StatusSnapshots statusAssembly;
  private final StopSignal stop = new StopSignal();
  private final RunTimer timer;

  private final Object lock = new Object();
  // Guarded by lock.
  private Lifecycle lifecycle = Lifecycle.NEW;
  private CompletableFuture<SyncRun> currentRun;
  private CompletableFuture<Void> stopFuture;
  /** When start() was called, on the ticker: the heartbeat's uptime is measured from it. */
  private long startedNanos;

  private final EngineState state;

  SyncManager(SyncManagerBuilder b) {
    this.source = b.source;
    this.gateway = b.gateway;
    this.clock = b.clock;
    this.ticker = b.ticker();
    this.threads = new EngineThreads(b);
    Scheduler scheduler = threads.scheduler;
    this.timer = new RunTimer(scheduler, clock, ticker, b.random, b.reconnectSpread,
        this::triggerSync);
    this.executor = threads.runs;
    Executor background = threads.background;
    this.listeners = new Listeners(b.listeners);
    this.state = new EngineState(listeners, stop);
    this.history = b.history != null ? b.history : new InMemorySyncHistory();
    this.board = new BacklogAndTotals(source, clock.instant());
    Sleeper sleeper = b.sleeper != null
        ? b.sleeper
        : stop.sleeper();
    this.monitor = ConnectivityMonitor.builder(gateway)
        .setScheduler(scheduler)
        .setClock(clock)
        .setTicker(ticker)
        .setRandom(b.random)
        .setProbeInterval(b.probeInterval)
        .setOfflineBackoff(b.offlineBackoff)
        .setExecutor(background)
        .addListener(new ConnectivityListener() {
          @Override
          public void connected() {
            onConnected();
          }

          @Override
          public void disconnected() {
            onDisconnected();
          }
        })
        .build();
    this.window = new UploadWindow(b.maxInFlight, b.batchSize, ticker, sleeper, stop);
    this.uploader = new BatchUploader(gateway, b.backoffPolicy, b.random, sleeper,
        stop, state, window, b.maxInProgressRetries, learnedBatchSize);
    this.configuration = new LiveSettings(gateway,
        new RunSettings(b.syncInterval, b.batchSize, b.maxRetries, b.heartbeatInterval, null),
        listeners, this::configurationApplied);
    this.heartbeats = new Heartbeats(
        gateway, scheduler, background, configuration, listeners, this::heartbeatSnapshot);
    this.leases = new LeaseKeeper(source, clock, ticker, scheduler, threads.leases);
    this.reports = new RunReporter(board, history, listeners, monitor, state::set, stop);
    this.statusAssembly = new StatusSnapshots(clock, monitor, reports, configuration, window,
        b.healthThresholds);
    this.runLoop = new RunLoop(new HeldBatches(source, leases), uploader, listeners, clock,
        ticker, stop, threads.prefetch, window, threads.uploads, new CredentialCheck(gateway));
  }

  /**
   * Starts building a manager. The source and the gateway have no default: set both, or
   * {@link SyncManagerBuilder#build()} names the one missing.
   */
  public static SyncManagerBuilder builder() {
    return new SyncManagerBuilder();
  }

  /**
   * Starts building a manager for {@code source} and {@code gateway}: a shortcut for
   * {@link #builder()} with {@link SyncManagerBuilder#setSource} and
   * {@link SyncManagerBuilder#setGateway}, the form the documentation shows.
   */
  public static SyncManagerBuilder builder(ReadingSource source, ClientSystemGateway gateway) {
    return builder().setSource(source).setGateway(gateway);
  }

  /**
   * Builds a manager configured by {@link SyncConfig#fromEnv()}: {@code SYNC_INTERVAL_MINUTES},
   * {@code BATCH_SIZE}, {@code MAX_RETRIES} and {@code HEARTBEAT_INTERVAL_SECONDS}.
   *
   * @throws com.meterit.sync.api.ConfigurationException naming a missing or malformed variable
   */
  public static SyncManager fromEnv(ReadingSource source, ClientSystemGateway gateway) {
    return builder().setSource(source).setGateway(gateway).setConfig(SyncConfig.fromEnv()).build();
  }

  /**
   * Starts the schedule: a run at once (to drain what queued while the process was down), then
   * one every sync interval, plus heartbeats and connectivity probes. Claims left behind by an
   * earlier process are released first. Idempotent.
   *
   * @throws IllegalStateException when the manager was stopped
   */
  public void start() {
    synchronized (lock) {
      if (lifecycle == Lifecycle.RUNNING) {
        return;
      }
      if (lifecycle != Lifecycle.NEW) {
        throw new IllegalStateException("a stopped SyncManager cannot start again");
      }
      lifecycle = Lifecycle.RUNNING;
      startedNanos = ticker.nanos();
    }
    try {
      int recovered = source.recoverClaims();
      if (recovered > 0) {
        log.info("Giving back {} batches an earlier process of this worker held; they go out "
            + "again unchanged", recovered);
      }
    } catch (RuntimeException e) {
      log.warn("Could not give back earlier claims; they return when their leases lapse", e);
    }
    state.set(SyncState.IDLE);
    log.info("meter-sync started: {}", configuration.current());
    synchronized (lock) {
      // A stop() that raced this start() has already stopped the monitor and the timers.
      if (lifecycle != Lifecycle.RUNNING) {
        return;
      }
      monitor.start();
      heartbeats.scheduleIn(Duration.ZERO);
    }
    triggerSync();
  }

  /**
   * Starts a run now, or joins the run in progress.
   *
   * @return the run's record, completed when it ends. Completed at once with a
   *     {@link SyncOutcome#SKIPPED} run when the manager is not running or the Client System is
   *     offline. Never completed exceptionally.
   */
  public CompletableFuture<SyncRun> triggerSync() {
    CompletableFuture<SyncRun> run;
    synchronized (lock) {
      if (currentRun != null) {
        return currentRun.copy();
      }
      if (lifecycle != Lifecycle.RUNNING) {
        return CompletableFuture.completedFuture(
            SyncRun.skipped(clock.instant(), "the manager is not running"));
      }
      if (!monitor.isConnected()) {
        timer.scheduleIn(configuration.current().syncInterval);
        return CompletableFuture.completedFuture(
            SyncRun.skipped(clock.instant(), "the Client System is offline"));
      }
      run = new CompletableFuture<>();
      currentRun = run;
      timer.cancel();
    }
    try {
      executor.execute(() -> execute(run));
    } catch (RejectedExecutionException e) {
      synchronized (lock) {
        currentRun = null;
      }
      run.complete(SyncRun.skipped(clock.instant(), "the executor refused the run: " + e));
    }
    return run.copy();
  }

  private void execute(CompletableFuture<SyncRun> future) {
    SyncRun run = null;
    Throwable ended = null;
    long runStartedNanos = ticker.nanos();
    try {
      reports.started(clock.instant());
      state.set(SyncState.SYNCING);
      listeners.onSyncStarted();
      RunSettings settings = configuration.current();
      RunLoop.Result result = runLoop.run(settings.batchSize, settings.maxRetries);
      run = result.run();
      reports.finished(result);
      ended = result.cause();
    } catch (Throwable t) {
      // Its length on the ticker, as RunLoop measures it: a clock step must not make it negative.
      Instant startedAt = reports.lastAttemptAt();
      run = new SyncRun(startedAt, startedAt.plusNanos(ticker.nanos() - runStartedNanos),
          SyncOutcome.FAILED, 0, 0, 0, 0, String.valueOf(t));
      reports.failedUnexpectedly(run, t);
      if (t instanceof VirtualMachineError) {
        throw (VirtualMachineError) t;
      }
    } finally {
      synchronized (lock) {
        currentRun = null;
        if (lifecycle == Lifecycle.RUNNING) {
          timer.afterRun(ended, configuration.current().syncInterval);
        }
      }
      future.complete(run);
    }
  }

  /**
   * Stops gracefully: timers stop, a backoff wait is cut short, and the batch in flight is
   * finished or released. Nothing unsent is ever marked sent. Idempotent.
   *
   * @return completed when the manager has stopped
   */
  public CompletableFuture<Void> stop() {
    CompletableFuture<SyncRun> running;
    synchronized (lock) {
      if (stopFuture != null) {
        return stopFuture.copy();
      }
      stopFuture = new CompletableFuture<>();
      stop.raise();
      timer.cancel();
      running = currentRun;
      lifecycle = Lifecycle.STOPPING;
    }
    heartbeats.stop();
    monitor.stop();
    state.set(SyncState.STOPPING);
    if (running == null) {
      finishStop();
    } else {
      running.whenComplete((run, error) -> finishStop());
    }
    return stopFuture.copy();
  }

  private void finishStop() {
    synchronized (lock) {
      lifecycle = Lifecycle.STOPPED;
    }
    leases.stop();
    state.set(SyncState.STOPPED);
    threads.shutdown();
    log.info("meter-sync stopped");
    stopFuture.complete(null);
  }

  /**
   * {@link #stop()}, waiting up to {@link #DEFAULT_CLOSE_TIMEOUT}. On timeout it logs a warning
   * and interrupts its own worker; the readings in flight are released, or come back when their
   * lease expires.
   */
  @Override
  public void close() {
    CompletableFuture<Void> stopped = stop();
    try {
      stopped.get(DEFAULT_CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      log.warn("The batch in flight did not finish within {}; interrupting it",
          DEFAULT_CLOSE_TIMEOUT);
      threads.interruptRuns();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      log.warn("Stopping failed", e.getCause());
    }
  }

  /**
   * A snapshot of the engine's state, backlog and health. Reads the pending count and the oldest
   * pending reading from the source; for a status polled often, see {@link #getCachedStatus()}.
   */
  public SyncStatus getStatus() {
    return status(board.read());
  }

  /**
   * As {@link #getStatus()}, with the backlog as last read rather than read now: after the last
   * run, at the last heartbeat tick (every heartbeat interval, online or not) or by the last
   * {@code getStatus()}. The sync lag and the health are judged at the current time. Never
   * touches the source once the backlog has been read, so metrics scrapes and health probes may
   * call it as often as they like.
   */
  public SyncStatus getCachedStatus() {
    return status(board.cached());
  }

  /**
   * What this manager has done since it was built, counted in memory: runs, failures, readings
   * synced and rejected, bytes and time spent. Never touches the source or the history.
   */
  public SyncTotals getTotals() {
    return board.totals();
  }

  private SyncStatus status(BacklogAndTotals.Backlog backlog) {
    Instant next;
    synchronized (lock) {
      next = timer.next();
    }
    return statusAssembly.status(state.get(), backlog, board.storeTrouble(), next);
  }

  /**
   * Statistics of the runs that started within {@code window} before now, and the backlog now.
   *
   * @throws IllegalArgumentException when the window is not positive
   */
  public SyncStats getSyncStats(Duration window) {
    Objects.requireNonNull(window, "window");
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("window must be positive: " + window);
    }
    Instant now = clock.instant();
    BacklogAndTotals.Backlog backlog = board.read();
    SyncStats.Builder stats = history.summarize(now.minus(window), now).toBuilder();
    if (backlog.known()) {
      stats.setBacklog(backlog.pending, backlog.lagAt(now));
    }
    return stats.build();
  }

  /** Statistics of the last {@code hours} hours, as in the original {@code getSyncStats(24)}. */
  public SyncStats getSyncStats(int hours) {
    if (hours < 1) {
      throw new IllegalArgumentException("hours must be at least 1: " + hours);
    }
    return getSyncStats(Duration.ofHours(hours));
  }

  /**
   * Downloads the gateway's configuration and applies it if it is new and within bounds. An
   * out-of-range configuration is refused whole, the current one stays, and listeners are told.
   *
   * @throws GatewayException when the download failed
   */
  public ConfigUpdate downloadConfiguration() {
    return configuration.download();
  }

  /** Moves the timers to a configuration that was just applied. */
  private void configurationApplied(RunSettings previous, RunSettings next) {
    synchronized (lock) {
      if (lifecycle == Lifecycle.RUNNING) {
        if (!next.syncInterval.equals(previous.syncInterval) && currentRun == null) {
          timer.scheduleIn(next.syncInterval);
        }
        if (!next.heartbeatInterval.equals(previous.heartbeatInterval)) {
          heartbeats.scheduleIn(next.heartbeatInterval);
        }
      }
    }
    if (next.batchSize != previous.batchSize) {
      learnedBatchSize.forget();
    }
  }

  /**
   * The heartbeat to send now, or empty while stopping or offline. Reads the backlog even
   * offline, so that the cached status follows a queue that grows during an outage.
   */
  private Optional<Heartbeat> heartbeatSnapshot() {
    if (stop.isRaised()) {
      return Optional.empty();
    }
    BacklogAndTotals.Backlog backlog = board.read();
    if (!monitor.isConnected()) {
      return Optional.empty();
    }
    Duration uptime;
    synchronized (lock) {
      uptime = Duration.ofNanos(ticker.nanos() - startedNanos);
    }
    return Optional.of(statusAssembly.heartbeat(state.get(), backlog, uptime));
  }

  private void onConnected() {
    listeners.onConnectivityChanged(true);
    state.moveFrom(SyncState.OFFLINE, SyncState.IDLE);
    synchronized (lock) {
      if (lifecycle != Lifecycle.RUNNING || currentRun != null
          || timer.deferAfterReconnect(configuration.current().syncInterval)) {
        return;
      }
    }
    triggerSync();
  }

  private void onDisconnected() {
    listeners.onConnectivityChanged(false);
    state.moveFrom(SyncState.IDLE, SyncState.OFFLINE);
  }

  @Override
  public String toString() {
    return "SyncManager{state=" + state + ", settings=" + configuration.current() + '}';
  }
}

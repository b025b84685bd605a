package com.meterit.sync.core;

import com.meterit.sync.api.BackoffPolicy;
import com.meterit.sync.api.ClientSystemGateway;
import com.meterit.sync.core.time.Scheduler;
import com.meterit.sync.core.time.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches whether the Client System is reachable by probing
 * {@link ClientSystemGateway#testConnection()}: every {@linkplain Builder#setProbeInterval probe
 * interval} while connected, and under a backoff while disconnected, so that a gateway offline
 * for days does not spend its link on probes.
 *
 * <p>Listeners hear {@code connected} and {@code disconnected} once per transition. The monitor
 * starts out connected, so that the first run is not held back by a probe. Thread-safe.
 */
final class ConnectivityMonitor {
  private static final Logger log = LoggerFactory.getLogger(ConnectivityMonitor.class);

  /** The pause between probes while connected: 30 seconds. */
  static final Duration DEFAULT_PROBE_INTERVAL = Duration.ofSeconds(30);

  /** The default pacing of probes while disconnected: decorrelated jitter from 5 s to 5 min. */
  static final BackoffPolicy DEFAULT_OFFLINE_BACKOFF =
      BackoffPolicy.decorrelatedJitter(Duration.ofSeconds(5), Duration.ofMinutes(5), 3.0);

  private final ClientSystemGateway gateway;
  private final Scheduler scheduler;
  private final Executor executor;
  private final Clock clock;
  private final Ticker ticker;
  private final DoubleSupplier random;
  private final Duration probeInterval;
  private final BackoffPolicy offlineBackoff;
  private final List<ConnectivityListener> listeners;

  private boolean started;
  private boolean stopped;
  /** A probe is on its way; the timer must not start another. */
  private boolean probing;
  /** probeSoon() was called since the last probe started. */
  private boolean probeRequested;
  private boolean connected = true;
  /** A stamp for the status: when the link last changed, as the wall clock read then. */
  private Instant since;
  /** The same moment on the ticker, which times the outage. */
  private long sinceNanos;
  private Instant lastProbeAt;
  private int failures;
  private Duration lastOfflineDelay = Duration.ZERO;
  private Scheduler.Cancellable nextProbe;

  private ConnectivityMonitor(Builder b) {
    this.gateway = b.gateway;
    this.scheduler = b.scheduler;
    this.executor = b.executor;
    this.clock = b.clock;
    this.ticker = b.ticker != null ? b.ticker
        : b.clock instanceof Ticker ? (Ticker) b.clock : Ticker.system();
    this.random = b.random;
    this.probeInterval = b.probeInterval;
    this.offlineBackoff = b.offlineBackoff;
    this.listeners = List.copyOf(b.listeners);
  }

  /**
   * Starts a monitor for {@code gateway}. A scheduler is required; see {@link Builder}.
   */
  static Builder builder(ClientSystemGateway gateway) {
    return new Builder(gateway);
  }

  /** Probes at once, then on schedule. Idempotent; a stopped monitor cannot start again. */
  synchronized void start() {
    if (stopped) {
      throw new IllegalStateException("a stopped monitor cannot start again");
    }
    if (!started) {
      started = true;
      scheduleProbe(Duration.ZERO);
    }
  }

  /** Stops probing. Idempotent. */
  synchronized void stop() {
    stopped = true;
    if (nextProbe != null) {
      nextProbe.cancel();
      nextProbe = null;
    }
  }

  /**
   * Asks for a probe now instead of at the next scheduled time, for example after an upload
   * failed to connect. Ignored unless started. A probe already in flight does not swallow the
   * request: another follows it at once.
   */
  synchronized void probeSoon() {
    if (started && !stopped) {
      probeRequested = true;
      if (!probing) {
        scheduleProbe(Duration.ZERO);
      }
    }
  }

  /** Whether the last probe succeeded; true before the first. */
  synchronized boolean isConnected() {
    return connected;
  }

  /** A snapshot of the monitor. */
  synchronized ConnectivityStatus getStatus() {
    return new ConnectivityStatus(connected, since, lastProbeAt, failures);
  }

  /**
   * How long the Client System has been unreachable, on the ticker (a step of the wall clock would
   * turn a minute's outage into a day's), or null while it is reachable.
   */
  synchronized Duration offlineFor() {
    return connected ? null : Duration.ofNanos(ticker.nanos() - sinceNanos);
  }

  private synchronized void scheduleProbe(Duration delay) {
    if (nextProbe != null) {
      nextProbe.cancel();
    }
    nextProbe = scheduler.schedule(this::probeDue, delay);
  }

  /** The timer only hands the probe over: it crosses the network, which may stall. */
  private void probeDue() {
    synchronized (this) {
      nextProbe = null;
      if (stopped || probing) {
        return;
      }
      probing = true;
      probeRequested = false;
    }
    try {
      executor.execute(this::probe);
    } catch (RejectedExecutionException e) {
      synchronized (this) {
        probing = false;
      }
    }
  }

  private void probe() {
    boolean healthy;
    try {
      healthy = gateway.testConnection();
    } catch (VirtualMachineError e) {
      record(false);
      throw e;
    } catch (Throwable t) {
      // Whatever a host's gateway throws, the next probe must still be scheduled.
      log.debug("Health probe failed", t);
      healthy = false;
    }
    Boolean transition = record(healthy);
    if (transition != null) {
      notifyListeners(transition);
    }
  }

  /** Records a probe's result and schedules the next; returns the new state if it changed. */
  private synchronized Boolean record(boolean healthy) {
    probing = false;
    if (stopped) {
      return null;
    }
    Instant now = clock.instant();
    lastProbeAt = now;
    Boolean transition = null;
    if (healthy) {
      failures = 0;
      lastOfflineDelay = Duration.ZERO;
      if (!connected) {
        connected = true;
        since = now;
        sinceNanos = ticker.nanos();
        transition = Boolean.TRUE;
        log.info("Client System reachable again");
      }
      scheduleProbe(probeRequested ? Duration.ZERO : probeInterval);
    } else {
      failures++;
      if (connected) {
        connected = false;
        since = now;
        sinceNanos = ticker.nanos();
        transition = Boolean.FALSE;
        log.info("Client System unreachable; readings queue locally until it returns");
      }
      lastOfflineDelay = offlineBackoff.delay(failures, lastOfflineDelay, random.getAsDouble());
      scheduleProbe(probeRequested ? Duration.ZERO : lastOfflineDelay);
    }
    return transition;
  }

  private void notifyListeners(boolean nowConnected) {
    for (ConnectivityListener listener : listeners) {
      try {
        if (nowConnected) {
          listener.connected();
        } else {
          listener.disconnected();
        }
      } catch (RuntimeException e) {
        log.warn("Connectivity listener {} failed; ignored", listener, e);
      }
    }
  }

  /** Builds a {@link ConnectivityMonitor}. Not thread-safe. */
  static final class Builder {
    private final ClientSystemGateway gateway;
    private Scheduler scheduler;
    private Executor executor = Runnable::run;
    private Clock clock = Clock.systemUTC();
    private Ticker ticker;
    private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
    private Duration probeInterval = DEFAULT_PROBE_INTERVAL;
    private BackoffPolicy offlineBackoff = DEFAULT_OFFLINE_BACKOFF;
    private final List<ConnectivityListener> listeners = new ArrayList<>();

    Builder(ClientSystemGateway gateway) {
      this.gateway = Objects.requireNonNull(gateway, "gateway");
    }

    /** The scheduler that runs the probes. Required. */
    Builder setScheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * Where probes run. Default: on the scheduler's thread. Give an executor of its own when the
     * scheduler runs other timers, so that a stalled probe cannot hold them up.
     */
    Builder setExecutor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** The clock for timestamps. Default: UTC system clock. */
    Builder setClock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The monotonic time outages are timed on. Default: the clock when it is a {@link Ticker},
     * else {@link Ticker#system()}. The manager passes its own.
     */
    Builder setTicker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /** The source of random values in [0, 1) for the offline backoff. */
    Builder setRandom(DoubleSupplier random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /** The pause between probes while connected. Default {@link #DEFAULT_PROBE_INTERVAL}. */
    Builder setProbeInterval(Duration probeInterval) {
      this.probeInterval = SettingBounds.checkProbeInterval("probeInterval", probeInterval);
      return this;
    }

    /** The pacing of probes while disconnected. Default {@link #DEFAULT_OFFLINE_BACKOFF}. */
    Builder setOfflineBackoff(BackoffPolicy offlineBackoff) {
      this.offlineBackoff = Objects.requireNonNull(offlineBackoff, "offlineBackoff");
      return this;
    }

    /** Adds a listener for transitions. */
    Builder addListener(ConnectivityListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * @throws IllegalStateException when no scheduler was set
     */
    ConnectivityMonitor build() {
      if (scheduler == null) {
        throw new IllegalStateException("scheduler must be set");
      }
      return new ConnectivityMonitor(this);
    }
  }
}

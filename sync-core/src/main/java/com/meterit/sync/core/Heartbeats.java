package com.meterit.sync.core;

import com.meterit.sync.api.ClientSystemGateway;
import com.meterit.sync.api.Heartbeat;
import com.meterit.sync.api.HeartbeatReply;
import com.meterit.sync.api.SyncListener;
import com.meterit.sync.core.time.Scheduler;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the status snapshot on its interval and downloads a configuration the server announces.
 *
 * <p>The timer only hands the work to the background executor: the snapshot reads the database
 * and the heartbeat crosses the network, and neither may hold up the scheduler's other timers.
 * One heartbeat is in flight at a time; the next is scheduled when it ends. Thread-safe.
 */
final class Heartbeats {
  private static final Logger log = LoggerFactory.getLogger(Heartbeats.class);

  private final ClientSystemGateway gateway;
  private final Scheduler scheduler;
  private final Executor background;
  private final LiveSettings configuration;
  private final SyncListener listeners;
  /** The snapshot to send, or empty to skip this beat (offline, stopping). */
  private final Supplier<Optional<Heartbeat>> snapshot;

  // Guarded by this.
  private Scheduler.Cancellable timer;
  private boolean inFlight;
  private boolean stopped;

  Heartbeats(ClientSystemGateway gateway, Scheduler scheduler, Executor background,
      LiveSettings configuration, SyncListener listeners,
      Supplier<Optional<Heartbeat>> snapshot) {
    this.gateway = gateway;
    this.scheduler = scheduler;
    this.background = background;
    this.configuration = configuration;
    this.listeners = listeners;
    this.snapshot = snapshot;
  }

  /** Beats after {@code delay}, replacing a beat already scheduled. */
  synchronized void scheduleIn(Duration delay) {
    if (stopped) {
      return;
    }
    if (timer != null) {
      timer.cancel();
    }
    timer = scheduler.schedule(this::due, delay);
  }

  /** Stops beating; a beat in flight finishes and schedules nothing. Idempotent. */
  synchronized void stop() {
    stopped = true;
    if (timer != null) {
      timer.cancel();
      timer = null;
    }
  }

  private void due() {
    synchronized (this) {
      timer = null;
      if (stopped || inFlight) {
        return;
      }
      inFlight = true;
    }
    try {
      background.execute(this::beat);
    } catch (RejectedExecutionException e) {
      synchronized (this) {
        inFlight = false;
      }
    }
  }

  private void beat() {
    try {
      Optional<Heartbeat> beat = snapshot.get();
      if (beat.isPresent()) {
        send(beat.get());
      }
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable t) {
      log.warn("Heartbeat task failed", t);
    } finally {
      synchronized (this) {
        inFlight = false;
      }
      scheduleIn(configuration.current().heartbeatInterval);
    }
  }

  private void send(Heartbeat beat) {
    HeartbeatReply reply;
    try {
      reply = gateway.sendHeartbeat(beat);
    } catch (RuntimeException e) {
      log.debug("Heartbeat failed: {}", e.getMessage());
      listeners.onHeartbeatFailed(e);
      return;
    }
    listeners.onHeartbeatSent(beat);
    Optional<String> serverVersion = reply.configVersion();
    if (serverVersion.isPresent() && configuration.wantsDownload(serverVersion.get())) {
      log.info("Server holds configuration {}; downloading it", serverVersion.get());
      configuration.download();
    }
  }
}

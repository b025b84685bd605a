package com.meterit.sync.core;

import com.meterit.sync.api.AuthenticationFailedException;
import com.meterit.sync.api.GatewayForbiddenException;
import com.meterit.sync.api.SyncHistory;
import com.meterit.sync.api.SyncRun;
import com.meterit.sync.api.SyncState;
import com.meterit.sync.api.UploadsRefusedException;
import com.meterit.sync.core.internal.HumanDuration;
import com.meterit.sync.core.internal.run.RunLoop;
import com.meterit.sync.core.internal.run.StopSignal;
import java.time.Instant;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells how each run ended: to the status board, the sync history, the log (a failure once, then
 * quietly while the same one repeats), the listeners and the engine's state; and keeps the last
 * attempt, the last success and the last error, which the status and the heartbeat report.
 *
 * <p>A refusal that needs a person (the credentials refused, the gateway disabled, every upload
 * refused) is an ERROR once each time the engine enters it, and an INFO line when a run succeeds
 * again: no run syncs anything until it mends, so it must not read as one more passing failure.
 */
final class RunReporter {
  private static final Logger log = LoggerFactory.getLogger(RunReporter.class);

  private final BacklogAndTotals board;
  private final SyncHistory history;
  private final Listeners listeners;
  private final ConnectivityMonitor monitor;
  private final Consumer<SyncState> state;
  private final StopSignal stop;

  private volatile Instant lastAttemptAt;
  private volatile Instant lastSuccessAt;
  private volatile String lastError;
  // Only the run's own thread reports, one run at a time.
  private String lastLoggedError;
  /** The refusal state the last ERROR named, until a run succeeds; null when there is none. */
  private SyncState refusedAs;

  RunReporter(BacklogAndTotals board, SyncHistory history, Listeners listeners,
      ConnectivityMonitor monitor, Consumer<SyncState> state, StopSignal stop) {
    this.board = board;
    this.history = history;
    this.listeners = listeners;
    this.monitor = monitor;
    this.state = state;
    this.stop = stop;
  }

  /** A run starts now. */
  void started(Instant at) {
    lastAttemptAt = at;
  }

  /** When the last run started, or null. */
  Instant lastAttemptAt() {
    return lastAttemptAt;
  }

  /** When the last run that succeeded ended, or null. */
  Instant lastSuccessAt() {
    return lastSuccessAt;
  }

  /** Why the last run failed, or null when it did not. */
  String lastError() {
    return lastError;
  }

  /** A run ended, as {@code result} says. */
  void finished(RunLoop.Result result) {
    SyncRun run = result.run();
    board.record(run, result.cause());
    try {
      history.record(run);
    } catch (RuntimeException e) {
      log.warn("Could not record the run in the sync history", e);
    }
    if (!stop.isRaised()) {
      // Keeps the cached status current for scrapes; after a stop, stop() keeps its deadline.
      board.read();
    }
    switch (run.outcome()) {
      case SUCCEEDED:
        lastSuccessAt = run.finishedAt();
        // A run that succeeded may still name what it left behind (a batch set aside for 409).
        lastError = run.error().orElse(null);
        lastLoggedError = null;
        if (refusedAs != null) {
          log.info("The Client System accepts this gateway again (it was {}); syncing resumes",
              refusedAs);
          refusedAs = null;
        }
        state.accept(monitor.isConnected() ? SyncState.IDLE : SyncState.OFFLINE);
        if (run.readingsSynced() > 0 || run.readingsRejected() > 0) {
          log.info("Sync run done: {} synced, {} rejected, {} bytes in {}",
              run.readingsSynced(), run.readingsRejected(), run.bytesSent(),
              HumanDuration.of(run.duration()));
        }
        listeners.onSyncCompleted(run);
        break;
      case INTERRUPTED:
        log.info("Sync run stopped after {} synced; the rest stays queued", run.readingsSynced());
        listeners.onSyncFailed(run, result.cause());
        break;
      default:
        lastError = run.error().orElse("unknown error");
        SyncState next = stateAfterFailure(result.cause());
        state.accept(next);
        if (isRefusal(next)) {
          // Once per change of state: a network failure in between does not say it mended.
          if (next != refusedAs) {
            refusedAs = next;
            lastLoggedError = lastError;
            log.error("Sync is blocked ({}): {}; readings stay queued, and each run checks again",
                next, lastError);
          } else {
            log.debug("Sync run failed again ({}): {}", next, lastError);
          }
        } else if (!lastError.equals(lastLoggedError)) {
          lastLoggedError = lastError;
          log.warn("Sync run failed; unsent readings stay queued: {}", lastError);
        } else {
          log.debug("Sync run failed again: {}", lastError);
        }
        if (!(result.cause() instanceof GatewayForbiddenException
            || result.cause() instanceof AuthenticationFailedException)) {
          monitor.probeSoon();
        }
        listeners.onSyncFailed(run, result.cause());
    }
  }

  /**
   * A run that ended in an exception the run loop did not catch: recorded, and logged loudly
   * unless the JVM itself is failing, when logging may fail too.
   */
  void failedUnexpectedly(SyncRun run, Throwable cause) {
    board.record(run, cause);
    if (!(cause instanceof VirtualMachineError)) {
      log.error("Sync run failed unexpectedly", cause);
    }
  }

  private static boolean isRefusal(SyncState state) {
    return state == SyncState.AUTH_FAILED || state == SyncState.DISABLED
        || state == SyncState.REFUSED;
  }

  private SyncState stateAfterFailure(Throwable cause) {
    if (cause instanceof GatewayForbiddenException) {
      return SyncState.DISABLED;
    }
    if (cause instanceof UploadsRefusedException) {
      return SyncState.REFUSED;
    }
    if (cause instanceof AuthenticationFailedException) {
      return SyncState.AUTH_FAILED;
    }
    return monitor.isConnected() ? SyncState.IDLE : SyncState.OFFLINE;
  }
}

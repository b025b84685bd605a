package com.meterit.sync.examples.agent;

import com.meterit.sync.api.ReadingSourceException;
import com.meterit.sync.api.StoreFault;
import com.meterit.sync.api.SyncListener;
import com.meterit.sync.api.SyncRun;
import com.meterit.sync.core.time.Scheduler;
import com.meterit.sync.core.internal.Redaction;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * What the agent does when the Sync Database breaks after start, so that it never runs on as a
 * zombie. A run that fails because the database is closed, unavailable or damaged gets the
 * database reopened (a fresh pool) after a backoff, up to {@value #DEFAULT_REOPEN_ATTEMPTS}
 * times; if it stays broken, the agent exits with {@link SyncAgent#EXIT_DATABASE} when it is
 * damaged (an operator must look) or {@link SyncAgent#EXIT_FAILURE} when a restart may cure it.
 * A full disk is waited out: nothing is lost, and the next run after space is freed drains on. A
 * transient failure is left to the next run. The reason shows meanwhile in the engine's health.
 *
 * <p>Thread-safe: runs report on the engine's thread, reopens run on the scheduler's.
 */
final class StoreWatch implements SyncListener {
  /** Reopens before the agent gives up: {@value}. */
  static final int DEFAULT_REOPEN_ATTEMPTS = 3;
  /** The wait before the first reopen, doubled before each next one: 2 seconds. */
  static final Duration DEFAULT_FIRST_DELAY = Duration.ofSeconds(2);

  /** The Sync Database as the watch sees it. */
  interface Store {
    /**
     * Replaces the connections with fresh ones.
     *
     * @throws ReadingSourceException when the database cannot be opened
     */
    void reopen();

    /**
     * Reads from the database once.
     *
     * @throws ReadingSourceException when it fails
     */
    void probe();
  }

  private final Store store;
  private final Scheduler scheduler;
  private final Runnable retry;
  private final IntConsumer exit;
  private final Consumer<String> log;

  // Guarded by this.
  private int attempts;
  private boolean reopenDue;
  private boolean full;
  private boolean gaveUp;

  /**
   * @param store the database to reopen and probe
   * @param scheduler where the reopens wait their backoff
   * @param retry starts a run, after a reopen that worked
   * @param exit told the exit code once, when the database stays broken
   * @param log where the one line per change goes
   */
  StoreWatch(Store store, Scheduler scheduler, Runnable retry, IntConsumer exit,
      Consumer<String> log) {
    this.store = store;
    this.scheduler = scheduler;
    this.retry = retry;
    this.exit = exit;
    this.log = log;
  }

  @Override
  public void onSyncCompleted(SyncRun run) {
    boolean wasBroken;
    synchronized (this) {
      wasBroken = attempts > 0 || full;
      attempts = 0;
      full = false;
    }
    if (wasBroken) {
      log.accept("The Sync Database works again");
    }
  }

  @Override
  public void onSyncFailed(SyncRun run, Throwable cause) {
    StoreFault fault = ReadingSourceException.faultOf(cause);
    if (fault == StoreFault.FULL) {
      filled(cause);
    } else if (fault == StoreFault.UNAVAILABLE || fault == StoreFault.DAMAGED) {
      broken(fault, cause);
    }
  }

  private void filled(Throwable cause) {
    synchronized (this) {
      if (full || gaveUp) {
        return;
      }
      full = true;
    }
    log.accept("The Sync Database's disk is full; nothing is lost, and the drain resumes once "
        + "space is freed: " + why(cause));
  }

  private void broken(StoreFault fault, Throwable cause) {
    int attempt;
    Duration delay;
    synchronized (this) {
      if (reopenDue || gaveUp) {
        return;
      }
      if (attempts >= DEFAULT_REOPEN_ATTEMPTS) {
        gaveUp = true;
        attempt = -1;
        delay = null;
      } else {
        attempt = ++attempts;
        reopenDue = true;
        delay = DEFAULT_FIRST_DELAY.multipliedBy(1L << (attempt - 1));
      }
    }
    String state = fault == StoreFault.DAMAGED ? "damaged" : "unavailable";
    if (attempt < 0) {
      int code = fault == StoreFault.DAMAGED ? SyncAgent.EXIT_DATABASE : SyncAgent.EXIT_FAILURE;
      log.accept("The Sync Database stays " + state + " after " + DEFAULT_REOPEN_ATTEMPTS
          + " reopens; exiting with code " + code + ": " + why(cause));
      exit.accept(code);
      return;
    }
    log.accept("The Sync Database is " + state + "; reopening it in " + delay.toSeconds() + " s (attempt " + attempt + " of "
        + DEFAULT_REOPEN_ATTEMPTS + "): " + why(cause));
    scheduler.schedule(this::reopen, delay);
  }

  /** The database's reason, in one escaped line: its text may quote what a stranger wrote. */
  private static String why(Throwable cause) {
    return Redaction.escape(Failures.why(cause));
  }

  private void reopen() {
    try {
      store.reopen();
      store.probe();
    } catch (ReadingSourceException e) {
      synchronized (this) {
        reopenDue = false;
      }
      StoreFault fault = e.fault() == StoreFault.TRANSIENT ? StoreFault.UNAVAILABLE : e.fault();
      if (fault == StoreFault.FULL) {
        // Opening needs no space; reading did not fail for lack of it: try the run.
        retry.run();
        return;
      }
      broken(fault, e);
      return;
    } catch (RuntimeException e) {
      synchronized (this) {
        reopenDue = false;
      }
      broken(StoreFault.UNAVAILABLE, e);
      return;
    }
    synchronized (this) {
      reopenDue = false;
    }
    // The run decides: it succeeds (and resets the count) or fails into the next attempt.
    retry.run();
  }
}

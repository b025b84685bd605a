package com.meterit.sync.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What one engine has done since it was built, counted in memory: monotonic totals for a
 * monitoring system that takes rates of counters (a restart starts them again at zero, which such
 * systems expect). Statistics over a time window, that survive restarts, are {@link SyncStats}.
 * Immutable and thread-safe.
 */
public final class SyncTotals {
  private final Instant since;
  private final long runs;
  private final long failures;
  private final long readingsSynced;
  private final long readingsRejected;
  private final long bytesSent;
  private final Duration runTime;

  /**
   * @param since when counting started
   * @param runs runs that happened, whatever their outcome; skipped runs are not counted
   * @param failures runs that failed
   * @param readingsSynced readings the server accepted
   * @param readingsRejected readings quarantined
   * @param bytesSent request bytes on the wire
   * @param runTime the time spent in runs, added up
   * @throws IllegalArgumentException when a count or the run time is negative
   */
  public SyncTotals(Instant since, long runs, long failures, long readingsSynced,
      long readingsRejected, long bytesSent, Duration runTime) {
    this.since = Objects.requireNonNull(since, "since");
    this.runs = notNegative("runs", runs);
    this.failures = notNegative("failures", failures);
    this.readingsSynced = notNegative("readingsSynced", readingsSynced);
    this.readingsRejected = notNegative("readingsRejected", readingsRejected);
    this.bytesSent = notNegative("bytesSent", bytesSent);
    this.runTime = Objects.requireNonNull(runTime, "runTime");
    if (runTime.isNegative()) {
      throw new IllegalArgumentException("runTime must not be negative: " + runTime);
    }
  }

  private static long notNegative(String name, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " must not be negative: " + value);
    }
    return value;
  }

  /** When counting started: when the engine was built. */
  public Instant since() {
    return since;
  }

  /** Runs that happened, whatever their outcome. */
  public long runs() {
    return runs;
  }

  /** Runs that failed. Interrupted runs are not failures. */
  public long failures() {
    return failures;
  }

  /** Readings the server accepted. */
  public long readingsSynced() {
    return readingsSynced;
  }

  /** Readings quarantined. */
  public long readingsRejected() {
    return readingsRejected;
  }

  /** Request bytes on the wire, retries included. */
  public long bytesSent() {
    return bytesSent;
  }

  /** The time spent in runs, added up. */
  public Duration runTime() {
    return runTime;
  }

  @Override
  public String toString() {
    return "SyncTotals{since=" + since + ", runs=" + runs + ", failures=" + failures
        + ", readingsSynced=" + readingsSynced + ", readingsRejected=" + readingsRejected
        + ", bytesSent=" + bytesSent + ", runTime=" + runTime + '}';
  }
}

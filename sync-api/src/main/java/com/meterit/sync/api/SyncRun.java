package com.meterit.sync.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The record of one sync run: what {@code triggerSync()} completes with, and what the history
 * keeps. Immutable and thread-safe.
 */
public final class SyncRun {
  private final Instant startedAt;
  private final Instant finishedAt;
  private final SyncOutcome outcome;
  private final long readingsSynced;
  private final long readingsRejected;
  private final long bytesSent;
  private final int batches;
  private final String error;

  /**
   * @param startedAt when the run started
   * @param finishedAt when it ended, not before {@code startedAt}
   * @param outcome how it ended
   * @param readingsSynced readings the server accepted
   * @param readingsRejected readings quarantined
   * @param bytesSent request bytes on the wire
   * @param batches uploads that got an answer
   * @param error why it failed or was skipped, or null
   */
  public SyncRun(
      Instant startedAt,
      Instant finishedAt,
      SyncOutcome outcome,
      long readingsSynced,
      long readingsRejected,
      long bytesSent,
      int batches,
      String error) {
    this.startedAt = Objects.requireNonNull(startedAt, "startedAt");
    this.finishedAt = Objects.requireNonNull(finishedAt, "finishedAt");
    if (finishedAt.isBefore(startedAt)) {
      throw new IllegalArgumentException(
          "finishedAt must not be before startedAt " + startedAt + ": " + finishedAt);
    }
    this.outcome = Objects.requireNonNull(outcome, "outcome");
    this.readingsSynced = requireNotNegative(readingsSynced, "readingsSynced");
    this.readingsRejected = requireNotNegative(readingsRejected, "readingsRejected");
    this.bytesSent = requireNotNegative(bytesSent, "bytesSent");
    this.batches = (int) requireNotNegative(batches, "batches");
    this.error = error;
  }

  private static long requireNotNegative(long value, String name) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " must not be negative: " + value);
    }
    return value;
  }

  /** A run that did not happen, with the reason. */
  public static SyncRun skipped(Instant at, String reason) {
    return new SyncRun(at, at, SyncOutcome.SKIPPED, 0, 0, 0, 0, reason);
  }

  /** When the run started. */
  public Instant startedAt() {
    return startedAt;
  }

  /** When the run ended. */
  public Instant finishedAt() {
    return finishedAt;
  }

  /** How long the run took. */
  public Duration duration() {
    return Duration.between(startedAt, finishedAt);
  }

  /** How the run ended. */
  public SyncOutcome outcome() {
    return outcome;
  }

  /** Readings the server accepted in this run. */
  public long readingsSynced() {
    return readingsSynced;
  }

  /** Readings quarantined in this run. */
  public long readingsRejected() {
    return readingsRejected;
  }

  /** Request bytes sent on the wire, retries included. */
  public long bytesSent() {
    return bytesSent;
  }

  /** Uploads that got an answer. */
  public int batches() {
    return batches;
  }

  /** Why the run failed or was skipped. */
  public Optional<String> error() {
    return Optional.ofNullable(error);
  }

  @Override
  public String toString() {
    return "SyncRun{outcome=" + outcome + ", startedAt=" + startedAt + ", duration=" + duration()
        + ", synced=" + readingsSynced + ", rejected=" + readingsRejected + ", bytesSent="
        + bytesSent + ", batches=" + batches + (error == null ? "" : ", error=" + error) + '}';
  }
}

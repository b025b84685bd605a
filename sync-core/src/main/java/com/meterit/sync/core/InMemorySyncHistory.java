package com.meterit.sync.core;

import com.meterit.sync.api.SyncHistory;
import com.meterit.sync.api.SyncOutcome;
import com.meterit.sync.api.SyncRun;
import com.meterit.sync.api.SyncStats;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * The engine's default {@link SyncHistory}: the most recent runs in memory, oldest dropped first.
 * Statistics do not survive a restart; use {@code sync-jdbc}'s history for that. Thread-safe.
 */
public final class InMemorySyncHistory implements SyncHistory {
  /** Runs kept by default: {@value}, a month of 5-minute runs that all failed and retried. */
  public static final int DEFAULT_CAPACITY = 10_000;

  private final int capacity;
  private final ArrayDeque<SyncRun> runs = new ArrayDeque<>();

  /** A history of {@link #DEFAULT_CAPACITY} runs. */
  public InMemorySyncHistory() {
    this(DEFAULT_CAPACITY);
  }

  /**
   * @param capacity the most runs kept, at least 1
   */
  public InMemorySyncHistory(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
    }
    this.capacity = capacity;
  }

  @Override
  public synchronized void record(SyncRun run) {
    Objects.requireNonNull(run, "run");
    if (run.outcome() == SyncOutcome.SKIPPED) {
      return;
    }
    if (runs.size() == capacity) {
      runs.removeFirst();
    }
    runs.addLast(run);
  }

  @Override
  public synchronized SyncStats summarize(Instant from, Instant to) {
    long count = 0;
    long successes = 0;
    long failures = 0;
    long synced = 0;
    long rejected = 0;
    long bytes = 0;
    Duration total = Duration.ZERO;
    Duration max = Duration.ZERO;
    Instant lastSuccess = null;
    for (SyncRun run : runs) {
      if (run.startedAt().isBefore(from) || run.startedAt().isAfter(to)) {
        continue;
      }
      count++;
      if (run.outcome() == SyncOutcome.SUCCEEDED) {
        successes++;
        if (lastSuccess == null || run.finishedAt().isAfter(lastSuccess)) {
          lastSuccess = run.finishedAt();
        }
      } else if (run.outcome() == SyncOutcome.FAILED) {
        failures++;
      }
      synced += run.readingsSynced();
      rejected += run.readingsRejected();
      bytes += run.bytesSent();
      total = total.plus(run.duration());
      if (run.duration().compareTo(max) > 0) {
        max = run.duration();
      }
    }
    return SyncStats.builder(Duration.between(from, to))
        .setRuns(count, successes, failures)
        .setReadings(synced, rejected)
        .setBytesSent(bytes)
        .setRunDurations(count == 0 ? Duration.ZERO : total.dividedBy(count), max)
        .setLastSuccessAt(lastSuccess)
        .build();
  }
}

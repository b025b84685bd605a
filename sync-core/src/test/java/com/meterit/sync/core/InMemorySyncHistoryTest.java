package com.meterit.sync.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.meterit.sync.api.SyncOutcome;
import com.meterit.sync.api.SyncRun;
import com.meterit.sync.api.SyncStats;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The in-memory history: its capacity, and a summary over an inclusive window. */
class InMemorySyncHistoryTest {
  private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

  private static SyncRun run(int startMinute, int seconds, SyncOutcome outcome, long synced) {
    Instant start = T0.plus(Duration.ofMinutes(startMinute));
    return new SyncRun(start, start.plusSeconds(seconds), outcome, synced, 1, 100 * synced, 1,
        outcome == SyncOutcome.SUCCEEDED ? null : "failed");
  }

  @Test
  void keepsAsFewAsOneRunButNotNone() {
    InMemorySyncHistory one = new InMemorySyncHistory(1);
    one.record(run(0, 2, SyncOutcome.SUCCEEDED, 5));
    one.record(run(1, 2, SyncOutcome.SUCCEEDED, 7));
    assertEquals(7, one.summarize(T0, T0.plus(Duration.ofHours(1))).readingsSynced());
    assertEquals("capacity must be at least 1: 0", assertThrows(IllegalArgumentException.class,
        () -> new InMemorySyncHistory(0)).getMessage());
  }

  @Test
  void summarizesTheRunsStartedWithinTheWindowBothEndsIncluded() {
    // Recorded out of order: the latest success counts, not the last one recorded.
    InMemorySyncHistory history = new InMemorySyncHistory();
    history.record(run(0, 9, SyncOutcome.SUCCEEDED, 100)); // before the window
    history.record(run(20, 6, SyncOutcome.SUCCEEDED, 20)); // at its end
    history.record(run(15, 8, SyncOutcome.FAILED, 0));
    history.record(run(18, 3, SyncOutcome.INTERRUPTED, 2));
    history.record(run(19, 1, SyncOutcome.INTERRUPTED, 0));
    history.record(run(10, 4, SyncOutcome.SUCCEEDED, 10)); // at its start
    history.record(run(21, 1, SyncOutcome.SUCCEEDED, 100)); // after it

    SyncStats stats = history.summarize(T0.plus(Duration.ofMinutes(10)),
        T0.plus(Duration.ofMinutes(20)));

    assertEquals(5, stats.runs());
    assertEquals(2, stats.successes());
    assertEquals(1, stats.failures(), "an interrupted run is no failure");
    assertEquals(32, stats.readingsSynced());
    assertEquals(5, stats.readingsRejected());
    assertEquals(3200, stats.bytesSent());
    assertEquals(Duration.ofMillis(4400), stats.meanRunDuration());
    assertEquals(Duration.ofSeconds(8), stats.maxRunDuration());
    assertEquals(Optional.of(T0.plus(Duration.ofMinutes(20)).plusSeconds(6)),
        stats.lastSuccessAt());
  }

  @Test
  void anEmptyWindowSummarizesToZeros() {
    InMemorySyncHistory history = new InMemorySyncHistory();
    history.record(run(0, 9, SyncOutcome.SUCCEEDED, 100));
    SyncStats stats = history.summarize(T0.plus(Duration.ofMinutes(1)),
        T0.plus(Duration.ofMinutes(2)));
    assertEquals(0, stats.runs());
    assertEquals(Duration.ZERO, stats.meanRunDuration());
    assertEquals(Optional.empty(), stats.lastSuccessAt());
  }
}

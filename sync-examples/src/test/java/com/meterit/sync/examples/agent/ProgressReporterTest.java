package com.meterit.sync.examples.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.meterit.sync.api.Reading;
import com.meterit.sync.api.UploadBatch;
import com.meterit.sync.api.UploadResult;
import com.meterit.sync.core.testing.ForwardingReadingSource;
import com.meterit.sync.core.testing.InMemoryReadingSource;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressReporterTest {
  private static final UploadBatch THOUSAND = batchOf(1000);

  private final AtomicLong pending = new AtomicLong();
  private final AtomicLong nanos = new AtomicLong();
  private final List<String> lines = new ArrayList<>();
  private final ProgressReporter reporter = new ProgressReporter(
      new ForwardingReadingSource(new InMemoryReadingSource()) {
        @Override
        public long pendingCount() {
          return pending.get();
        }
      }, lines::add, Duration.ofSeconds(2), nanos::get);

  @Test
  void theTotalOfAFixedBacklogStaysPutWhileConcurrentAnswersSkewThePendingCount() {
    pending.set(285_000);
    reporter.onSyncStarted();
    // Pipelined uploads settle on their own threads: the count already misses batches whose
    // answers have not reached the reporter yet.
    answer(Duration.ofSeconds(2), 283_000);
    answer(Duration.ofSeconds(2), 281_000);
    answer(Duration.ofSeconds(2), 279_000);
    answer(Duration.ofSeconds(2), 278_000);

    assertEquals(List.of("285000", "285000", "285000", "285000"), totals());
  }

  @Test
  void readingsWrittenWhileItDrainsRaiseTheTotal() {
    pending.set(10_000);
    reporter.onSyncStarted();
    answer(Duration.ofSeconds(2), 9_000);
    answer(Duration.ofSeconds(2), 10_000);

    assertEquals(List.of("10000", "12000"), totals());
  }

  @Test
  void noEtaUntilTheRateIsMeasuredOverSeveralBatchesAndSeconds() {
    pending.set(100_000);
    reporter.onSyncStarted();
    // The first answer waits for the token, the connection and a cold JIT: its rate says little.
    answer(Duration.ofSeconds(30), 99_000);
    answer(Duration.ofSeconds(2), 98_000);
    answer(Duration.ofSeconds(2), 97_000);
    answer(Duration.ofSeconds(2), 96_000);

    assertEquals(List.of(
        "draining [..............................] 1000/100000 (1%) | 33 readings/s | ETA measuring",
        "draining [..............................] 2000/100000 (2%) | 62 readings/s | ETA measuring",
        "draining [..............................] 3000/100000 (3%) | 88 readings/s | ETA measuring",
        "draining [#.............................] 4000/100000 (4%) | 500 readings/s | ETA 3:12"),
        lines);
  }

  private void answer(Duration after, long pendingAfter) {
    nanos.addAndGet(after.toNanos());
    pending.set(pendingAfter);
    reporter.onBatchUploaded(THOUSAND, UploadResult.acceptedAll(THOUSAND, 0));
  }

  private List<String> totals() {
    List<String> totals = new ArrayList<>();
    for (String line : lines) {
      totals.add(line.replaceAll(".*\\] \\d+/(\\d+) .*", "$1"));
    }
    return totals;
  }

  private static UploadBatch batchOf(int size) {
    List<Reading> readings = new ArrayList<>();
    for (int i = 1; i <= size; i++) {
      readings.add(Reading.of(i, "m-1", Instant.parse("2026-01-01T00:00:00Z"), BigDecimal.ONE,
          "kWh"));
    }
    return UploadBatch.of(readings);
  }
  @Test
  void progressNeverPassesItsTotalWhenReadingsArriveWhileItDrains() {
    assertEquals("draining [##############################] 103000/103000 (100%) | 5000 readings/s"
        + " | ETA 0:00", ProgressReporter.progressLine(103_000, 102_300, 5000));
  }

  @Test
  void progressIsPlainAsciiWithPlainNumbers() {
    assertEquals("draining [###############...............] 45000/90000 (50%) | 15000 readings/s"
        + " | ETA 0:03", ProgressReporter.progressLine(45_000, 90_000, 15_000));
  }
}

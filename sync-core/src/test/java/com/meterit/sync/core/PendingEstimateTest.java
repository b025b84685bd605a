package com.meterit.sync.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.api.PendingCount;
import com.meterit.sync.api.SyncStatus;
import com.meterit.sync.core.testing.FakeClientSystemGateway;
import com.meterit.sync.core.testing.ForwardingReadingSource;
import com.meterit.sync.core.testing.InMemoryReadingSource;
import com.meterit.sync.core.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PendingEstimateTest {

  /** A source that must never be counted whole: it fails the test if asked for a full count. */
  private static final class EstimatingSource extends ForwardingReadingSource {
    final List<Long> asked = new ArrayList<>();

    EstimatingSource(InMemoryReadingSource delegate) {
      super(delegate);
    }

    @Override
    public long pendingCount() {
      throw new AssertionError("the status must not count the whole backlog");
    }

    @Override
    public PendingCount pendingCount(long exactUpTo) {
      asked.add(exactUpTo);
      return PendingCount.estimate(1_234_567);
    }
  }

  @Test
  void theStatusSaysWhenThePendingCountIsAnEstimateAndNeverCountsTheWholeBacklog() {
    ManualClock clock = new ManualClock(Instant.parse("2026-03-01T00:00:00Z"));
    EstimatingSource source = new EstimatingSource(
        new InMemoryReadingSource(clock, Duration.ofMinutes(5)));
    SyncManager manager = SyncManager.builder(source, new FakeClientSystemGateway())
        .setClock(clock)
        .build();

    SyncStatus status = manager.getStatus();

    assertEquals(1_234_567, status.pendingReadings().getAsLong());
    assertTrue(status.pendingIsEstimate());
    assertEquals(List.of(BacklogAndTotals.EXACT_PENDING_UP_TO), source.asked);
    assertTrue(status.toString().contains("pending=~1234567"), status.toString());
  }

  @Test
  void aCountedBacklogIsNotAnEstimate() {
    Harness h = new Harness();
    h.source.addSample(3);
    SyncStatus status = h.builder().build().getStatus();
    assertEquals(3, status.pendingReadings().getAsLong());
    assertFalse(status.pendingIsEstimate());
  }
}

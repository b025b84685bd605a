package com.meterit.sync.examples.tools.fleet;

import com.meterit.sync.api.ReadingSource;
import com.meterit.sync.core.testing.ManualClock;
import com.meterit.sync.core.testing.ReadingSourceContractTest;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The contract on the fleet simulator's queue, from sync-core's published test jar. The
 * simulator's readings appear with time; here the test writes them, so that its clock moves
 * leases alone. One instance is the queue, so a restart is a new manager on the same queue.
 */
class SimQueueContractTest extends ReadingSourceContractTest {
  private static final Duration LEASE = Duration.ofMinutes(5);
  private final AtomicLong written = new AtomicLong();
  private SimQueue queue;

  @Override
  protected ReadingSource newSource(ManualClock clock) {
    if (queue == null) {
      queue = new SimQueue(clock, LEASE, Instant.parse("2026-01-01T00:00:00Z"),
          Duration.ofSeconds(1), 50, at -> written.get());
    }
    return queue;
  }

  @Override
  protected void addReadings(int count) {
    written.addAndGet(count);
  }

  @Override
  protected Optional<Duration> lease() {
    return Optional.of(LEASE);
  }
}

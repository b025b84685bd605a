package com.meterit.sync.core;

import com.meterit.sync.api.ReadingSource;
import com.meterit.sync.core.testing.InMemoryReadingSource;
import com.meterit.sync.core.testing.ManualClock;
import com.meterit.sync.core.testing.ReadingSourceContractTest;
import java.time.Duration;
import java.util.Optional;

/**
 * The contract on the in-memory source, from outside its package as a host runs it: one
 * instance is the queue, so a restart is a new manager on the same source.
 */
class InMemoryReadingSourceContractTest extends ReadingSourceContractTest {
  private static final Duration LEASE = Duration.ofMinutes(5);
  private InMemoryReadingSource queue;

  @Override
  protected ReadingSource newSource(ManualClock clock) {
    if (queue == null) {
      queue = new InMemoryReadingSource(clock, LEASE);
    }
    return queue;
  }

  @Override
  protected void addReadings(int count) {
    newSource(clock);
    queue.addSample(count);
  }

  @Override
  protected Optional<Duration> lease() {
    return Optional.of(LEASE);
  }
}

package com.meterit.sync.core;

import com.meterit.sync.api.BackoffPolicy;
import com.meterit.sync.core.testing.FakeClientSystemGateway;
import com.meterit.sync.core.testing.InMemoryReadingSource;
import com.meterit.sync.core.testing.ManualClock;
import com.meterit.sync.core.testing.ManualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A manager wired to fakes with time under the test's control: a manual clock and scheduler, runs
 * executed on the calling thread without prefetching, and backoff waits that are recorded and
 * skipped.
 */
final class Harness {
  final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T00:00:00Z"));
  final ManualScheduler scheduler = new ManualScheduler(clock);
  final InMemoryReadingSource source = new InMemoryReadingSource(clock, Duration.ofMinutes(5));
  final FakeClientSystemGateway gateway = new FakeClientSystemGateway();
  final List<Duration> sleeps = new CopyOnWriteArrayList<>();

  SyncManagerBuilder builder() {
    return SyncManager.builder(source, gateway)
        .setClock(clock)
        .setScheduler(scheduler)
        .setExecutor(Runnable::run)
        .setPipelining(false)
        .setRandom(() -> 0.5)
        .setBackoffPolicy(BackoffPolicy.fixed(Duration.ofSeconds(10)))
        .setSleeper(d -> {
          sleeps.add(d);
          clock.advance(d);
        });
  }
}

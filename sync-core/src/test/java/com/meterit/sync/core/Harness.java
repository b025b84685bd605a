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
 * A manager wired to fakes with time under the test's control: a manual clock (wall and
 * monotonic) and scheduler, runs
 * and background work executed on the calling thread, and backoff waits that are recorded and
 * spent on the manual scheduler, so that timers (lease renewals among them) fire during them.
 * Pipelining stays on, as in production: the next batch is claimed on the prefetch thread.
 */
final class Harness {
  final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T00:00:00Z"));
  final ManualScheduler scheduler = new ManualScheduler(clock);
  final InMemoryReadingSource source = new InMemoryReadingSource(clock, Duration.ofMinutes(5));
  final FakeClientSystemGateway gateway = new FakeClientSystemGateway();
  final List<Duration> sleeps = new CopyOnWriteArrayList<>();

  SyncManagerBuilder builder() {
    return SyncManager.builder().setSource(source).setGateway(gateway)
        .setClock(clock)
        .setTicker(clock)
        .setScheduler(scheduler)
        .setExecutor(Runnable::run)
        .setBackgroundExecutor(Runnable::run)
        // The window's batches upload on the test's thread, one after the other, for strict order;
        // UploadWindowTest runs real lanes.
        .setUploadExecutor(Runnable::run)
        .setRandom(() -> 0.5)
        .setBackoffPolicy(BackoffPolicy.fixed(Duration.ofSeconds(10)))
        .setSleeper(d -> {
          sleeps.add(d);
          scheduler.advance(d);
        });
  }
}

package com.meterit.sync.core.testing;

import com.meterit.sync.api.BackoffPolicy;
import com.meterit.sync.core.SyncManager;
import com.meterit.sync.core.SyncManagerBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A manager wired to fakes with time under the test's control: a manual clock (wall and
 * monotonic) and scheduler, runs and background work executed on the calling thread, and backoff
 * waits that are recorded and spent on the manual scheduler, so that timers (lease renewals among
 * them) fire during them. Pipelining stays on, as in production: the next batch is claimed on the
 * prefetch thread.
 *
 * <p>A test that needs a real gateway or another source sets it on {@link #builder()}; every
 * other setting can be overridden there too. Published in sync-core's test jar (classifier
 * {@code tests}); not thread-safe, one per test.
 */
public final class Harness {
  /** When every test's clock starts, unless it says otherwise. */
  public static final Instant START = Instant.parse("2026-03-01T00:00:00Z");

  private final ManualClock clock = new ManualClock(START);
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final InMemoryReadingSource source = new InMemoryReadingSource(clock, Duration.ofMinutes(5));
  private final FakeClientSystemGateway gateway = new FakeClientSystemGateway();
  private final List<Duration> sleeps = new CopyOnWriteArrayList<>();

  /** The clock of the manager, its leases and its scheduler, starting at {@link #START}. */
  public ManualClock clock() {
    return clock;
  }

  /** The manager's scheduler; its timers fire when the test (or a backoff wait) advances it. */
  public ManualScheduler scheduler() {
    return scheduler;
  }

  /** The default source: in memory, with 5-minute leases on {@link #clock()}. */
  public InMemoryReadingSource source() {
    return source;
  }

  /** The default gateway: a scriptable fake. */
  public FakeClientSystemGateway gateway() {
    return gateway;
  }

  /** The backoff waits the manager asked for, in order. */
  public List<Duration> sleeps() {
    return sleeps;
  }

  /** A builder wired as the class comment says; each call returns a new one. */
  public SyncManagerBuilder builder() {
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

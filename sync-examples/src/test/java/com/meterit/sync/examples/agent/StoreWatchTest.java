package com.meterit.sync.examples.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.api.BackoffPolicy;
import com.meterit.sync.api.Claim;
import com.meterit.sync.api.Health;
import com.meterit.sync.api.HealthReason;
import com.meterit.sync.api.ReadingSourceException;
import com.meterit.sync.api.StoreFault;
import com.meterit.sync.api.SyncStatus;
import com.meterit.sync.core.SyncManager;
import com.meterit.sync.core.testing.FakeClientSystemGateway;
import com.meterit.sync.core.testing.ForwardingReadingSource;
import com.meterit.sync.core.testing.InMemoryReadingSource;
import com.meterit.sync.core.testing.ManualClock;
import com.meterit.sync.core.testing.ManualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The agent's answer to a Sync Database that breaks after start, on the engine with time in the
 * test's hands: reopen with backoff, then exit with the documented code; a full disk is waited
 * out.
 */
class StoreWatchTest {
  private static final Duration INTERVAL = Duration.ofMinutes(1);

  private final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T00:00:00Z"));
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final InMemoryReadingSource queue = new InMemoryReadingSource(clock, Duration.ofMinutes(5));
  private final FakeClientSystemGateway server = new FakeClientSystemGateway();
  /** What the store fails with now, or null while it works. */
  private final AtomicReference<StoreFault> broken = new AtomicReference<>();
  /** Whether a reopen cures it. */
  private volatile boolean reopenCures;
  private final AtomicInteger reopens = new AtomicInteger();
  private final AtomicInteger exitCode = new AtomicInteger(-1);
  private final List<String> lines = new CopyOnWriteArrayList<>();

  private final ForwardingReadingSource source = new ForwardingReadingSource(queue) {
    @Override
    public Claim claim(int maxReadings) {
      failIfBroken("claiming");
      return super.claim(maxReadings);
    }

    @Override
    public long pendingCount() {
      failIfBroken("counting");
      return super.pendingCount();
    }
  };

  private final StoreWatch.Store store = new StoreWatch.Store() {
    @Override
    public void reopen() {
      reopens.incrementAndGet();
      if (reopenCures) {
        broken.set(null);
      }
    }

    @Override
    public void probe() {
      source.pendingCount();
    }
  };

  private void failIfBroken(String what) {
    StoreFault fault = broken.get();
    if (fault != null) {
      throw new ReadingSourceException(what + " failed (" + fault + "): the test broke it", null,
          fault);
    }
  }

  private SyncManager manager() {
    AtomicReference<SyncManager> built = new AtomicReference<>();
    StoreWatch watch = new StoreWatch(store, scheduler, () -> built.get().triggerSync(),
        exitCode::set, lines::add);
    SyncManager manager = SyncManager.builder(source, server)
        .addListener(watch)
        .setClock(clock)
        .setScheduler(scheduler)
        .setExecutor(Runnable::run)
        .setBackgroundExecutor(Runnable::run)
        .setUploadExecutor(Runnable::run)
        .setRandom(() -> 0.5)
        .setSyncInterval(INTERVAL)
        .setBackoffPolicy(BackoffPolicy.fixed(Duration.ofSeconds(10)))
        .setSleeper(scheduler::advance)
        .build();
    built.set(manager);
    return manager;
  }

  @Test
  void aClosedStoreThatAReopenCuresKeepsTheAgentRunning() {
    SyncManager manager = manager();
    manager.start();
    reopenCures = true;
    broken.set(StoreFault.UNAVAILABLE);
    queue.addSample(10);
    manager.triggerSync();
    assertEquals(0, reopens.get(), "the first reopen waits its backoff");

    scheduler.advance(StoreWatch.DEFAULT_FIRST_DELAY);
    assertEquals(1, reopens.get());
    assertEquals(10, server.accepted().size(), "the run after the reopen drained the queue");
    assertEquals(-1, exitCode.get());
    assertEquals(Health.HEALTHY, manager.getStatus().health().health());
    manager.close();
  }

  @Test
  void aClosedStoreThatStaysClosedIsReopenedThreeTimesThenExitsOne() {
    SyncManager manager = manager();
    manager.start();
    broken.set(StoreFault.UNAVAILABLE);
    manager.triggerSync();

    // Backoff 2 s, 4 s, 8 s: a reopen each, and the exit only after the last one failed.
    scheduler.advance(Duration.ofSeconds(2));
    assertEquals(1, reopens.get());
    SyncStatus meanwhile = manager.getStatus();
    assertEquals(Health.FAILING, meanwhile.health().health());
    assertTrue(meanwhile.health().detail().contains("the test broke it"), meanwhile.toString());
    scheduler.advance(Duration.ofSeconds(4));
    assertEquals(2, reopens.get());
    scheduler.advance(Duration.ofSeconds(8).minusMillis(1));
    assertEquals(-1, exitCode.get());
    scheduler.advance(Duration.ofMillis(1));
    assertEquals(3, reopens.get());
    assertEquals(SyncAgent.EXIT_FAILURE, exitCode.get(), String.join("\n", lines));
    assertTrue(lines.get(lines.size() - 1).startsWith("The Sync Database stays unavailable "
        + "after 3 reopens"), String.join("\n", lines));
    manager.close();
  }

  @Test
  void aDamagedStoreExitsThreeAfterItsReopensFail() {
    SyncManager manager = manager();
    manager.start();
    broken.set(StoreFault.DAMAGED);
    manager.triggerSync();
    scheduler.advance(Duration.ofSeconds(14));
    assertEquals(3, reopens.get());
    assertEquals(SyncAgent.EXIT_DATABASE, exitCode.get(), String.join("\n", lines));
    manager.close();
  }

  @Test
  void aReopenThatFailsCountsAsAnAttempt() {
    AtomicInteger calls = new AtomicInteger();
    StoreWatch.Store refusing = new StoreWatch.Store() {
      @Override
      public void reopen() {
        calls.incrementAndGet();
        throw new ReadingSourceException("connecting failed: the file is gone", null,
            StoreFault.UNAVAILABLE);
      }

      @Override
      public void probe() {}
    };
    AtomicInteger triggers = new AtomicInteger();
    StoreWatch watch = new StoreWatch(refusing, scheduler, triggers::incrementAndGet,
        exitCode::set, lines::add);
    watch.onSyncFailed(null, new ReadingSourceException("x", null, StoreFault.UNAVAILABLE));
    scheduler.advance(Duration.ofSeconds(14));
    assertEquals(3, calls.get());
    assertEquals(0, triggers.get(), "no run on a store that did not reopen");
    assertEquals(SyncAgent.EXIT_FAILURE, exitCode.get());
  }

  @Test
  void aFullDiskIsWaitedOutNeverExitsAndTheDrainResumes() {
    SyncManager manager = manager();
    manager.start();
    broken.set(StoreFault.FULL);
    queue.addSample(25);
    manager.triggerSync();
    scheduler.advance(Duration.ofHours(2));
    assertEquals(0, reopens.get(), "a full disk is not reopened");
    assertEquals(-1, exitCode.get(), "a full disk never ends the agent");
    assertEquals(HealthReason.STORE_FULL, manager.getCachedStatus().health().reason());
    assertEquals(1, lines.stream().filter(l -> l.contains("disk is full")).count(),
        "one line while it stays full, not one per run: " + lines);

    broken.set(null);
    scheduler.advance(INTERVAL);
    assertEquals(25, server.accepted().size());
    assertEquals(Health.HEALTHY, manager.getStatus().health().health());
    assertTrue(lines.get(lines.size() - 1).contains("works again"), lines.toString());
    manager.close();
  }

  @Test
  void aTransientFailureIsLeftToTheNextRun() {
    StoreWatch watch = new StoreWatch(store, scheduler, () -> { }, exitCode::set, lines::add);
    watch.onSyncFailed(null, new ReadingSourceException("[SQLITE_BUSY]", null));
    scheduler.advance(Duration.ofMinutes(10));
    assertEquals(0, reopens.get());
    assertEquals(-1, exitCode.get());
    assertEquals(List.of(), lines);
  }
}

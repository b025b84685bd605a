package com.meterit.sync.core.internal.run;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.core.SyncManager;
import com.meterit.sync.core.testing.Harness;
import com.meterit.sync.core.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Review finding 1: the window grows on every answer even when it was never filled. A gateway in
 * its steady state sends one small batch per run; each answer counts towards slow start, so after
 * about 30 quiet runs the window stands at its ceiling of 32 without ever having held more than
 * one batch. The first run after an outage (or any backlog) then sends 32 batches at once, before
 * a single latency sample can hold it back: eight times the burst the fixed ceiling of 4 allowed,
 * from every gateway of a fleet returning together. TCP calls this an application-limited window
 * and does not grow it (RFC 7661), and restarts it after idle (RFC 5681 4.1).
 */
class UploadWindowIdleGrowthTest {
  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-07T00:00:00Z"));

  @Test
  void aWindowThatNeverHeldMoreThanOneBatchDoesNotGrowPastTheFormerCeiling() {
    UploadWindow window = new UploadWindow(0, 1_000, clock, clock::advance, new StopSignal());
    // Forty quiet runs: one batch each, on a link whose latency never changes.
    for (int run = 0; run < 40; run++) {
      window.enter();
      long sent = window.sending();
      clock.advance(Duration.ofMillis(100));
      window.answered(sent);
      window.leave();
      clock.advance(Duration.ofMinutes(1));
    }
    // What the next backlog may send at once, before any answer comes back.
    int burst = window.size();
    assertTrue(burst <= UploadWindow.FLOOR,
        "never more than one batch in flight, yet the next run may send " + burst + " at once");
  }

  @Test
  void afterQuietRunsTheEngineWindowStandsAtItsCeiling() {
    Harness h = new Harness();
    SyncManager manager = h.builder().build();
    manager.start();
    for (int run = 0; run < 40; run++) {
      h.source().addSample(1);
      manager.triggerSync().join();
      h.clock().advance(Duration.ofMinutes(1));
    }
    int window = manager.getStatus().uploadWindow();
    manager.stop().join();
    assertTrue(window <= UploadWindow.FLOOR,
        "forty runs of one reading each grew the window to " + window
            + ": the first run after an outage sends that many batches at once");
  }

  @Test
  void afterQuietRunsABacklogGoesOutAsABurstOfThirtyTwoBeforeAnyAnswer() throws Exception {
    Harness h = new Harness();
    ExecutorService runner = Executors.newSingleThreadExecutor();
    try {
      // The production window and upload pool; only time and the run's thread are the test's.
      SyncManager manager = SyncManager.builder().setSource(h.source()).setGateway(h.gateway())
          .setClock(h.clock()).setTicker(h.clock()).setScheduler(h.scheduler())
          .setExecutor(runner).setBackgroundExecutor(Runnable::run).build();
      manager.start();
      for (int run = 0; run < 40; run++) {
        h.source().addSample(1);
        manager.triggerSync().get(10, TimeUnit.SECONDS);
        h.clock().advance(Duration.ofMinutes(5));
      }
      // The link comes back with a backlog; no answer arrives until the test says so.
      h.source().addSample(100 * SyncManager.DEFAULT_BATCH_SIZE);
      CountDownLatch answer = new CountDownLatch(1);
      AtomicInteger sent = new AtomicInteger();
      h.gateway().beforeUpload(b -> {
        sent.incrementAndGet();
        try {
          answer.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      manager.triggerSync();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (System.nanoTime() < deadline
          && (manager.getStatus().batchesInFlight() < manager.getStatus().uploadWindow()
              || sent.get() < manager.getStatus().batchesInFlight())) {
        Thread.yield();
      }
      int burst = sent.get();
      answer.countDown();
      manager.stop().get(30, TimeUnit.SECONDS);
      assertTrue(burst <= UploadWindow.FLOOR,
          burst + " batches sent at once before the first answer; the fixed ceiling sent 4");
    } finally {
      runner.shutdownNow();
    }
  }
}

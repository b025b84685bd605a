package com.meterit.sync.core.internal.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.api.Reading;
import com.meterit.sync.api.TransientGatewayException;
import com.meterit.sync.core.SyncManager;
import com.meterit.sync.core.testing.Harness;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Review check: stop() while the production window is full and every lane waits out an hour's
 * Retry-After, on the production sleeper (which a stop wakes) and upload pool.
 */
class DefaultWindowStopTest {
  private final Harness h = new Harness();
  private final ExecutorService runner = Executors.newSingleThreadExecutor();

  @AfterEach
  void shutDown() {
    runner.shutdownNow();
  }

  @Test
  void stopWhileAWideWindowWaitsOutARetryAfterEndsPromptlyAndLeavesNothingHeld()
      throws Exception {
    Set<Long> all = new HashSet<>();
    SyncManager manager = SyncManager.builder().setSource(h.source()).setGateway(h.gateway())
        .setClock(h.clock()).setTicker(h.clock()).setScheduler(h.scheduler())
        .setExecutor(runner).setBackgroundExecutor(Runnable::run)
        .setBatchSize(100).build();
    // As a link's round trip does, answers wait until the window is full (at most 100 ms): the
    // window grows only while it is used.
    h.gateway().beforeUpload(b -> {
      long until = System.nanoTime() + 100_000_000L;
      while (manager.getStatus().batchesInFlight() < manager.getStatus().uploadWindow()
          && System.nanoTime() < until) {
        Thread.yield();
      }
    });
    manager.start();
    h.source().addSample(5_000).forEach(r -> all.add(r.id()));
    manager.triggerSync().get(30, TimeUnit.SECONDS);
    int opened = manager.getStatus().uploadWindow();
    assertTrue(opened >= 16, "opened by a clean drain: " + opened);

    for (Reading r : h.source().addSample(10_000)) {
      all.add(r.id());
    }
    AtomicInteger uploads = new AtomicInteger();
    CountDownLatch paused = new CountDownLatch(1);
    h.gateway().beforeUpload(b -> {
      if (uploads.incrementAndGet() == 1) {
        paused.countDown();
      }
    });
    h.gateway().failNextUploads(new TransientGatewayException("full", 429, null,
        Duration.ofHours(1), null));
    manager.triggerSync();
    assertTrue(paused.await(30, TimeUnit.SECONDS));
    // The lanes after the 429 wait in the pause, and the run for a place in the window.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (manager.getStatus().batchesInFlight() < 4 && System.nanoTime() < deadline) {
      Thread.yield();
    }
    int waiting = manager.getStatus().batchesInFlight();
    assertTrue(waiting >= 4, "lanes wait in the pause: " + waiting);
    manager.stop().get(10, TimeUnit.SECONDS);

    assertEquals(Map.of(), h.gateway().readingsInTwoBatches());
    assertEquals(0, h.source().heldBatches(), "nothing left held");
    Set<Long> accounted = new HashSet<>(h.gateway().accepted().keySet());
    assertEquals(accounted.size(), h.source().syncedIds().size());
    assertEquals(all.size(), accounted.size() + h.source().pendingCount(), "nothing lost");
  }
}

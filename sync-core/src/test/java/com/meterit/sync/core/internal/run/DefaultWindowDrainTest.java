package com.meterit.sync.core.internal.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.api.BackoffPolicy;
import com.meterit.sync.api.ClientSystemGateway;
import com.meterit.sync.api.TransientGatewayException;
import com.meterit.sync.api.UploadBatch;
import com.meterit.sync.api.UploadResult;
import com.meterit.sync.core.SyncManager;
import com.meterit.sync.core.testing.FakeClientSystemGateway;
import com.meterit.sync.core.testing.Harness;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Review check: a drain with the production window and upload pool (no setMaxInFlight, no
 * upload executor: up to 32 real lanes, pipelining on), through lost answers, Retry-After
 * overloads, 413 splits and whole-batch refusals in all lanes at once. The Harness itself uploads
 * on the test's thread, so no engine test ran the default window with lanes before.
 */
class DefaultWindowDrainTest {
  private final Harness h = new Harness();

  @Test
  void theDefaultWindowDrainsThroughEveryKindOfFailureWithNoReadingLostOrInTwoBatches() {
    Set<Long> all = new TreeSet<>();
    AtomicInteger mostInFlight = new AtomicInteger();
    AtomicInteger inFlight = new AtomicInteger();
    AtomicReference<SyncManager> managed = new AtomicReference<>();
    Object gate = new Object();
    h.gateway().beforeUpload(b -> {
      mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      // Holds each upload until eight are in flight (or the window's worth, when it is smaller:
      // it grows only while it is used), so that the lanes overlap as they do on a real link;
      // not past 100 ms, for a drain's last few batches.
      synchronized (gate) {
        gate.notifyAll();
        long until = System.nanoTime() + 100_000_000L;
        while (inFlight.get() < Math.min(8, managed.get().getStatus().uploadWindow())) {
          long left = until - System.nanoTime();
          if (left <= 0) {
            break;
          }
          try {
            gate.wait(Math.max(1, left / 1_000_000));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            break;
          }
        }
      }
    });
    FakeClientSystemGateway fake = h.gateway();
    ClientSystemGateway counting = new ClientSystemGateway() {
      @Override
      public boolean testConnection() {
        return fake.testConnection();
      }

      @Override
      public void authenticate() {
        fake.authenticate();
      }

      @Override
      public UploadResult uploadBatch(UploadBatch batch) {
        try {
          return fake.uploadBatch(batch);
        } finally {
          inFlight.decrementAndGet();
        }
      }
    };
    SyncManager manager = SyncManager.builder().setSource(h.source()).setGateway(counting)
        .setClock(h.clock()).setTicker(h.clock()).setScheduler(h.scheduler())
        .setExecutor(Runnable::run).setBackgroundExecutor(Runnable::run)
        .setRandom(() -> 0.5).setBackoffPolicy(BackoffPolicy.fixed(Duration.ofSeconds(10)))
        .setSleeper(d -> h.clock().advance(d))
        .setBatchSize(100)
        .build();
    managed.set(manager);
    manager.start();
    // A clean drain first: the window opens to its ceiling.
    h.source().addSample(5_000).forEach(r -> all.add(r.id()));
    drain(manager);
    int opened = manager.getStatus().uploadWindow();
    // Then, with every lane busy: lost answers, 413s and whole-batch refusals.
    h.source().addSample(20_000).forEach(r -> all.add(r.id()));
    h.gateway().loseNextAnswers(7).setMaxBatchSize(60)
        .rejectBatchesContaining(r -> r.id() % 4_999 == 0);
    drain(manager);
    // And a burst of 503s with Retry-After.
    h.source().addSample(5_000).forEach(r -> all.add(r.id()));
    for (int i = 0; i < 6; i++) {
      h.gateway().failNextUploads(new TransientGatewayException("busy", 503, null,
          Duration.ofSeconds(30), null));
    }
    drain(manager);
    manager.stop().join();

    Set<Long> done = new HashSet<>(h.gateway().accepted().keySet());
    done.addAll(h.source().quarantined().keySet());
    assertEquals(all, new TreeSet<>(done), "every reading accepted or quarantined");
    assertEquals(Map.of(), h.gateway().readingsInTwoBatches());
    assertEquals(0, h.gateway().conflictingReplays());
    assertEquals(0, h.source().heldBatches());
    assertEquals(0, h.source().pendingCount());
    assertTrue(opened >= 8, "the clean drain opened the window: " + opened);
    assertTrue(mostInFlight.get() > 4, "the default window ran lanes: " + mostInFlight.get());
  }

  private void drain(SyncManager manager) {
    for (int run = 0; run < 30 && h.source().pendingCount() > 0; run++) {
      manager.triggerSync().join();
      h.clock().advance(Duration.ofMinutes(1));
    }
  }
}

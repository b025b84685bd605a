package com.meterit.sync.core;

import static com.meterit.sync.core.internal.run.Latches.awaitQuietly;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.api.BackoffPolicy;
import com.meterit.sync.api.SyncOutcome;
import com.meterit.sync.api.SyncRun;
import com.meterit.sync.api.SyncState;
import com.meterit.sync.api.TransientGatewayException;
import com.meterit.sync.core.testing.Harness;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** stop() while a run is in flight, on a real worker thread. */
class StopTest {
  private final Harness h = new Harness();
  private final ExecutorService worker = Executors.newSingleThreadExecutor();
  private final CountDownLatch uploading = new CountDownLatch(1);
  private final CountDownLatch proceed = new CountDownLatch(1);

  @AfterEach
  void shutDown() {
    worker.shutdownNow();
  }

  private void blockFirstUpload() {
    AtomicInteger calls = new AtomicInteger();
    h.gateway().beforeUpload(batch -> {
      if (calls.incrementAndGet() == 1) {
        uploading.countDown();
        awaitQuietly(proceed);
      }
    });
  }

  @Test
  void stopDuringAnUploadFinishesThatBatchAndLosesNothing() throws Exception {
    h.source().addSample(5_000);
    blockFirstUpload();
    SyncManager manager = h.builder().setExecutor(worker).setBatchSize(1000).build();
    manager.start();
    assertTrue(uploading.await(10, TimeUnit.SECONDS));

    CompletableFuture<Void> stopped = manager.stop();
    assertEquals(SyncState.STOPPING, manager.getStatus().state());
    proceed.countDown();
    stopped.get(10, TimeUnit.SECONDS);

    // The batch in flight was answered, so it is acknowledged; nothing else was sent.
    assertEquals(1000, h.source().syncedIds().size());
    assertEquals(h.gateway().accepted().keySet(), new java.util.TreeSet<>(h.source().syncedIds()));
    assertEquals(4000, h.source().pendingCount());
    assertEquals(0, h.source().heldBatches(), "the batch claimed ahead was given back");
    assertEquals(SyncState.STOPPED, manager.getStatus().state());
    assertEquals(1, manager.getSyncStats(1).runs());
    assertEquals(0, manager.getSyncStats(1).failures(), "an interrupted run is no failure");
  }

  @Test
  void stopDuringAnUploadThatThenFailsReleasesTheBatch() throws Exception {
    h.source().addSample(300);
    blockFirstUpload();
    h.gateway().failNextUploads(
        new TransientGatewayException("connection reset", new IOException("reset")));
    SyncManager manager = h.builder().setExecutor(worker).build();
    manager.start();
    assertTrue(uploading.await(10, TimeUnit.SECONDS));

    CompletableFuture<Void> stopped = manager.stop();
    proceed.countDown();
    stopped.get(10, TimeUnit.SECONDS);

    assertEquals(0, h.source().syncedIds().size());
    assertEquals(300, h.source().pendingCount());
    assertEquals(0, h.source().heldBatches(), "released at once, not left to the lease");
    assertEquals(1, h.source().journaledBatches(), "journaled: it goes out again unchanged");
  }

  @Test
  void stopCutsABackoffWaitShort() throws Exception {
    h.source().addSample(10);
    CountDownLatch failedOnce = new CountDownLatch(1);
    h.gateway().setReachable(false).beforeUpload(batch -> failedOnce.countDown());
    // The default sleeper: a real one-hour wait that only stop() can end.
    SyncManager manager = SyncManager.builder().setSource(h.source()).setGateway(h.gateway())
        .setClock(h.clock())
        .setScheduler(h.scheduler())
        .setExecutor(worker)
        .setBackoffPolicy(BackoffPolicy.fixed(Duration.ofHours(1)))
        .build();
    CompletableFuture<SyncRun> run;
    manager.start();
    assertTrue(failedOnce.await(10, TimeUnit.SECONDS));
    run = manager.triggerSync();

    manager.stop().get(10, TimeUnit.SECONDS);
    assertEquals(SyncOutcome.INTERRUPTED, run.get(10, TimeUnit.SECONDS).outcome());
    assertEquals(10, h.source().pendingCount());
    assertEquals(0, h.source().heldBatches());
  }
}

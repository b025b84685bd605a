package com.meterit.sync.core.internal.run;

import static com.meterit.sync.core.internal.run.Latches.awaitQuietly;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.api.Claim;
import com.meterit.sync.api.TransientGatewayException;
import com.meterit.sync.api.UploadBatch;
import com.meterit.sync.core.SyncManager;
import com.meterit.sync.core.testing.ForwardingReadingSource;
import com.meterit.sync.core.testing.Harness;
import com.meterit.sync.core.time.Scheduler;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Leases outlive the work they cover: a batch in flight or waiting is never taken over. */
class LeaseRenewalTest {
  private final Harness h = new Harness();

  @Test
  void anUploadThatOutlastsItsLeaseKeepsItsBatchWhileTheNextIsClaimedAhead() {
    h.source().addSample(3_000);
    CountDownLatch timePassed = new CountDownLatch(1);
    CountDownLatch claimedAhead = new CountDownLatch(1);
    AtomicInteger claims = new AtomicInteger();
    // The claim ahead waits until the first upload has outlived its 5-minute lease.
    ForwardingReadingSource gated = new ForwardingReadingSource(h.source()) {
      @Override
      public Claim claim(int maxReadings) {
        int n = claims.incrementAndGet();
        if (n == 2) {
          awaitQuietly(timePassed);
        }
        Claim claim = super.claim(maxReadings);
        if (n == 2) {
          claimedAhead.countDown();
        }
        return claim;
      }
    };
    AtomicInteger uploads = new AtomicInteger();
    h.gateway().beforeUpload(batch -> {
      if (uploads.incrementAndGet() == 1) {
        h.scheduler().advance(Duration.ofMinutes(12));
        timePassed.countDown();
        awaitQuietly(claimedAhead);
      }
    });
    SyncManager manager = SyncManager.builder().setSource(gated).setGateway(h.gateway()).setClock(h.clock())
        .setScheduler(h.scheduler()).setExecutor(Runnable::run)
        .setBackgroundExecutor(Runnable::run).setBatchSize(1000).build();
    manager.start();

    assertEquals(Map.of(), h.gateway().readingsInTwoBatches());
    assertEquals(3, h.gateway().uploads().size(), "no batch was sent twice");
    assertEquals(3_000, manager.getSyncStats(1).readingsSynced());
    assertEquals(3_000, h.source().syncedIds().size());
  }

  @Test
  void aBatchWaitingOutALongRetryAfterKeepsItsLease() {
    h.source().addSample(2_000);
    h.gateway().failNextUploads(
        new TransientGatewayException("slow down", 429, null, Duration.ofMinutes(50), null));
    SyncManager manager = h.builder().setBatchSize(1000).build();
    manager.start();

    assertEquals(Map.of(), h.gateway().readingsInTwoBatches());
    assertEquals(2_000, manager.getSyncStats(1).readingsSynced());
    long sends = h.gateway().uploads().stream().map(UploadBatch::batchId).count();
    long distinct = h.gateway().uploads().stream().map(UploadBatch::batchId).distinct().count();
    assertEquals(3, sends, "the refused send, its retry and the second batch");
    assertEquals(2, distinct);
    assertTrue(h.source().heldBatches() == 0 && h.source().journaledBatches() == 0);
  }

  @Test
  void aBatchTakenOverMeanwhileIsNeitherSentNorCountedByItsFormerHolder() {
    h.source().addSample(500);
    AtomicInteger uploads = new AtomicInteger();
    // While the first send waits, the lease lapses and another worker takes the batch over and
    // delivers it; the retry from here must not send or count it again.
    h.gateway().failNextUploads(new TransientGatewayException("bad gateway", 502, null, null, null));
    h.gateway().beforeUpload(batch -> {
      if (uploads.incrementAndGet() == 1) {
        h.clock().advance(Duration.ofMinutes(6));
        Claim takenOver = h.source().claim(1000);
        assertTrue(takenOver.resumed());
        h.source().settle(takenOver, java.util.List.of());
      }
    });
    SyncManager manager = h.builder().setBatchSize(1000).build();
    manager.start();

    assertEquals(1, h.gateway().uploads().size(), "the former holder did not send it again");
    assertEquals(0, manager.getSyncStats(1).readingsSynced(), "nor counted it");
    assertEquals(500, h.source().syncedIds().size());
  }

  @Test
  void aRenewalTheExecutorRefusesIsTriedAgain() {
    h.source().addSample(1_000);
    java.util.concurrent.atomic.AtomicInteger offered = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.Executor refusesTheFirst = task -> {
      if (offered.incrementAndGet() == 1) {
        throw new java.util.concurrent.RejectedExecutionException("busy");
      }
      task.run();
    };
    LeaseKeeper leases = new LeaseKeeper(h.source(), h.clock(), h.clock(), h.scheduler(), refusesTheFirst);
    Claim claim = h.source().claim(1_000);
    leases.hold(claim);
    // Past the original five-minute lease, the claim still holds its batch.
    h.scheduler().advance(Duration.ofMinutes(12));
    leases.ensureHeld(claim);
    assertEquals(0, h.source().claim(1_000).size(), "nobody took the batch over");
    assertTrue(offered.get() > 3);
  }

  /**
   * A scheduler that refuses the renewal timer (a host's, shutting down) must not
   * make holding a claim fail, which would strand the claim, taken but neither sent nor given
   * back; the next hold schedules it again.
   */
  @Test
  void aRenewalTimerTheSchedulerRefusesDoesNotFailTheHold() {
    h.source().addSample(2_000);
    java.util.concurrent.atomic.AtomicBoolean refusing =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    Scheduler refusesWhileAsked = (task, delay) -> {
      if (refusing.get()) {
        throw new java.util.concurrent.RejectedExecutionException("shutting down");
      }
      return h.scheduler().schedule(task, delay);
    };
    LeaseKeeper leases = new LeaseKeeper(h.source(), h.clock(), h.clock(), refusesWhileAsked, Runnable::run);
    Claim first = h.source().claim(1_000);
    leases.hold(first);

    refusing.set(false);
    Claim second = h.source().claim(1_000);
    leases.hold(second);
    h.scheduler().advance(Duration.ofMinutes(12));
    leases.ensureHeld(first);
    leases.ensureHeld(second);
    assertEquals(0, h.source().claim(1_000).size(), "both batches are still held, renewed");
  }
}

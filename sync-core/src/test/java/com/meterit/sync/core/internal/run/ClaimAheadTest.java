package com.meterit.sync.core.internal.run;

import static com.meterit.sync.core.internal.run.Latches.awaitQuietly;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.api.Claim;
import com.meterit.sync.api.LeaseLostException;
import com.meterit.sync.api.ReadingSourceException;
import com.meterit.sync.api.Rejection;
import com.meterit.sync.api.SyncOutcome;
import com.meterit.sync.api.SyncRun;
import com.meterit.sync.core.SyncManager;
import com.meterit.sync.core.testing.ForwardingReadingSource;
import com.meterit.sync.core.testing.Harness;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * With the upload window full, the next batch is claimed in the settlement's own call, so that a
 * source that can do both in one transaction commits once per batch; a failure of that call
 * loses nothing and sends nothing in two batches.
 */
@Timeout(60)
class ClaimAheadTest {
  private static final int BATCHES = 10;
  private static final int BATCH = 100;

  private final Harness h = new Harness();
  private final ExecutorService lanes = Executors.newFixedThreadPool(3);
  private final AtomicInteger claims = new AtomicInteger();
  private final AtomicInteger settles = new AtomicInteger();
  private final AtomicInteger settlesWithClaim = new AtomicInteger();
  private final CountDownLatch[] uploadStarted = new CountDownLatch[BATCHES + 2];
  private final AtomicInteger uploadsStarted = new AtomicInteger();

  /** Fails the n-th settleAndClaim (1-based) with what the function gives, or not if null. */
  private volatile IntFunction<RuntimeException> settleAndClaimFailure = n -> null;

  private final ForwardingReadingSource counting = new ForwardingReadingSource(h.source()) {
    @Override
    public Claim claim(int maxReadings) {
      claims.incrementAndGet();
      return super.claim(maxReadings);
    }

    @Override
    public void settle(Claim claim, List<Rejection> rejected) {
      settles.incrementAndGet();
      super.settle(claim, rejected);
    }

    @Override
    public Claim settleAndClaim(Claim claim, List<Rejection> rejected, int maxReadings) {
      RuntimeException failure = settleAndClaimFailure.apply(settlesWithClaim.incrementAndGet());
      if (failure != null) {
        // Nothing changed, as the contract says of a failed call; the lanes waiting go on.
        releaseEveryUpload();
        throw failure;
      }
      return h.source().settleAndClaim(claim, rejected, maxReadings);
    }
  };

  ClaimAheadTest() {
    for (int i = 0; i < uploadStarted.length; i++) {
      uploadStarted[i] = new CountDownLatch(1);
    }
    // Each upload waits until the next one has started, so that whenever the run asks for the
    // next batch, both places of the window are taken.
    h.gateway().beforeUpload(batch -> {
      int n = uploadsStarted.incrementAndGet();
      uploadStarted[Math.min(n, uploadStarted.length - 1)].countDown();
      if (n < BATCHES) {
        awaitQuietly(uploadStarted[n + 1]);
      }
    });
  }

  @AfterEach
  void tearDown() {
    lanes.shutdownNow();
  }

  private void releaseEveryUpload() {
    for (CountDownLatch started : uploadStarted) {
      started.countDown();
    }
  }

  private SyncManager manager() {
    return h.builder().setSource(counting).setUploadExecutor(lanes).setMaxInFlight(2)
        .setBatchSize(BATCH).build();
  }

  @Test
  void aFullWindowCommitsOncePerBatch() {
    h.source().addSample(BATCHES * BATCH);
    SyncManager manager = manager();
    manager.start();

    assertEquals(BATCHES * BATCH, h.gateway().accepted().size());
    assertTrue(h.gateway().readingsInTwoBatches().isEmpty());
    assertEquals(0, h.source().pendingCount());
    // The first two batches are claimed alone, before the window is full; every later claim,
    // the last (empty) one included, shares a call with a settlement; one batch settles alone.
    assertEquals(2, claims.get(), "claims alone");
    assertEquals(BATCHES - 1, settlesWithClaim.get(), "settlements that claimed the next batch");
    assertEquals(1, settles.get(), "settlements alone");
    assertEquals(BATCHES + 2, claims.get() + settles.get() + settlesWithClaim.get(),
        "calls to the source, each a transaction on PostgreSQL, for " + BATCHES + " batches");
    manager.stop().join();
  }

  @Test
  void aFailedSettlementWithClaimLeavesTheBatchJournaledAndSendsItAgainWhole() {
    h.source().addSample(BATCHES * BATCH);
    settleAndClaimFailure =
        n -> n == 3 ? new ReadingSourceException("settling a batch: database gone", null) : null;
    SyncManager manager = manager();
    manager.start();

    assertEquals(1, manager.getSyncStats(1).failures());
    assertEquals(0, h.source().heldBatches(), "the batch and the one claimed ahead are given back");
    assertTrue(h.source().journaledBatches() >= 1, "the batch answered stays journaled");

    settleAndClaimFailure = n -> null;
    SyncRun next = manager.triggerSync().join();
    assertEquals(SyncOutcome.SUCCEEDED, next.outcome());
    assertEquals(BATCHES * BATCH, h.gateway().accepted().size());
    assertTrue(h.gateway().readingsInTwoBatches().isEmpty(),
        "the batch whose settlement failed went out again whole, under the same id");
    assertEquals(0, h.gateway().conflictingReplays());
    assertEquals(0, h.source().pendingCount());
    assertEquals(0, h.source().journaledBatches());
    manager.stop().join();
  }

  @Test
  void aLostLeaseAtTheSettlementStillClaimsTheNextBatch() {
    h.source().addSample(BATCHES * BATCH);
    settleAndClaimFailure =
        n -> n == 2 ? new LeaseLostException("batch taken over by another worker") : null;
    SyncManager manager = manager();
    manager.start();

    // The batch whose lease was lost is another worker's to settle; the run goes on past it.
    assertEquals(1, manager.getSyncStats(1).successes());
    assertEquals(BATCHES * BATCH - BATCH, manager.getSyncStats(1).readingsSynced());
    assertEquals(BATCH, h.source().pendingCount(), "its readings stay journaled, not synced here");
    assertEquals(1, h.source().journaledBatches());
    assertEquals(BATCHES * BATCH, h.gateway().accepted().size());
    assertTrue(h.gateway().readingsInTwoBatches().isEmpty());
    manager.stop().join();
  }

  @Test
  void stopWhileTheWindowIsFullLeavesNothingHeld() throws Exception {
    h.source().addSample(BATCHES * BATCH);
    CountDownLatch secondUploading = new CountDownLatch(1);
    CountDownLatch proceed = new CountDownLatch(1);
    h.gateway().beforeUpload(batch -> {
      if (uploadsStarted.incrementAndGet() == 2) {
        secondUploading.countDown();
      }
      awaitQuietly(proceed);
    });
    ExecutorService runner = Executors.newSingleThreadExecutor();
    try {
      SyncManager manager = h.builder().setSource(counting).setUploadExecutor(lanes)
          .setExecutor(runner).setMaxInFlight(2).setBatchSize(BATCH).build();
      manager.start();
      assertTrue(secondUploading.await(10, TimeUnit.SECONDS));
      // The run waits for a place in the window, with the next claim waiting for a settlement.
      var stopped = manager.stop();
      proceed.countDown();
      stopped.get(10, TimeUnit.SECONDS);

      assertEquals(0, h.source().heldBatches(), "nothing is left held");
      assertEquals(BATCHES * BATCH, h.source().pendingCount() + h.source().syncedIds().size());
      assertTrue(h.gateway().readingsInTwoBatches().isEmpty());
    } finally {
      runner.shutdownNow();
    }
  }
}

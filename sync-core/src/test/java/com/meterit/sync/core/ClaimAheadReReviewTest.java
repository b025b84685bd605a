package com.meterit.sync.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.meterit.sync.api.Claim;
import com.meterit.sync.api.Rejection;
import com.meterit.sync.api.SyncListener;
import com.meterit.sync.api.SyncRun;
import com.meterit.sync.api.UploadBatch;
import com.meterit.sync.api.UploadResult;
import com.meterit.sync.core.testing.ForwardingReadingSource;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * From the second adversarial review of {@link ClaimAhead}, of the fixes of {@link
 * ClaimAheadReviewTest}'s findings: each failed on 8f01af7.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ClaimAheadReReviewTest {
  private static final int BATCH = 100;

  private final Harness h = new Harness();
  private final ExecutorService lanes = Executors.newFixedThreadPool(3);

  @AfterEach
  void tearDown() {
    lanes.shutdownNow();
  }

  /**
   * The default settleAndClaim settles (committed), then claims; it wraps only a RuntimeException
   * of the claim in NextClaimFailedException. When the claim fails with anything else (an Error
   * such as NoClassDefFoundError, or a checked exception thrown undeclared: the cases of
   * findings 1 and 2), ClaimAhead.settle rethrows it as a failed settlement: the batch, settled,
   * is neither counted nor announced, as in finding 3.
   */
  private void settledBatchIsCountedWhenTheRidingClaimThrows(Supplier<Throwable> failure) {
    h.source.addSample(4 * BATCH);
    ClaimAheadReviewTest.pairTheFirstTwoUploads(h.gateway);
    ThreadLocal<Boolean> inSettleAndClaim = ThreadLocal.withInitial(() -> false);
    AtomicBoolean failed = new AtomicBoolean();
    ForwardingReadingSource source = new ForwardingReadingSource(h.source) {
      @Override
      public Claim claim(int maxReadings) {
        if (inSettleAndClaim.get() && failed.compareAndSet(false, true)) {
          throw ClaimAheadReviewTest.<RuntimeException>sneaky(failure.get());
        }
        return super.claim(maxReadings);
      }

      @Override
      public Claim settleAndClaim(Claim claim, List<Rejection> rejected, int maxReadings) {
        inSettleAndClaim.set(true);
        try {
          return super.settleAndClaim(claim, rejected, maxReadings);  // the interface's default
        } finally {
          inSettleAndClaim.set(false);
        }
      }
    };
    AtomicLong announced = new AtomicLong();
    SyncManager manager = h.builder().setSource(source).setUploadExecutor(lanes)
        .setMaxInFlight(2).setBatchSize(BATCH)
        .addListener(new SyncListener() {
          @Override
          public void onBatchUploaded(UploadBatch batch, UploadResult result) {
            announced.addAndGet(result.acceptedCount());
          }
        })
        .build();
    manager.start();

    assertEquals(true, failed.get(), "the claim riding the first settlement failed");
    long synced = h.source.syncedIds().size();
    assertEquals(synced, manager.getSyncStats(1).readingsSynced(),
        "every reading the run settled as synced is counted");
    assertEquals(synced, announced.get(), "every settled batch is announced to the listeners");
    manager.stop().join();
  }

  @Test
  void aSettlementThatCommittedIsCountedWhenTheRidingClaimThrowsAnError() {
    settledBatchIsCountedWhenTheRidingClaimThrows(
        () -> new NoClassDefFoundError("org/sqlite/core/NativeDB"));
  }

  @Test
  void aSettlementThatCommittedIsCountedWhenTheRidingClaimThrowsUndeclaredChecked() {
    settledBatchIsCountedWhenTheRidingClaimThrows(() -> new IOException("queue file locked"));
  }

  /**
   * Lanes.rethrowFailure now ends the run with an undeclared checked exception as
   * IllegalStateException(failure.toString()): the run's error, and so the history, the status
   * and the heartbeat's last error, carry the exception's message. BatchUploader quotes only the
   * type of what a host's gateway throws, because that message may carry a secret; an
   * IOException from a Kotlin gateway (no checked exceptions there) is not caught by it, and its
   * message now goes out whole.
   */
  @Test
  void aGatewaysUndeclaredCheckedExceptionDoesNotPutItsMessageInTheRunsError() {
    h.source.addSample(BATCH);
    h.gateway.beforeUpload(batch -> {
      throw ClaimAheadReviewTest.<RuntimeException>sneaky(
          new IOException("POST https://gw:Bearer-s3cr3t@meters.example/batches: reset"));
    });
    AtomicReference<SyncRun> ended = new AtomicReference<>();
    SyncManager manager = h.builder().setBatchSize(BATCH)
        .addListener(new SyncListener() {
          @Override
          public void onSyncCompleted(SyncRun run) {
            ended.compareAndSet(null, run);
          }

          @Override
          public void onSyncFailed(SyncRun run, Throwable cause) {
            ended.compareAndSet(null, run);
          }
        })
        .build();
    manager.start();

    String error = ended.get().error().orElse("");
    assertEquals(false, error.contains("s3cr3t"), "the run's error quotes the gateway: " + error);
    manager.stop().join();
  }
}

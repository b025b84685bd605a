package com.meterit.sync.core.internal.run;

import static com.meterit.sync.core.internal.run.Latches.awaitQuietly;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.api.Claim;
import com.meterit.sync.api.Reading;
import com.meterit.sync.api.ReadingSourceException;
import com.meterit.sync.api.Rejection;
import com.meterit.sync.api.SyncListener;
import com.meterit.sync.api.SyncOutcome;
import com.meterit.sync.api.SyncRun;
import com.meterit.sync.api.UploadBatch;
import com.meterit.sync.api.UploadResult;
import com.meterit.sync.core.SyncManager;
import com.meterit.sync.core.testing.FakeClientSystemGateway;
import com.meterit.sync.core.testing.ForwardingReadingSource;
import com.meterit.sync.core.testing.Harness;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * How the run survives failures of {@link ClaimAhead} (the next claim rides a lane's settlement
 * when the upload window is full): a checked exception or an Error from the claim ends the run
 * cleanly, keeps its counters and gives back what it held, and a settlement that committed is
 * counted whatever befell the claim riding it.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ClaimAheadFailureTest {
  private static final int BATCH = 100;

  private final Harness h = new Harness();
  private final ExecutorService lanes = Executors.newFixedThreadPool(3);
  // Daemon: a run stuck in CompletableFuture.join() cannot be interrupted, and must not keep the
  // test JVM alive.
  private final ExecutorService runner =
      Executors.newSingleThreadExecutor(r -> { Thread t = new Thread(r, "claim-ahead-run"); t.setDaemon(true); return t; });

  @AfterEach
  void tearDown() {
    lanes.shutdownNow();
    runner.shutdownNow();
  }

  /** Throws a checked exception without declaring it, as Kotlin, Scala or Lombok code does. */
  @SuppressWarnings("unchecked")
  static <T extends Throwable> RuntimeException sneaky(Throwable t) throws T {
    throw (T) t;
  }

  /**
   * Holds the first upload until the second has started: by then the run has asked for the third
   * batch with the window full, so the first settlement takes that claim along.
   */
  private void pairTheFirstTwoUploads() {
    pairTheFirstTwoUploads(h.gateway());
  }

  private static void pairTheFirstTwoUploads(FakeClientSystemGateway gateway) {
    CountDownLatch secondUploadStarted = new CountDownLatch(1);
    AtomicInteger uploads = new AtomicInteger();
    gateway.beforeUpload(batch -> {
      int n = uploads.incrementAndGet();
      if (n == 1) {
        awaitQuietly(secondUploadStarted);
      } else if (n == 2) {
        secondUploadStarted.countDown();
      }
    });
  }

  private static SyncRun endsWithin10Seconds(CompletableFuture<SyncRun> run, String why) {
    return assertDoesNotThrow(() -> run.get(10, TimeUnit.SECONDS), why);
  }

  /** Completed when the first run ends, however it ends. */
  private static SyncListener firstRunEnd(CompletableFuture<SyncRun> ended) {
    return new SyncListener() {
      @Override
      public void onSyncCompleted(SyncRun run) {
        ended.complete(run);
      }

      @Override
      public void onSyncFailed(SyncRun run, Throwable cause) {
        ended.complete(run);
      }
    };
  }

  // ---------------------------------------------------------------------------------------------
  // A checked exception from the source completes the claim future and ends the run.
  // ---------------------------------------------------------------------------------------------

  /**
   * ClaimAhead.claimNow catches only RuntimeException and Error. A source that throws a checked
   * exception (IOException from a Kotlin source, SQLException through @SneakyThrows) kills the
   * prefetch task without completing the request's future; the run thread joins it forever, and
   * stop() never completes. In an earlier version CompletableFuture.supplyAsync completed it
   * exceptionally and the run failed.
   */
  @Test
  void aCheckedExceptionFromThePrefetchedClaimEndsTheRun() {
    h.source().addSample(3 * BATCH);
    AtomicInteger claims = new AtomicInteger();
    ForwardingReadingSource source = new ForwardingReadingSource(h.source()) {
      @Override
      public Claim claim(int maxReadings) {
        if (claims.incrementAndGet() == 2) {
          throw ClaimAheadFailureTest.<RuntimeException>sneaky(
              new IOException("queue file unreadable"));
        }
        return super.claim(maxReadings);
      }
    };
    CompletableFuture<SyncRun> run = new CompletableFuture<>();
    SyncManager manager = h.builder().setSource(source).setExecutor(runner).setBatchSize(BATCH)
        .addListener(firstRunEnd(run)).build();
    manager.start();

    SyncRun ended = endsWithin10Seconds(run,
        "the run never ended: it joins a prefetched claim whose task died of a checked exception");
    assertEquals(SyncOutcome.FAILED, ended.outcome());
    String error = ended.error().orElse("");
    assertTrue(error.contains("java.io.IOException") && !error.contains("unreadable"),
        "the run's error names the exception by type only: " + error);
    assertDoesNotThrow(() -> manager.stop().get(10, TimeUnit.SECONDS));
    assertEquals(0, h.source().heldBatches());
  }

  /**
   * ClaimAhead.settle catches only RuntimeException and Error around settleAndClaim: a checked
   * exception leaves the request CLAIMING, never completed and never handed to claimAlone. The
   * lane fails (and Lanes.rethrowFailure ignores a checked failure), the run enters the window
   * and joins the request forever: the run and stop() never end.
   */
  @Test
  void aCheckedExceptionFromSettleAndClaimEndsTheRun() {
    h.source().addSample(4 * BATCH);
    pairTheFirstTwoUploads();
    AtomicBoolean failed = new AtomicBoolean();
    ForwardingReadingSource source = new ForwardingReadingSource(h.source()) {
      @Override
      public Claim settleAndClaim(Claim claim, List<Rejection> rejected, int maxReadings) {
        if (failed.compareAndSet(false, true)) {
          // Nothing changed: the batch stays journaled and held.
          throw ClaimAheadFailureTest.<RuntimeException>sneaky(
              new IOException("queue file locked"));
        }
        return super.settleAndClaim(claim, rejected, maxReadings);
      }
    };
    CompletableFuture<SyncRun> run = new CompletableFuture<>();
    SyncManager manager = h.builder().setSource(source).setExecutor(runner)
        .setUploadExecutor(lanes).setMaxInFlight(2).setBatchSize(BATCH)
        .addListener(firstRunEnd(run)).build();
    manager.start();

    endsWithin10Seconds(run, "the run never ended: it joins the claim that rode the failed "
        + "settlement, which nobody completes");
    assertDoesNotThrow(() -> manager.stop().get(10, TimeUnit.SECONDS));
    assertEquals(0, h.source().heldBatches());
  }

  // ---------------------------------------------------------------------------------------------
  // An Error from a claim is rethrown only after RunLoop.run's finally has done its work.
  // ---------------------------------------------------------------------------------------------

  /**
   * take() now unwraps the CompletionException and rethrows an Error as is; withdraw() catches
   * only RuntimeException. So after a claim failed with an Error, the finally's
   * releasePrefetched would rethrow it, skipping refusals.abandon and losing the run's counters
   * (an earlier releasePrefetched threw a CompletionException here, which it caught).
   */
  @Test
  void anErrorFromTheClaimAheadKeepsTheRunsCounters() {
    h.source().addSample(2 * BATCH);
    AtomicInteger claims = new AtomicInteger();
    ForwardingReadingSource source = new ForwardingReadingSource(h.source()) {
      @Override
      public Claim claim(int maxReadings) {
        if (claims.incrementAndGet() == 2) {
          throw new NoClassDefFoundError("org/sqlite/core/NativeDB");
        }
        return super.claim(maxReadings);
      }
    };
    CompletableFuture<SyncRun> run = new CompletableFuture<>();
    SyncManager manager = h.builder().setSource(source).setBatchSize(BATCH)
        .addListener(firstRunEnd(run)).build();
    manager.start();

    assertEquals(BATCH, h.source().syncedIds().size(), "the first batch was settled");
    assertEquals(1, manager.getSyncStats(1).failures(),
        "the failed run is in the history (SyncManager.execute's catch-all records it only on "
        + "the status board)");
    assertEquals(BATCH, manager.getSyncStats(1).readingsSynced(),
        "the failed run still reports the batch it synced");
    assertTrue(run.isDone(), "the listeners were told that the run failed");
    assertEquals(BATCH, run.join().readingsSynced());
    manager.stop().join();
  }

  /**
   * Same cause, worse effect: a suspect (a single reading refused whole, held aside until the
   * server accepts something) is never given back, because refusals.abandon is skipped. The
   * LeaseKeeper still holds it and renews its lease for as long as the manager runs, so no later
   * run can send that reading: it is stuck, not merely delayed until its lease lapses.
   */
  @Test
  void anErrorFromTheClaimAheadStillGivesBackTheSuspectsHeldAside() {
    List<Reading> readings = h.source().addSample(3);
    long suspect = readings.get(0).id();
    AtomicBoolean refusing = new AtomicBoolean(true);
    h.gateway().rejectBatchesContaining(r -> refusing.get() && r.id() == suspect);
    AtomicInteger claims = new AtomicInteger();
    ForwardingReadingSource source = new ForwardingReadingSource(h.source()) {
      @Override
      public Claim claim(int maxReadings) {
        if (claims.incrementAndGet() == 2) {
          throw new NoClassDefFoundError("org/sqlite/core/NativeDB");
        }
        return super.claim(maxReadings);
      }
    };
    SyncManager manager = h.builder().setSource(source).setBatchSize(1).build();
    manager.start();

    // Later, the server takes the reading; its lease has long lapsed, unless it is still renewed.
    refusing.set(false);
    h.scheduler().advance(Duration.ofMinutes(6));
    manager.triggerSync().join();

    assertEquals(0, h.source().heldBatches(), "nothing is left held after the runs");
    assertEquals(3, h.source().syncedIds().size(),
        "the suspect held aside by the failed run went out in a later run");
    manager.stop().join();
  }

  // ---------------------------------------------------------------------------------------------
  // A settlement that committed is counted when the claim riding it fails.
  // ---------------------------------------------------------------------------------------------

  /**
   * The default settleAndClaim (the in-memory source, H2 and SQLite through ClaimModel's default,
   * and TableLeases' two-transaction branches on PostgreSQL) settles, commits, then claims. When
   * only the claim fails, ClaimAhead.settle rethrows as if the settlement had failed: Settler
   * .answered skips the counters and onBatchUploaded, the uploader "gives back" a batch that is
   * already settled, and the run ends FAILED with the readings synced but never counted.
   */
  @Test
  void aSettlementThatCommittedIsCountedWhenTheClaimRidingItFails() {
    settledBatchIsCountedWhenTheRidingClaimThrows(
        () -> new ReadingSourceException("claiming readings: database is locked", null));
  }

  // The same with any other failure of the claim.

  @Test
  void aSettlementThatCommittedIsCountedWhenTheRidingClaimThrowsAnError() {
    settledBatchIsCountedWhenTheRidingClaimThrows(
        () -> new NoClassDefFoundError("org/sqlite/core/NativeDB"));
  }

  @Test
  void aSettlementThatCommittedIsCountedWhenTheRidingClaimThrowsUndeclaredChecked() {
    settledBatchIsCountedWhenTheRidingClaimThrows(() -> new IOException("queue file locked"));
  }

  private void settledBatchIsCountedWhenTheRidingClaimThrows(Supplier<Throwable> failure) {
    h.source().addSample(4 * BATCH);
    pairTheFirstTwoUploads();
    ThreadLocal<Boolean> inSettleAndClaim = ThreadLocal.withInitial(() -> false);
    AtomicBoolean failed = new AtomicBoolean();
    ForwardingReadingSource source = new ForwardingReadingSource(h.source()) {
      @Override
      public Claim claim(int maxReadings) {
        if (inSettleAndClaim.get() && failed.compareAndSet(false, true)) {
          throw ClaimAheadFailureTest.<RuntimeException>sneaky(failure.get());
        }
        return super.claim(maxReadings);
      }

      @Override
      public Claim settleAndClaim(Claim claim, List<Rejection> rejected, int maxReadings) {
        // The interface's default: settle (committed), then claim.
        inSettleAndClaim.set(true);
        try {
          return super.settleAndClaim(claim, rejected, maxReadings);
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

    assertTrue(failed.get(), "the claim riding the first settlement failed");
    long synced = h.source().syncedIds().size();
    assertEquals(synced, manager.getSyncStats(1).readingsSynced(),
        "every reading the run settled as synced is counted");
    assertEquals(synced, announced.get(), "every settled batch is announced to the listeners");
    manager.stop().join();
  }

  /**
   * A host's gateway that throws a checked exception undeclared (an
   * IOException from Kotlin) must not put its message, which may carry a secret, into the run's
   * error, and so into the history, the status and the heartbeat. BatchUploader quotes it by
   * type, as it does a RuntimeException.
   */
  @Test
  void aGatewaysUndeclaredCheckedExceptionDoesNotPutItsMessageInTheRunsError() {
    h.source().addSample(BATCH);
    h.gateway().beforeUpload(batch -> {
      throw ClaimAheadFailureTest.<RuntimeException>sneaky(
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

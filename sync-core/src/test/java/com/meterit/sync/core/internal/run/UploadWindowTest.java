package com.meterit.sync.core.internal.run;

import static com.meterit.sync.core.internal.run.Latches.awaitQuietly;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.api.BackoffPolicy;
import com.meterit.sync.api.Claim;
import com.meterit.sync.api.GatewayException;
import com.meterit.sync.api.Reading;
import com.meterit.sync.api.Rejection;
import com.meterit.sync.api.SyncRun;
import com.meterit.sync.api.UploadBatch;
import com.meterit.sync.api.UploadResult;
import com.meterit.sync.core.SyncManager;
import com.meterit.sync.core.testing.ForwardingReadingSource;
import com.meterit.sync.core.testing.Harness;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Several batches in flight: the window's size, its pause, and settlement in answer order. */
class UploadWindowTest {
  private final Harness h = new Harness();
  private final List<Duration> waits = new CopyOnWriteArrayList<>();
  private final ExecutorService lanes = Executors.newFixedThreadPool(3);
  private final ExecutorService runner = Executors.newSingleThreadExecutor();

  @AfterEach
  void shutDown() {
    lanes.shutdownNow();
    runner.shutdownNow();
  }

  private UploadWindow window(int max) {
    return new UploadWindow(max, SyncManager.DEFAULT_BATCH_SIZE, h.clock(), d -> {
      waits.add(d);
      h.clock().advance(d);
    }, new StopSignal());
  }

  @Test
  void theWindowDoublesEachRoundTripUntilTheFirstOverloadThenGrowsByOneAndHalves() {
    UploadWindow window = window(32);
    assertEquals(2, window.size(), "it starts small");
    FullWindow.answered(window, FullWindow.send(window));
    FullWindow.answered(window, FullWindow.send(window));
    assertEquals(4, window.size(), "one more for every batch answered: doubled in a round trip");
    for (int i = 0; i < 4; i++) {
      FullWindow.answered(window, FullWindow.send(window));
    }
    assertEquals(8, window.size());
    for (int i = 0; i < 100; i++) {
      FullWindow.answered(window, FullWindow.send(window));
    }
    assertEquals(32, window.size(), "never beyond its maximum");

    window.overloaded(window.sending());
    assertEquals(16, window.size(), "halved");
    for (int i = 0; i < 15; i++) {
      FullWindow.answered(window, FullWindow.send(window));
    }
    assertEquals(16, window.size(), "after an overload, one more only per window answered");
    FullWindow.answered(window, FullWindow.send(window));
    assertEquals(17, window.size());
    for (int i = 0; i < 5; i++) {
      overloadedAfterTheLastCut(window);
    }
    assertEquals(1, window.size(), "never below one");
  }

  /** An overload of a batch sent after the window was last halved: a new signal. */
  private void overloadedAfterTheLastCut(UploadWindow window) {
    h.clock().advance(Duration.ofMillis(1));
    long sent = window.sending();
    h.clock().advance(Duration.ofMillis(1));
    window.overloaded(sent);
  }

  @Test
  void aRetryAfterPausesEveryNewSendUntilItHasPassed() {
    UploadWindow window = window(4);
    window.pauseFor(Duration.ofSeconds(30));
    h.clock().advance(Duration.ofSeconds(10));
    window.awaitPause();
    assertEquals(List.of(Duration.ofSeconds(20)), waits);
    window.awaitPause();
    assertEquals(1, waits.size(), "no wait once it has passed");
    window.pauseFor(Duration.ofSeconds(5));
    window.pauseFor(Duration.ofSeconds(2));
    window.awaitPause();
    assertEquals(Duration.ofSeconds(5), waits.get(1), "the longest pause asked for wins");
  }

  @Test
  void aServersRetryAfterPausesTheOtherBatchesInFlight() {
    h.source().addSample(2_000);
    h.gateway().failNextUploads(new com.meterit.sync.api.TransientGatewayException(
        "slow down", 429, null, Duration.ofMinutes(2), null));
    SyncManager manager = h.builder().setBatchSize(1000).build();
    manager.start();
    // The 429's own retry waits two minutes and its backoff, and the next batch waits in that
    // pause: one wait, not two.
    assertEquals(List.of(Duration.ofMinutes(2).plusSeconds(10)), h.sleeps());
    assertEquals(2_000, h.source().syncedIds().size());
  }

  /** A gateway whose answers the test releases, batch by batch, in any order. */
  private final Map<Long, CountDownLatch> answers = new ConcurrentHashMap<>();
  private final CountDownLatch twoInFlight = new CountDownLatch(2);

  private void holdAnswers() {
    h.gateway().beforeUpload(batch -> {
      twoInFlight.countDown();
      awaitQuietly(answers.computeIfAbsent(first(batch), k -> new CountDownLatch(1)));
    });
  }

  private static long first(UploadBatch batch) {
    return batch.readings().get(0).id();
  }

  private void answer(long firstId) {
    answers.computeIfAbsent(firstId, k -> new CountDownLatch(1)).countDown();
  }

  /** A manager whose run and lanes are real threads, recording the order of settlements. */
  private final Map<Long, CountDownLatch> settlements = new ConcurrentHashMap<>();

  private void awaitSettled(long firstId) {
    awaitQuietly(settlements.computeIfAbsent(firstId, k -> new CountDownLatch(1)));
  }

  private SyncManager windowed(List<Long> settled) {
    ForwardingReadingSource recording = new ForwardingReadingSource(h.source()) {
      @Override
      public void settle(Claim claim, List<Rejection> rejected) {
        super.settle(claim, rejected);
        long first = claim.readings().get(0).id();
        settled.add(first);
        settlements.computeIfAbsent(first, k -> new CountDownLatch(1)).countDown();
      }
    };
    return SyncManager.builder(recording, h.gateway()).setClock(h.clock())
        .setScheduler(h.scheduler()).setExecutor(runner).setBackgroundExecutor(Runnable::run)
        .setUploadExecutor(lanes).setMaxInFlight(2).setBatchSize(100).build();
  }

  @Test
  void batchesInFlightAreSettledInTheOrderTheirAnswersArrive() throws Exception {
    h.source().addSample(200);
    holdAnswers();
    List<Long> settled = new CopyOnWriteArrayList<>();
    SyncManager manager = windowed(settled);
    manager.start();
    CompletableFuture<SyncRun> run = manager.triggerSync();
    assertTrue(twoInFlight.await(10, TimeUnit.SECONDS), "both batches are in flight at once");
    assertEquals(2, manager.getStatus().batchesInFlight());
    assertEquals(2, manager.getStatus().uploadWindow());

    answer(101);
    awaitSettled(101);
    answer(1);
    SyncRun done = run.get(10, TimeUnit.SECONDS);
    assertEquals(200, done.readingsSynced());
    assertEquals(List.of(101L, 1L), settled, "each settled as its answer arrived");
    assertEquals(Map.of(), h.gateway().readingsInTwoBatches());
    manager.stop().get(10, TimeUnit.SECONDS);
  }

  @Test
  void stopWithAFullWindowLosesNothing() throws Exception {
    h.source().addSample(600);
    holdAnswers();
    SyncManager manager = windowed(new CopyOnWriteArrayList<>());
    manager.start();
    assertTrue(twoInFlight.await(10, TimeUnit.SECONDS));

    CompletableFuture<Void> stopped = manager.stop();
    answer(1);
    answer(101);
    stopped.get(10, TimeUnit.SECONDS);

    assertEquals(200, h.source().syncedIds().size(), "the two batches in flight were answered");
    assertEquals(h.gateway().accepted().keySet(), new java.util.TreeSet<>(h.source().syncedIds()));
    assertEquals(400, h.source().pendingCount(), "the rest stays queued");
    assertEquals(0, h.source().heldBatches(), "nothing is left held");
  }

  /** A stop while an upload waits out the server's pause is not a failure. */
  @Test
  void aStopDuringThePauseEndsTheUploadAsStoppedAndSendsNothing() {
    StopSignal stop = new StopSignal();
    // The stop comes while the upload waits: the wait ends early, as the real sleeper's does.
    UploadWindow window = new UploadWindow(2, SyncManager.DEFAULT_BATCH_SIZE, h.clock(),
        d -> stop.raise(), stop);
    window.pauseFor(Duration.ofMinutes(1));
    BatchUploader uploader = new BatchUploader(h.gateway(),
        BackoffPolicy.fixed(Duration.ofSeconds(1)), () -> 0.5, d -> { }, stop,
        new BackoffObserver() {
          @Override
          public void backingOff(Duration delay, GatewayException cause) {}

          @Override
          public void resumed() {}
        }, window, SyncManager.DEFAULT_MAX_IN_PROGRESS_RETRIES, new LearnedBatchSize());
    h.source().addSample(10);
    Claim claim = h.source().claim(10);
    List<Claim> unsent = new CopyOnWriteArrayList<>();
    BatchUploader.Sink sink = new BatchUploader.Sink() {
      @Override
      public void beforeSend(Claim batch) {}

      @Override
      public void answered(Claim batch, UploadResult result) {
        throw new AssertionError("nothing was sent");
      }

      @Override
      public List<Claim> reform(Claim batch, List<List<Reading>> parts) {
        throw new AssertionError("nothing was refused");
      }

      @Override
      public void quarantined(Claim batch, Rejection rejection) {
        throw new AssertionError("nothing was refused");
      }

      @Override
      public void unsent(Claim batch) {
        unsent.add(batch);
      }
    };

    assertThrows(StopRequestedException.class,
        () -> uploader.upload(claim, 0, new Refusals(10), sink));
    assertEquals(List.of(claim), unsent, "the batch is given back, still journaled");
    assertTrue(h.gateway().uploads().isEmpty());
  }
}

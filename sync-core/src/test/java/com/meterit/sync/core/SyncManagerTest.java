package com.meterit.sync.core;

import static com.meterit.sync.core.internal.run.Latches.awaitQuietly;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.api.BatchRejectedException;
import com.meterit.sync.api.Claim;
import com.meterit.sync.api.ClientSystemGateway;
import com.meterit.sync.api.Heartbeat;
import com.meterit.sync.api.Reading;
import com.meterit.sync.api.ReadingSourceException;
import com.meterit.sync.api.Rejection;
import com.meterit.sync.api.RemoteConfig;
import com.meterit.sync.api.SyncListener;
import com.meterit.sync.api.SyncOutcome;
import com.meterit.sync.api.SyncRun;
import com.meterit.sync.api.SyncState;
import com.meterit.sync.api.SyncStats;
import com.meterit.sync.api.TransientGatewayException;
import com.meterit.sync.api.UploadBatch;
import com.meterit.sync.api.UploadResult;
import com.meterit.sync.core.testing.FakeClientSystemGateway;
import com.meterit.sync.core.testing.Harness;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SyncManagerTest {
  private final Harness h = new Harness();

  private static TransientGatewayException timeout() {
    return new TransientGatewayException("request timed out", new IOException("timed out"));
  }

  private SyncRun trigger(SyncManager manager) {
    return manager.triggerSync().join();
  }

  @Test
  void drainsATenThousandReadingBacklogInOneRun() {
    h.source().addSample(10_000);
    SyncManager manager = h.builder().setBatchSize(1000).build();
    manager.start();

    SyncStats stats = manager.getSyncStats(1);
    assertEquals(1, stats.runs());
    assertEquals(10_000, stats.readingsSynced());
    assertEquals(10, h.gateway().uploads().size());
    assertEquals(10_000, h.gateway().accepted().size());
    assertEquals(0, h.source().pendingCount());
    assertEquals(SyncState.IDLE, manager.getStatus().state());
  }

  @Test
  void retriesATransientFailureThenAcknowledges() {
    h.source().addSample(5);
    h.gateway().failNextUploads(timeout(), timeout());
    SyncManager manager = h.builder().build();
    manager.start();

    SyncStats stats = manager.getSyncStats(1);
    assertEquals(1, stats.successes());
    assertEquals(5, h.source().syncedIds().size());
    assertEquals(List.of(Duration.ofSeconds(10), Duration.ofSeconds(10)), h.sleeps());
  }

  @Test
  void exhaustedRetriesLeaveTheReadingsQueued() {
    h.source().addSample(5);
    h.gateway().failNextUploads(timeout(), timeout(), timeout(), timeout());
    SyncManager manager = h.builder().setMaxRetries(3).build();
    manager.start();

    SyncStats stats = manager.getSyncStats(1);
    assertEquals(1, stats.failures());
    assertEquals(3, h.sleeps().size());
    assertEquals(4, h.gateway().uploads().size());
    assertEquals(5, h.source().pendingCount());
    assertEquals(0, h.source().heldBatches(), "the batch must be given back");
    assertEquals(1, h.source().journaledBatches(), "still journaled: it may have reached the server");
    assertTrue(manager.getStatus().lastError().orElseThrow().contains("failed after 3 retries"));

    // The next run sends the same batch again.
    SyncRun next = trigger(manager);
    assertEquals(SyncOutcome.SUCCEEDED, next.outcome());
    assertEquals(5, next.readingsSynced());
    assertTrue(manager.getStatus().lastError().isEmpty());
    assertEquals(1, h.gateway().uploads().stream().map(UploadBatch::batchId).distinct().count());
    assertEquals(0, h.source().journaledBatches());
  }

  @Test
  void waitsTheServersRetryAfterWithTheBackoffOnTop() {
    h.source().addSample(1);
    h.gateway().failNextUploads(
        new TransientGatewayException("slow down", 429, null, Duration.ofSeconds(90), null),
        new TransientGatewayException("busy", 503, null, Duration.ofSeconds(2), null));
    h.builder().build().start();

    // The policy's 10 s come on top of what the server asked for, so that gateways told the
    // same second do not all come back in it.
    assertEquals(List.of(Duration.ofSeconds(100), Duration.ofSeconds(12)), h.sleeps());
    assertEquals(1, h.source().syncedIds().size());
  }

  @Test
  void aFullServerThatGivesNoRetryAfterEndsTheRunAndTheSameBatchGoesOutAboutAnIntervalLater() {
    h.source().addSample(5);
    h.gateway().failNextUploads(new TransientGatewayException("busy", 503, null, null, null),
        new TransientGatewayException("slow down", 429, null, null, null));
    SyncManager manager = h.builder().setRandom(() -> 0.0).build();
    manager.start();

    // No quick retries within the run: every gateway refused at once would come back at once.
    assertEquals(List.of(), h.sleeps());
    assertEquals(1, manager.getSyncStats(1).failures());
    assertTrue(manager.getStatus().lastError().orElseThrow().contains("no Retry-After"));
    assertEquals(5, h.source().pendingCount());
    assertEquals(1, h.source().journaledBatches(), "still journaled, to go out the same");
    // The next run comes 0.9 of an interval later (random 0 here), not at once.
    assertEquals(h.clock().instant().plus(SyncManager.DEFAULT_SYNC_INTERVAL.multipliedBy(9)
        .dividedBy(10)), manager.getStatus().nextScheduledRun().orElseThrow());
    h.scheduler().advance(SyncManager.DEFAULT_SYNC_INTERVAL.multipliedBy(9).dividedBy(10)
        .minusSeconds(1));
    assertEquals(1, h.gateway().uploads().size());

    h.scheduler().advance(Duration.ofSeconds(1)); // the 429, likewise
    assertEquals(2, h.gateway().uploads().size());
    h.scheduler().advance(SyncManager.DEFAULT_SYNC_INTERVAL);
    assertEquals(5, h.source().syncedIds().size());
    assertEquals(1, h.gateway().uploads().stream().map(UploadBatch::batchId).distinct().count(),
        "every send was the same batch");
    assertEquals(0, manager.getStatus().pendingReadings().getAsLong());
  }

  @Test
  void afterAnAcceptanceABareOverloadIsRetriedOnceThenTheRunEnds() {
    h.source().addSample(10);
    AtomicInteger sends = new AtomicInteger();
    h.gateway().beforeUpload(batch -> {
      int n = sends.incrementAndGet();
      if (n == 2 || n == 3) {
        throw new TransientGatewayException("busy", 503, null, null, null);
      }
    });
    SyncManager manager = h.builder().setBatchSize(5).build();
    manager.start();

    // The first batch was taken, so the second's first 503 may be a burst: one retry. Its
    // second is a full server: the run ends, the batch stays journaled.
    assertEquals(List.of(Duration.ofSeconds(10)), h.sleeps());
    assertEquals(5, h.source().syncedIds().size());
    assertEquals(1, h.source().journaledBatches());
    assertTrue(manager.getStatus().lastError().orElseThrow().contains("no Retry-After"));

    h.scheduler().advance(SyncManager.DEFAULT_SYNC_INTERVAL.multipliedBy(6).dividedBy(5));
    assertEquals(10, h.source().syncedIds().size());
    assertEquals(Map.of(), h.gateway().readingsInTwoBatches());
  }

  @Test
  void anAbsurdRetryAfterIsCapped() {
    h.source().addSample(1);
    h.gateway().failNextUploads(
        new TransientGatewayException("slow down", 429, null, Duration.ofDays(3), null));
    h.builder().build().start();
    assertEquals(List.of(Duration.ofHours(1).plusSeconds(10)), h.sleeps());
  }

  @Test
  void quarantinesOnlyTheReadingTheServerRejects() {
    List<Reading> readings = h.source().addSample(10);
    long bad = readings.get(4).id();
    h.gateway().rejectReadings(r -> r.id() == bad, "unknown meter");
    List<List<Rejection>> told = new CopyOnWriteArrayList<>();
    h.builder().addListener(new SyncListener() {
      @Override
      public void onReadingsRejected(List<Rejection> rejections) {
        told.add(rejections);
      }
    }).build().start();

    assertEquals(9, h.source().syncedIds().size());
    assertEquals(java.util.Map.of(bad, "unknown meter"), h.source().quarantined());
    assertEquals(List.of(List.of(new Rejection(bad, "unknown meter"))), told);
  }

  @Test
  void bisectsAWholeBatchRejectionDownToTheOffendingReadings() {
    List<Reading> readings = h.source().addSample(100);
    Set<Long> poisoned = Set.of(readings.get(17).id(), readings.get(80).id());
    h.gateway().rejectBatchesContaining(r -> poisoned.contains(r.id()));
    SyncManager manager = h.builder().setBatchSize(100).build();
    manager.start();

    assertEquals(poisoned, h.source().quarantined().keySet());
    assertTrue(h.source().quarantined().values().stream().allMatch(r -> r.contains("422")
        || r.contains("invalid reading")));
    assertEquals(98, h.source().syncedIds().size());
    assertEquals(98, h.gateway().accepted().size());
    assertEquals(0, h.source().pendingCount());
    assertEquals(2, manager.getSyncStats(1).readingsRejected());
    // Bisection costs about 2 log2(n) requests per poisoned reading, not n.
    assertTrue(h.gateway().uploads().size() < 40, "uploads: " + h.gateway().uploads().size());
  }

  @Test
  void expiredCredentialsAreRefreshedExactlyOnce() {
    h.source().addSample(3);
    h.gateway().expireCredentials();
    h.builder().build().start();

    assertEquals(1, h.gateway().authentications());
    assertEquals(3, h.source().syncedIds().size());
  }

  @Test
  void credentialsExpiringAgainRightAfterARefreshAreRefreshedAgainNotAuthFailed() {
    h.source().addSample(3);
    h.gateway().failNextUploads(
        new com.meterit.sync.api.AuthenticationExpiredException("expired", 401, null),
        new com.meterit.sync.api.AuthenticationExpiredException("expired", 401, null));
    SyncManager manager = h.builder().build();
    manager.start();

    // The check of the credentials before the first run, then the two refreshes.
    assertEquals(1 + 2, h.gateway().authentications());
    assertEquals(3, h.source().syncedIds().size());
    assertEquals(SyncState.IDLE, manager.getStatus().state());
    assertEquals(List.of(), h.sleeps(), "refreshed at once, within the burst's bound");
  }

  @Test
  void credentialsThatExpireOnEveryCallCostABoundedBurstOfRefreshesThenBackoffNotAuthFailed() {
    h.source().addSample(3);
    com.meterit.sync.api.AuthenticationExpiredException[] expiries =
        new com.meterit.sync.api.AuthenticationExpiredException[50];
    java.util.Arrays.fill(expiries,
        new com.meterit.sync.api.AuthenticationExpiredException("expired", 401, null));
    h.gateway().failNextUploads(expiries);
    SyncManager manager = h.builder().setMaxRetries(1).build();
    manager.start();

    // Two attempts (one retry after a backoff), each a send and three refreshes with a send.
    assertEquals(8, h.gateway().uploads().size());
    assertEquals(1 + 6, h.gateway().authentications(), "the check before the run, then the refreshes");
    assertEquals(List.of(Duration.ofSeconds(10)), h.sleeps());
    assertEquals(SyncState.IDLE, manager.getStatus().state());
    assertEquals(3, h.source().pendingCount());
    assertEquals(0, h.source().heldBatches());
  }

  @Test
  void payloadTooLargeHalvesTheBatchAndRemembersIt() {
    h.source().addSample(1000);
    h.gateway().setMaxBatchSize(300);
    SyncManager manager = h.builder().setBatchSize(1000).build();
    manager.start();

    List<Integer> sizes = h.gateway().uploads().stream().map(UploadBatch::size).collect(Collectors.toList());
    // 1000 is too large, 500 is too large, then 250s go through.
    assertEquals(List.of(1000, 500, 250, 250, 250, 250), sizes);
    assertEquals(1000, h.source().syncedIds().size());

    h.source().addSample(500);
    trigger(manager);
    List<Integer> later = h.gateway().uploads().stream().skip(6).map(UploadBatch::size)
        .collect(Collectors.toList());
    assertEquals(List.of(250, 250), later, "later runs claim the learned size directly");
  }

  /** A 413 on a larger batch never raises the size learned from an earlier one. */
  @Test
  void aLater413OnAJournaledBatchKeepsTheSmallerLearnedSize() {
    h.source().addSample(3000);
    // Two batches of 1,000 journaled by an earlier process: they go out whole, as formed.
    Claim first = h.source().claim(1000);
    Claim second = h.source().claim(1000);
    h.source().release(first);
    h.source().release(second);
    h.gateway().setMaxBatchSize(250);
    SyncManager manager = h.builder().setBatchSize(1000).build();
    manager.start();

    List<Integer> sizes = h.gateway().uploads().stream().map(UploadBatch::size)
        .collect(Collectors.toList());
    // The first journaled batch teaches 250 (1000 and 500 refused); the second, refused whole at
    // 1000, must not bring it back to 500.
    assertEquals(3, sizes.stream().filter(size -> size > 250).count(), sizes.toString());
    assertEquals(3000, h.source().syncedIds().size());
  }

  @Test
  void forbiddenStopsUploadingAndSaysDisabled() {
    h.source().addSample(3);
    h.gateway().setForbidden(true);
    SyncManager manager = h.builder().build();
    manager.start();
    assertEquals(SyncState.DISABLED, manager.getStatus().state());
    assertEquals(0, h.gateway().uploads().size(),
        "the token request before the first run found it disabled: nothing was sent");
    assertEquals(3, h.source().pendingCount());

    h.gateway().setForbidden(false);
    h.scheduler().advance(SyncManager.DEFAULT_SYNC_INTERVAL);
    assertEquals(SyncState.IDLE, manager.getStatus().state());
    assertEquals(3, h.source().syncedIds().size());
  }

  @Test
  void offlineUploadsNothingAndReconnectionSyncsWithinTheSpread() {
    SyncManager manager = h.builder()
        .setConnectivityProbeInterval(Duration.ofSeconds(30))
        .setConnectivityBackoff(com.meterit.sync.api.BackoffPolicy.fixed(Duration.ofSeconds(20)))
        .build();
    manager.start();
    h.gateway().setReachable(false);
    h.scheduler().advance(Duration.ofSeconds(30));
    assertEquals(SyncState.OFFLINE, manager.getStatus().state());
    assertFalse(manager.getStatus().isConnected());

    h.source().addSample(50);
    int uploadsBefore = h.gateway().uploads().size();
    SyncRun skipped = trigger(manager);
    h.scheduler().advance(Duration.ofMinutes(30));
    assertEquals(SyncOutcome.SKIPPED, skipped.outcome());
    assertEquals(uploadsBefore, h.gateway().uploads().size(), "nothing is uploaded while offline");
    assertEquals(50, h.source().pendingCount());

    h.gateway().setReachable(true);
    // The next offline probe is due within 20 s; the run starts at a random point of the
    // reconnect spread after it succeeds, so that a fleet does not come back all at once.
    h.scheduler().advance(Duration.ofSeconds(20));
    h.scheduler().advance(SyncManager.DEFAULT_RECONNECT_SPREAD);
    assertEquals(0, h.source().pendingCount());
    assertEquals(SyncState.IDLE, manager.getStatus().state());
  }

  @Test
  void runsOnTheScheduleAfterEachRun() {
    SyncManager manager = h.builder().setSyncInterval(Duration.ofMinutes(5)).build();
    manager.start();
    assertEquals(h.clock().instant().plus(Duration.ofMinutes(5)),
        manager.getStatus().nextScheduledRun().orElseThrow());

    h.source().addSample(7);
    h.scheduler().advance(Duration.ofMinutes(4));
    assertEquals(7, h.source().pendingCount(), "not due yet");
    h.scheduler().advance(Duration.ofMinutes(1));
    assertEquals(0, h.source().pendingCount());
  }

  @Test
  void aFailingSettlementLeavesTheBatchJournaledAndTheRetryIsDeduplicated() {
    h.source().addSample(4);
    h.source().failNextSettle(new ReadingSourceException("disk full", null));
    SyncManager manager = h.builder().build();
    manager.start();
    assertEquals(4, h.source().pendingCount());
    assertEquals(0, h.source().heldBatches());
    assertEquals(4, h.gateway().accepted().size(), "the server did take them");

    trigger(manager);
    assertEquals(0, h.source().pendingCount());
    assertEquals(2, h.gateway().uploads().size());
    assertEquals(h.gateway().uploads().get(0).batchId(), h.gateway().uploads().get(1).batchId(),
        "the retry carries the same idempotency key");
    assertEquals(0, h.gateway().conflictingReplays());
  }

  @Test
  void aConfusedAnswerAcknowledgesNothing() {
    SyncManager manager = answeredBy(batch -> new UploadResult(batch.batchId(), 3 + 5, List.of(), 10));
    assertEquals(3, h.source().pendingCount());
    assertTrue(manager.getStatus().lastError().orElseThrow().contains("malformed answer"),
        manager.getStatus().lastError().orElseThrow());
  }

  @Test
  void anAnswerRejectingAReadingOutsideTheBatchAcknowledgesNothing() {
    SyncManager manager = answeredBy(batch -> new UploadResult(batch.batchId(), 2,
        List.of(new Rejection(first(batch) + 1_000, "no such reading")), 10));
    assertEquals(3, h.source().pendingCount());
    assertTrue(manager.getStatus().lastError().orElseThrow().contains("not in batch"),
        manager.getStatus().lastError().orElseThrow());
  }

  @Test
  void anAnswerRejectingAReadingTwiceAcknowledgesNothing() {
    SyncManager manager = answeredBy(batch -> new UploadResult(batch.batchId(), 1,
        List.of(new Rejection(first(batch), "bad"), new Rejection(first(batch), "bad")), 10));
    assertEquals(3, h.source().pendingCount());
    assertTrue(manager.getStatus().lastError().orElseThrow().contains("listed twice"),
        manager.getStatus().lastError().orElseThrow());
  }

  @Test
  void anAnswerThatAddsUpIsTakenWithItsRejection() {
    SyncManager manager = answeredBy(batch -> new UploadResult(batch.batchId(), 2,
        List.of(new Rejection(first(batch), "bad")), 10));
    assertEquals(0, h.source().pendingCount());
    assertTrue(manager.getStatus().lastError().isEmpty(), "a consistent answer is no error");
  }

  private static long first(UploadBatch batch) {
    return batch.readings().get(0).id();
  }

  /** Runs three readings past a server whose every answer is {@code answer}'s. */
  private SyncManager answeredBy(java.util.function.Function<UploadBatch, UploadResult> answer) {
    h.source().addSample(3);
    ClientSystemGateway server = new ClientSystemGateway() {
      @Override
      public boolean testConnection() {
        return true;
      }

      @Override
      public UploadResult uploadBatch(UploadBatch batch) {
        return answer.apply(batch);
      }
    };
    SyncManager manager = SyncManager.builder().setSource(h.source()).setGateway(server)
        .setClock(h.clock()).setScheduler(h.scheduler()).setExecutor(Runnable::run).setMaxRetries(1)
        .setSleeper(d -> { }).build();
    manager.start();
    return manager;
  }

  @Test
  void aThrowingListenerNeverBreaksSync() {
    h.source().addSample(5);
    List<String> reached = new ArrayList<>();
    SyncListener broken = new SyncListener() {
      @Override
      public void onSyncStarted() {
        throw new IllegalStateException("boom");
      }

      @Override
      public void onBatchUploaded(UploadBatch batch, UploadResult result) {
        throw new IllegalStateException("boom");
      }

      @Override
      public void onSyncCompleted(SyncRun run) {
        throw new IllegalStateException("boom");
      }
    };
    SyncListener after = new SyncListener() {
      @Override
      public void onSyncCompleted(SyncRun run) {
        reached.add("completed " + run.readingsSynced());
      }
    };
    SyncManager manager = h.builder().addListener(broken).addListener(after).build();
    manager.start();
    assertEquals(5, h.source().syncedIds().size());
    assertEquals(List.of("completed 5"), reached);
    assertEquals(SyncState.IDLE, manager.getStatus().state());
  }

  @Test
  void appliesAValidRemoteConfigurationAnnouncedByTheHeartbeat() {
    List<RemoteConfig> applied = new ArrayList<>();
    SyncManager manager = h.builder().addListener(new SyncListener() {
      @Override
      public void onConfigurationApplied(RemoteConfig config) {
        applied.add(config);
      }
    }).build();
    manager.start();
    h.gateway().setRemoteConfig(
        new RemoteConfig("v2", Duration.ofMinutes(1), 250, 7, Duration.ofSeconds(30)));
    h.scheduler().advance(SyncManager.DEFAULT_HEARTBEAT_INTERVAL);

    assertEquals(1, applied.size());
    assertEquals("v2", manager.getStatus().appliedConfigVersion().orElseThrow());
    // The new interval takes over the schedule.
    h.source().addSample(600);
    h.scheduler().advance(Duration.ofMinutes(1));
    assertEquals(0, h.source().pendingCount());
    assertEquals(250, h.gateway().uploads().get(0).size());
    List<Heartbeat> beats = h.gateway().heartbeats();
    assertEquals("v2", beats.get(beats.size() - 1).appliedConfigVersion().orElseThrow());
  }

  @Test
  void refusesAnOutOfRangeRemoteConfigurationAndKeepsTheOldOne() {
    List<String> refusals = new ArrayList<>();
    SyncManager manager = h.builder().setBatchSize(500).addListener(new SyncListener() {
      @Override
      public void onConfigurationRefused(RemoteConfig config, String reason) {
        refusals.add(config.version() + ": " + reason);
      }
    }).build();
    h.gateway().setRemoteConfig(new RemoteConfig("v3", Duration.ofMinutes(1), 0, 3, null));

    assertEquals(ConfigUpdate.REFUSED, manager.downloadConfiguration());
    assertEquals(List.of("v3: batchSize must be between 1 and 100000: 0"), refusals);
    assertTrue(manager.getStatus().appliedConfigVersion().isEmpty());
    h.source().addSample(600);
    manager.start();
    assertEquals(500, h.gateway().uploads().get(0).size(), "the old batch size stays in force");
    assertEquals(ConfigUpdate.UNCHANGED, manager.downloadConfiguration());
  }

  @Test
  void statisticsCoverTheWindowAndTheBacklog() {
    h.source().addSample(10);
    SyncManager manager = h.builder().build();
    manager.start();
    h.clock().advance(Duration.ofHours(2));
    h.source().addSample(3);
    h.gateway().failNextUploads(timeout(), timeout(), timeout(), timeout(), timeout(), timeout());
    trigger(manager);

    SyncStats lastHour = manager.getSyncStats(1);
    assertEquals(1, lastHour.runs());
    assertEquals(1, lastHour.failures());
    assertEquals(0, lastHour.readingsSynced());
    assertEquals(3, lastHour.pendingReadings().getAsLong());
    assertEquals(Duration.ofSeconds(50), lastHour.maxRunDuration(), "five 10 s backoffs");

    SyncStats day = manager.getSyncStats(24);
    assertEquals(2, day.runs());
    assertEquals(1, day.successes());
    assertEquals(10, day.readingsSynced());
    assertEquals(1000, day.bytesSent());
    assertTrue(day.lastSuccessAt().isPresent());
  }

  @Test
  void triggerSyncBeforeStartIsSkippedAndStopIsIdempotent() {
    SyncManager manager = h.builder().build();
    assertEquals(SyncOutcome.SKIPPED, trigger(manager).outcome());
    manager.start();
    manager.stop().join();
    manager.stop().join();
    assertEquals(SyncState.STOPPED, manager.getStatus().state());
    assertEquals("a stopped SyncManager cannot start again",
        assertThrows(IllegalStateException.class, manager::start).getMessage());
    assertTrue(manager.getStatus().nextScheduledRun().isEmpty());

    // Stopped means stopped: no timer fires, nothing is probed, claimed or uploaded.
    h.source().addSample(5);
    int probes = h.gateway().probes();
    int uploads = h.gateway().uploads().size();
    h.scheduler().advance(Duration.ofHours(2));
    assertEquals(probes, h.gateway().probes());
    assertEquals(uploads, h.gateway().uploads().size());
    assertEquals(0, h.source().claimedCount());
    assertEquals(5, h.source().pendingCount());
  }

  @Test
  void recoversClaimsLeftByAnEarlierProcessAtStart() {
    h.source().addSample(20);
    assertEquals(20, h.source().claim(20).size());
    // A new manager on the same queue: the lease has not expired, yet nothing waits for it.
    h.builder().build().start();
    assertEquals(20, h.source().syncedIds().size());
  }

  @Test
  void triggerSyncDuringARunJoinsIt() throws Exception {
    h.source().addSample(3);
    ExecutorService worker = Executors.newSingleThreadExecutor();
    CountDownLatch uploading = new CountDownLatch(1);
    CountDownLatch proceed = new CountDownLatch(1);
    h.gateway().beforeUpload(batch -> {
      uploading.countDown();
      awaitQuietly(proceed);
    });
    SyncManager manager = h.builder().setExecutor(worker).build();
    try {
      manager.start();
      assertTrue(uploading.await(10, TimeUnit.SECONDS));
      CompletableFuture<SyncRun> first = manager.triggerSync();
      CompletableFuture<SyncRun> second = manager.triggerSync();
      proceed.countDown();

      SyncRun run = first.get(10, TimeUnit.SECONDS);
      assertSame(run, second.get(10, TimeUnit.SECONDS));
      assertEquals(3, run.readingsSynced());
      assertEquals(1, h.gateway().uploads().size());
    } finally {
      worker.shutdownNow();
    }
  }

  @Test
  void rejectsInvalidSettingsNamingThem() {
    SyncManagerBuilder b = h.builder();
    assertEquals("batchSize must be between 1 and 100000: 0",
        assertThrows(IllegalArgumentException.class, () -> b.setBatchSize(0)).getMessage());
    assertEquals("maxRetries must be between 0 and 100: -1",
        assertThrows(IllegalArgumentException.class, () -> b.setMaxRetries(-1)).getMessage());
    assertEquals("syncInterval must be between PT1S and PT24H: PT0.5S",
        assertThrows(IllegalArgumentException.class,
            () -> b.setSyncInterval(Duration.ofMillis(500))).getMessage());
    assertEquals("heartbeatInterval must be between PT5S and PT24H: PT48H",
        assertThrows(IllegalArgumentException.class,
            () -> b.setHeartbeatInterval(Duration.ofDays(2))).getMessage());
    assertEquals("listener",
        assertThrows(NullPointerException.class, () -> b.addListener(null)).getMessage());
    assertEquals("ticker",
        assertThrows(NullPointerException.class, () -> b.setTicker(null)).getMessage());
  }

  @Test
  void batchRejectedOfASingleReadingCarriesTheServersReason() {
    List<Reading> readings = h.source().addSample(3);
    h.gateway().beforeUpload(batch -> {
      if (batch.readings().get(0).id() == readings.get(0).id()) {
        throw new BatchRejectedException("HTTP 422: value out of range", 422, null);
      }
    });
    h.builder().setBatchSize(1).build().start();
    assertEquals(Map.of(readings.get(0).id(), "HTTP 422: value out of range"),
        h.source().quarantined());
    assertEquals(List.of(readings.get(1).id(), readings.get(2).id()), h.source().syncedIds());
  }
}

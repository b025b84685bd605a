package com.meterit.sync.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.meterit.sync.api.BatchRejectedException;
import com.meterit.sync.api.SyncListener;
import com.meterit.sync.api.SyncOutcome;
import com.meterit.sync.api.SyncRun;
import com.meterit.sync.api.SyncState;
import com.meterit.sync.api.TransientGatewayException;
import com.meterit.sync.api.UploadBatch;
import com.meterit.sync.core.testing.Harness;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A 409 says that a request with the batch's Idempotency-Key is still being processed. The batch
 * goes out again whole, under the same key, after a backoff, and after a bound it is set aside,
 * still journaled; its readings are never freed or re-formed under other keys.
 */
class InProgressTest {
  private final Harness h = new Harness();

  private static TransientGatewayException inProgress(Duration retryAfter) {
    return new TransientGatewayException("still being processed (HTTP 409)", 409, null,
        retryAfter, null);
  }

  private Set<String> keysOf(long readingId) {
    return h.gateway().uploads().stream()
        .filter(b -> b.readings().stream().anyMatch(r -> r.id() == readingId))
        .map(UploadBatch::batchId).collect(Collectors.toSet());
  }

  @Test
  void a409IsAskedAgainUnderTheSameKeyWithBackoffAndCountsNoRetry() {
    h.source().addSample(10);
    h.gateway().failNextUploads(inProgress(null), inProgress(Duration.ofSeconds(30)));
    SyncManager manager = h.builder().setBatchSize(10).setMaxRetries(0).build();
    manager.start();

    assertEquals(10, h.source().syncedIds().size());
    List<UploadBatch> uploads = h.gateway().uploads();
    assertEquals(3, uploads.size());
    assertEquals(1, uploads.stream().map(UploadBatch::batchId).distinct().count());
    // The policy's 10 s, and on top of it the server's Retry-After.
    assertEquals(List.of(Duration.ofSeconds(10), Duration.ofSeconds(40)), h.sleeps());
    assertEquals(SyncState.IDLE, manager.getStatus().state());
    assertEquals(0, h.source().journaledBatches());
  }

  @Test
  void a409PastItsBoundSetsTheBatchAsideStillJournaledWhileTheBatchesBehindItFlow() {
    h.source().addSample(30);
    h.gateway().failNextUploads(inProgress(null), inProgress(null), inProgress(null));
    List<SyncRun> runs = new CopyOnWriteArrayList<>();
    SyncManager manager = h.builder().setBatchSize(10).setMaxInProgressRetries(2)
        .addListener(new SyncListener() {
          @Override
          public void onSyncCompleted(SyncRun run) {
            runs.add(run);
          }
        }).build();
    manager.start();

    List<UploadBatch> uploads = h.gateway().uploads();
    String key = uploads.get(0).batchId();
    assertEquals(List.of(key, key, key), uploads.subList(0, 3).stream()
        .map(UploadBatch::batchId).collect(Collectors.toList()));
    assertEquals(5, uploads.size(), "three answers 409, then the two batches behind it");
    assertEquals(List.of(Duration.ofSeconds(10), Duration.ofSeconds(10)), h.sleeps());
    assertEquals(20, h.source().syncedIds().size());
    assertEquals(10, h.source().pendingCount());
    assertEquals(1, h.source().journaledBatches(), "set aside, still journaled");
    assertEquals(0, h.source().heldBatches(), "and given back when the run ended");
    assertEquals(1, runs.size());
    assertEquals(SyncOutcome.SUCCEEDED, runs.get(0).outcome());
    assertEquals(20, runs.get(0).readingsSynced());

    SyncRun second = manager.triggerSync().join();
    assertEquals(SyncOutcome.SUCCEEDED, second.outcome());
    assertEquals(30, h.source().syncedIds().size());
    assertEquals(key, h.gateway().uploads().get(5).batchId(), "resumed first, under its key");
    for (long id = 1; id <= 10; id++) {
      assertEquals(Set.of(key), keysOf(id), "reading " + id);
    }
    assertEquals(Map.of(), h.gateway().readingsInTwoBatches());
    assertEquals(0, h.gateway().conflictingReplays());
  }

  @Test
  void noRetryOfA409SetsTheBatchAsideAtOnce() {
    h.source().addSample(10);
    h.gateway().failNextUploads(inProgress(null));
    SyncManager manager = h.builder().setBatchSize(10).setMaxInProgressRetries(0).build();
    manager.start();

    assertEquals(1, h.gateway().uploads().size());
    assertEquals(List.of(), h.sleeps());
    assertEquals(1, h.source().journaledBatches());
    assertEquals(10, h.source().pendingCount());
  }

  @Test
  void a409ThatAHostsGatewayMapsAsARefusalIsNeverBisected() {
    h.source().addSample(10);
    h.gateway().failNextUploads(new BatchRejectedException("conflict (HTTP 409)", 409, null));
    SyncManager manager = h.builder().setBatchSize(10).build();
    manager.start();

    List<UploadBatch> uploads = h.gateway().uploads();
    assertEquals(2, uploads.size());
    assertEquals(uploads.get(0).batchId(), uploads.get(1).batchId());
    assertEquals(10, uploads.get(1).size());
    assertEquals(10, h.source().syncedIds().size());
  }

  @Test
  void theBoundIsValidated() {
    SyncManagerBuilder builder = h.builder();
    assertEquals("maxInProgressRetries must be between 0 and 100: -1",
        assertThrows(IllegalArgumentException.class,
            () -> builder.setMaxInProgressRetries(-1)).getMessage());
    assertEquals("maxInProgressRetries must be between 0 and 100: 101",
        assertThrows(IllegalArgumentException.class,
            () -> builder.setMaxInProgressRetries(101)).getMessage());
    builder.setMaxInProgressRetries(100).setMaxInProgressRetries(0);
  }
}

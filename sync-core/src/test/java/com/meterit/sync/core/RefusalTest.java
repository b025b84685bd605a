package com.meterit.sync.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.api.Reading;
import com.meterit.sync.api.SyncListener;
import com.meterit.sync.api.SyncRun;
import com.meterit.sync.api.SyncState;
import com.meterit.sync.api.UploadsRefusedException;
import com.meterit.sync.core.testing.Harness;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A server (or a proxy) that refuses everything is told apart from poisoned readings. */
class RefusalTest {
  private final Harness h = new Harness();
  private final List<Throwable> failures = new CopyOnWriteArrayList<>();
  private final SyncListener recorder = new SyncListener() {
    @Override
    public void onSyncFailed(SyncRun run, Throwable cause) {
      failures.add(cause);
    }
  };

  @Test
  void aServerThatRefusesEveryBatchQuarantinesNothingAndSaysWhy() {
    h.source().addSample(5_000);
    h.gateway().rejectBatchesContaining(r -> true);
    SyncManager manager = h.builder().setBatchSize(1000).addListener(recorder).build();
    manager.start();

    assertEquals(Map.of(), h.source().quarantined());
    assertTrue(h.gateway().uploads().size() <= 60, "bounded: " + h.gateway().uploads().size());
    assertEquals(SyncState.REFUSED, manager.getStatus().state());
    assertTrue(manager.getStatus().lastError().orElseThrow()
        .startsWith("the Client System refused every upload"));
    assertEquals(1, failures.size());
    assertInstanceOf(UploadsRefusedException.class, failures.get(0));

    // A second run while it still refuses costs no more than the first.
    int before = h.gateway().uploads().size();
    manager.triggerSync().join();
    assertTrue(h.gateway().uploads().size() - before <= 60);
    assertEquals(Map.of(), h.source().quarantined());

    h.gateway().rejectBatchesContaining(r -> false);
    manager.triggerSync().join();
    assertEquals(5_000, h.source().syncedIds().size());
    assertEquals(Map.of(), h.gateway().readingsInTwoBatches());
    assertEquals(SyncState.IDLE, manager.getStatus().state());
  }

  @Test
  void aPayloadLimitThatRefusesEvenOneReadingQuarantinesNothingAndForgetsTheSize() {
    h.source().addSample(2_000);
    h.gateway().setMaxBatchSize(0);
    SyncManager manager = h.builder().setBatchSize(1000).addListener(recorder).build();
    manager.start();

    assertEquals(Map.of(), h.source().quarantined());
    assertTrue(h.gateway().uploads().size() <= 60, "bounded: " + h.gateway().uploads().size());
    assertEquals(SyncState.REFUSED, manager.getStatus().state());

    h.gateway().setMaxBatchSize(Integer.MAX_VALUE);
    int before = h.gateway().uploads().size();
    manager.triggerSync().join();
    assertEquals(2_000, h.source().syncedIds().size());
    assertTrue(h.gateway().uploads().size() - before <= 60,
        "the refused fragments go out as they are, then full batches again: "
            + (h.gateway().uploads().size() - before));
  }

  @Test
  void aServerThatRefusesEverythingForAWhileQuarantinesNothingOnceItRecovers() {
    List<Reading> readings = h.source().addSample(40);
    java.util.concurrent.atomic.AtomicInteger refusals = new java.util.concurrent.atomic.AtomicInteger();
    // The first ten uploads are refused whole, whatever they hold; then the server recovers.
    h.gateway().beforeUpload(batch -> {
      if (refusals.incrementAndGet() <= 10) {
        throw new com.meterit.sync.api.BatchRejectedException("HTTP 400: busy proxy", 400, null);
      }
    });
    SyncManager manager = h.builder().setBatchSize(8).build();
    manager.start();
    assertEquals(Map.of(), h.source().quarantined(), "suspects are sent once more and accepted");
    assertEquals(readings.size(), h.source().syncedIds().size());
  }

  @Test
  void aPoisonedReadingAloneInItsBatchIsQuarantinedOnceAnotherUploadIsAccepted() {
    List<Reading> readings = h.source().addSample(3);
    long poisoned = readings.get(0).id();
    h.gateway().rejectBatchesContaining(r -> r.id() == poisoned);
    SyncManager manager = h.builder().setBatchSize(1).build();
    manager.start();

    assertEquals(List.of(poisoned), List.copyOf(h.source().quarantined().keySet()));
    assertEquals(2, h.source().syncedIds().size());
    assertEquals(SyncState.IDLE, manager.getStatus().state());
  }

  @Test
  void aPoisonedReadingWithNothingElseToSendWaitsForEvidence() {
    List<Reading> readings = h.source().addSample(1);
    h.gateway().rejectBatchesContaining(r -> r.id() == readings.get(0).id());
    SyncManager manager = h.builder().build();
    manager.start();
    assertEquals(Map.of(), h.source().quarantined(), "alone, it cannot be told from a refusal");
    assertEquals(SyncState.REFUSED, manager.getStatus().state());

    h.source().addSample(5);
    manager.triggerSync().join();
    assertEquals(List.of(readings.get(0).id()), List.copyOf(h.source().quarantined().keySet()));
    assertEquals(5, h.source().syncedIds().size());
  }
}

package com.meterit.sync.core;

import com.meterit.sync.core.testing.Harness;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.api.Claim;
import com.meterit.sync.api.TransientGatewayException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Adversarial review findings in sync-core; each test fails on the reviewed code. */
class ReviewFindingsTest {
  private final Harness h = new Harness();

  /**
   * Finding 1: a lost lease seen by {@code beforeSend} is caught by sendWithRetries' catch-all
   * RuntimeException as a "transient gateway failure": the run backs off maxRetries times on a
   * batch it will never send again, then fails, leaving the rest of the queue for a later run.
   */
  @Test
  void aLostLeaseBeforeARetryDropsThatBatchAndTheRunGoesOn() {
    h.source().addSample(1_500);
    AtomicInteger uploads = new AtomicInteger();
    h.gateway().failNextUploads(new TransientGatewayException("bad gateway", 502, null, null, null));
    h.gateway().beforeUpload(batch -> {
      if (uploads.incrementAndGet() == 1) {
        // While the first send fails, its lease lapses and another worker takes it over.
        h.clock().advance(Duration.ofMinutes(6));
        Claim takenOver = h.source().claim(1000);
        assertTrue(takenOver.resumed());
        h.source().settle(takenOver, List.of());
      }
    });
    SyncManager manager = h.builder().setBatchSize(1000).setMaxRetries(5).build();
    manager.start();

    assertEquals(Map.of(), h.gateway().readingsInTwoBatches());
    assertEquals(List.of(Duration.ofSeconds(10)), h.sleeps(),
        "one backoff for the 502, none for a batch that is no longer ours");
    assertEquals(0, manager.getSyncStats(1).failures(), "the run did not fail");
    assertEquals(1_500, h.source().syncedIds().size(), "the second batch went out in the same run");
  }

  /**
   * Finding 2: an idempotent replay is taken as evidence that the server takes uploads now. A
   * server that refuses every new batch (422) still replays the answer of a batch it recorded
   * earlier; that replay "proves" the suspects of this run poisoned and quarantines good readings.
   */
  @Test
  void aReplayedAnswerIsNoEvidenceAgainstSuspectsOfAServerThatRefusesEverythingNew() {
    h.source().addSample(8);
    Claim first = h.source().claim(4);
    Claim second = h.source().claim(4);
    // The second batch reached the server in an earlier run; its answer was lost.
    h.gateway().uploadBatch(second.batch());
    h.source().release(first);
    h.source().release(second);
    // Now the server refuses every batch it has not seen, whole.
    h.gateway().rejectBatchesContaining(r -> true);
    SyncManager manager = h.builder().setBatchSize(4).build();
    manager.start();

    assertEquals(Map.of(), h.source().quarantined(),
        "a server that refuses everything new quarantines nothing");
  }
}

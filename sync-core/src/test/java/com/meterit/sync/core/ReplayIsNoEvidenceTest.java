package com.meterit.sync.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.api.Claim;
import com.meterit.sync.api.TransientGatewayException;
import com.meterit.sync.core.testing.Harness;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What counts as evidence that a server refusing batches takes uploads again. */
class ReplayIsNoEvidenceTest {
  private final Harness h = new Harness();

  /**
   * An idempotent replay is no evidence that the server takes uploads now: a server that refuses
   * every new batch (422) still replays the answer of a batch it recorded earlier, and taking
   * that as evidence would call this run's suspects poisoned and quarantine good readings.
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

package com.meterit.sync.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.meterit.sync.api.SyncRun;
import com.meterit.sync.api.TransientGatewayException;
import com.meterit.sync.core.internal.run.BatchUploader;
import com.meterit.sync.core.testing.Harness;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The limit on a run's wait for a batch the server answers 409 for is inclusive: a wait of
 * exactly {@link BatchUploader#MAX_IN_PROGRESS_WAIT} is taken, a longer one sets the batch aside.
 * The Harness backoff is a fixed 10 s, so a Retry-After of 50 s makes a wait of exactly a minute.
 */
class InProgressWaitLimitTest {
  private final Harness h = new Harness();

  private static TransientGatewayException inProgress(Duration retryAfter) {
    return new TransientGatewayException("still being processed (HTTP 409)", 409, null,
        retryAfter, null);
  }

  @Test
  void aWaitOfExactlyTheLimitIsTakenAndTheBatchGoesThroughInTheSameRun() {
    h.source().addSample(5);
    h.gateway().failNextUploads(inProgress(Duration.ofSeconds(50)));
    SyncManager manager = h.builder().setBatchSize(5).build();
    manager.start();

    assertEquals(1, manager.getSyncStats(1).runs());
    assertEquals(1, manager.getSyncStats(1).successes());
    assertEquals(5, h.source().syncedIds().size());
    assertEquals(2, h.gateway().uploads().size());
  }

  @Test
  void aWaitPastTheLimitSetsTheBatchAsideForTheNextRun() {
    h.source().addSample(5);
    h.gateway().failNextUploads(inProgress(Duration.ofSeconds(51)));
    SyncManager manager = h.builder().setBatchSize(5).build();
    manager.start();

    assertEquals(0, h.source().syncedIds().size());
    assertEquals(1, h.gateway().uploads().size(), "set aside without a second ask");
    assertEquals(1, h.source().journaledBatches(), "still journaled");

    SyncRun next = manager.triggerSync().join();
    assertEquals(5, next.readingsSynced());
    assertEquals(1, h.gateway().uploads().stream().map(b -> b.batchId()).distinct().count(),
        "under the same key");
  }
}

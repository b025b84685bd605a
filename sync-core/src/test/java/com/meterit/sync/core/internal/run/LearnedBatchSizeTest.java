package com.meterit.sync.core.internal.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.meterit.sync.api.SyncOutcome;
import com.meterit.sync.api.SyncState;
import com.meterit.sync.api.UploadBatch;
import com.meterit.sync.core.SyncManager;
import com.meterit.sync.core.testing.Harness;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a refusal of everything does to the batch size learned from 413s in the same run. */
class LearnedBatchSizeTest {
  private final Harness h = new Harness();

  @Test
  void aRunThatEndsRefusedForgetsTheSizeItsTooLargeAnswersTaught() {
    h.source().addSample(400);
    // Too large above 2 readings, and every batch that fits is refused whole.
    h.gateway().setMaxBatchSize(2).rejectBatchesContaining(r -> true);
    SyncManager manager = h.builder().setBatchSize(4).build();
    manager.start();
    assertEquals(SyncState.REFUSED, manager.getStatus().state());
    assertEquals(400, h.source().pendingCount(), "nothing is quarantined");

    h.gateway().setMaxBatchSize(Integer.MAX_VALUE).rejectBatchesContaining(r -> false);
    int before = h.gateway().uploads().size();
    assertEquals(SyncOutcome.SUCCEEDED, manager.triggerSync().join().outcome());
    List<UploadBatch> after = h.gateway().uploads().subList(before, h.gateway().uploads().size());
    assertEquals(4, after.stream().mapToInt(UploadBatch::size).max().orElse(0),
        "fresh batches are claimed at the configured size again: " + after.size() + " uploads");
    assertEquals(400, h.source().syncedIds().size());
  }
}

package com.meterit.sync.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.api.SyncOutcome;
import com.meterit.sync.api.SyncRun;
import com.meterit.sync.api.SyncListener;
import com.meterit.sync.api.TransientGatewayException;
import com.meterit.sync.api.UploadBatch;
import com.meterit.sync.core.testing.Harness;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A key the server keeps answering 409 for is set aside and named, and the rest goes on. */
class InProgressSetAsideTest {
  private final Harness h = new Harness();

  private static TransientGatewayException inProgress(Duration retryAfter) {
    return new TransientGatewayException("still being processed (HTTP 409)", 409, null,
        retryAfter, null);
  }

  private static TransientGatewayException[] forever(Duration retryAfter) {
    TransientGatewayException[] answers = new TransientGatewayException[200];
    Arrays.fill(answers, inProgress(retryAfter));
    return answers;
  }

  /**
   * A server that answers 409 with {@code Retry-After: 3600} for one key held the lane, and so
   * the run, for five hours (five waits of the capped hour plus backoff): readings written after
   * the queue drained waited all that time, though the 409 concerns that key alone and the sync
   * interval is five minutes.
   */
  @Test
  void a409WithALongRetryAfterSetsTheBatchAsideRatherThanHoldTheRunForHours() {
    h.source().addSample(10);
    h.gateway().failNextUploads(forever(Duration.ofHours(1)));
    List<SyncRun> runs = new CopyOnWriteArrayList<>();
    SyncManager manager = h.builder().setBatchSize(10).addListener(new SyncListener() {
      @Override
      public void onSyncCompleted(SyncRun run) {
        runs.add(run);
      }
    }).build();
    manager.start();

    assertEquals(1, runs.size());
    assertEquals(SyncOutcome.SUCCEEDED, runs.get(0).outcome());
    assertTrue(runs.get(0).duration().compareTo(Duration.ofMinutes(1)) <= 0,
        "the run lasted " + runs.get(0).duration());
    assertEquals(1, h.source().journaledBatches(), "set aside, still journaled");
    assertEquals(0, h.source().heldBatches());
    assertEquals(10, h.source().pendingCount());
    assertEquals(1, h.gateway().uploads().stream().map(UploadBatch::batchId).distinct().count());
    assertEquals(Map.of(), h.gateway().readingsInTwoBatches());
  }

  /**
   * A key the server answers 409 for run after run: every run ended SUCCEEDED, with no error, and
   * the status's last success kept moving, so nothing but a growing lag told the operator that a
   * batch never went through.
   */
  @Test
  void aBatchSetAsideFor409RunAfterRunIsNamedInTheRunAndTheStatus() {
    h.source().addSample(10);
    h.gateway().failNextUploads(forever(null));
    List<SyncRun> runs = new CopyOnWriteArrayList<>();
    SyncManager manager = h.builder().setBatchSize(10).addListener(new SyncListener() {
      @Override
      public void onSyncCompleted(SyncRun run) {
        runs.add(run);
      }
    }).build();
    manager.start();
    manager.triggerSync().join();

    assertEquals(2, runs.size());
    for (SyncRun run : runs) {
      assertEquals(SyncOutcome.SUCCEEDED, run.outcome());
      assertTrue(run.error().orElse("").contains("409"), "run error: " + run.error());
    }
    assertTrue(manager.getStatus().lastError().orElse("").contains("409"),
        "status: " + manager.getStatus());
    assertEquals(10, h.source().pendingCount());
    assertEquals(Map.of(), h.gateway().readingsInTwoBatches());
  }
}

package com.meterit.sync.core.internal.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.meterit.sync.api.SyncOutcome;
import com.meterit.sync.api.SyncRun;
import com.meterit.sync.core.SyncManager;
import com.meterit.sync.core.testing.Harness;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * An upload executor that fails to start a lane in any way, not only by a rejection, gets back
 * the lane's place in the window (Lanes.Slot) and its batch, and the run ends instead of waiting
 * forever for a lane that never ran.
 */
class LaneStartFailureTest {
  private final Harness h = new Harness();

  /** Fails its first task with {@code failure}, then runs tasks on the caller's thread. */
  private static Executor failingOnce(Throwable failure) {
    AtomicBoolean failed = new AtomicBoolean();
    return task -> {
      if (failed.compareAndSet(false, true)) {
        if (failure instanceof Error) {
          throw (Error) failure;
        }
        throw (RuntimeException) failure;
      }
      task.run();
    };
  }

  @Test
  void anUploadExecutorThatFailsOtherwiseThanByRejectingEndsTheRunAndGivesTheBatchBack() {
    h.source().addSample(10);
    SyncManager manager = h.builder().setBatchSize(10)
        .setUploadExecutor(failingOnce(new IllegalStateException("upload pool closed")))
        .build();

    // Before the fix, the run waited forever in awaitAll for the lane counted but never started.
    assertTimeoutPreemptively(Duration.ofSeconds(5), manager::start, "the first run ended");
    assertEquals(0, h.source().heldBatches(), "the batch went back, not held on by its lease");
    assertEquals(0, manager.getStatus().batchesInFlight(), "the lane's place went back");
    assertEquals(1, manager.getSyncStats(1).failures());
    assertEquals(0, h.gateway().uploads().size());

    SyncRun again = assertTimeoutPreemptively(Duration.ofSeconds(5),
        () -> manager.triggerSync().join(), "the next run ended");
    assertEquals(SyncOutcome.SUCCEEDED, again.outcome());
    assertEquals(10, h.source().syncedIds().size(), "every reading went out in the next run");
    assertEquals(Map.of(), h.gateway().readingsInTwoBatches());
    manager.close();
  }

  @Test
  void anUploadExecutorThatRejectsEndsTheRunAsStoppedAndGivesTheBatchAndItsPlaceBack() {
    h.source().addSample(10);
    SyncManager manager = h.builder().setBatchSize(10)
        .setUploadExecutor(failingOnce(new RejectedExecutionException("shut down")))
        .build();

    assertTimeoutPreemptively(Duration.ofSeconds(5), manager::start, "the first run ended");
    assertEquals(0, h.source().heldBatches(), "the batch went back");
    assertEquals(0, manager.getStatus().batchesInFlight(), "the lane's place went back");
    assertEquals(0, h.gateway().uploads().size());

    SyncRun again = assertTimeoutPreemptively(Duration.ofSeconds(5),
        () -> manager.triggerSync().join(), "the next run ended");
    assertEquals(SyncOutcome.SUCCEEDED, again.outcome());
    assertEquals(10, h.source().syncedIds().size());
    assertEquals(Map.of(), h.gateway().readingsInTwoBatches());
    manager.close();
  }

  @Test
  void aLaneThreadThatCannotBeCreatedEndsTheRunWithTheErrorAndGivesTheBatchBack() {
    h.source().addSample(10);
    SyncManager manager = h.builder().setBatchSize(10)
        .setUploadExecutor(failingOnce(new OutOfMemoryError("unable to create native thread")))
        .build();

    // A JVM out of threads ends the process (docs/architecture.md): the error must reach the
    // run's caller, not leave the run waiting for a lane that never started.
    assertTimeoutPreemptively(Duration.ofSeconds(5),
        () -> assertThrows(OutOfMemoryError.class, manager::start), "the run ended");
    assertEquals(0, h.source().heldBatches(), "the batch went back");
    assertEquals(0, h.gateway().uploads().size());
  }
}

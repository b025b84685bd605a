package com.meterit.sync.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import com.meterit.sync.api.Rejection;
import com.meterit.sync.api.SyncListener;
import com.meterit.sync.api.SyncOutcome;
import com.meterit.sync.api.UploadBatch;
import com.meterit.sync.core.testing.Harness;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;

/**
 * The calls a run makes on its listeners, and their order, checked by interaction: a listener is
 * a collaborator the engine only talks to. {@link ListenerHooksTest} checks the state changes.
 */
class ListenerCallOrderTest {
  private final Harness h = new Harness();

  @Test
  void aRunTellsStartedThenEachBatchAndItsRejectionsThenCompleted() {
    h.source().addSample(10);
    h.gateway().rejectReadings(r -> r.id() == 6, "unknown meter");
    SyncListener listener = mock(SyncListener.class);
    SyncManager manager = h.builder().setBatchSize(4).addListener(listener).build();
    manager.start();

    InOrder order = inOrder(listener);
    order.verify(listener).onSyncStarted();
    order.verify(listener).onBatchUploaded(argThat(b -> firstId(b) == 1), any());
    order.verify(listener).onBatchUploaded(argThat(b -> firstId(b) == 5), any());
    order.verify(listener).onBatchUploaded(argThat(b -> firstId(b) == 9 && b.readings().size() == 2),
        any());
    order.verify(listener).onSyncCompleted(argThat(run -> run.readingsSynced() == 9));
    // A batch's rejections are told once its upload is, before the run completes.
    InOrder rejected = inOrder(listener);
    rejected.verify(listener).onBatchUploaded(argThat(b -> firstId(b) == 5), any());
    rejected.verify(listener).onReadingsRejected(List.of(new Rejection(6, "unknown meter")));
    rejected.verify(listener).onSyncCompleted(any());
    verify(listener, times(3)).onBatchUploaded(any(), any());
    verify(listener, times(1)).onReadingsRejected(any());
    verify(listener, never()).onSyncFailed(any(), any());
  }

  private static long firstId(UploadBatch batch) {
    return batch.readings().get(0).id();
  }

  @Test
  void aListenerThatThrowsIsStillCalledAndNeitherTheRunNorTheNextListenerSuffers() {
    h.source().addSample(8);
    SyncListener failing = mock(SyncListener.class);
    doThrow(new IllegalStateException("listener bug")).when(failing).onBatchUploaded(any(), any());
    SyncListener next = mock(SyncListener.class);
    SyncManager manager = h.builder().setBatchSize(4).addListener(failing).addListener(next)
        .build();
    manager.start();

    verify(failing, times(2)).onBatchUploaded(any(), any());
    verify(next, times(2)).onBatchUploaded(any(), any());
    verify(next).onSyncCompleted(argThat(run -> run.outcome() == SyncOutcome.SUCCEEDED));
    verify(next, never()).onSyncFailed(any(), any());
    assertEquals(8, h.source().syncedIds().size());
  }
}

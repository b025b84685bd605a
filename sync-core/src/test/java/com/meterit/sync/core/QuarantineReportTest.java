package com.meterit.sync.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.meterit.sync.api.Reading;
import com.meterit.sync.api.Rejection;
import com.meterit.sync.api.SyncListener;
import com.meterit.sync.core.testing.Harness;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** What the run's settlement tells the host of a reading it quarantined. */
class QuarantineReportTest {
  private final Harness h = new Harness();

  @Test
  void aPoisonedReadingQuarantinedAloneIsReportedToTheListenersWithTheServersReason() {
    List<Reading> readings = h.source().addSample(3);
    long poisoned = readings.get(0).id();
    h.gateway().rejectBatchesContaining(r -> r.id() == poisoned);
    List<Rejection> reported = new CopyOnWriteArrayList<>();
    SyncManager manager = h.builder().setBatchSize(1).addListener(new SyncListener() {
      @Override
      public void onReadingsRejected(List<Rejection> rejections) {
        reported.addAll(rejections);
      }
    }).build();
    manager.start();

    assertEquals(1, reported.size(), reported.toString());
    assertEquals(poisoned, reported.get(0).readingId());
    assertEquals("batch rejected: invalid reading", reported.get(0).reason());
    assertEquals(1, manager.getSyncStats(1).readingsRejected());
  }
}

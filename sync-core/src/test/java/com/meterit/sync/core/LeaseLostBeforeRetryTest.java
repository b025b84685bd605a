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

/** A batch whose lease was lost while its upload failed is dropped, and the run goes on. */
class LeaseLostBeforeRetryTest {
  private final Harness h = new Harness();

  /**
   * A lost lease seen before a retry is no transient gateway failure: the run neither backs off
   * on a batch it will never send again nor fails, and the rest of the queue goes out.
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
}

package com.meterit.sync.core;

import static com.meterit.sync.core.internal.run.Latches.awaitQuietly;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.api.Claim;
import com.meterit.sync.api.ReadingSource;
import com.meterit.sync.api.TransientGatewayException;
import com.meterit.sync.core.testing.ForwardingReadingSource;
import com.meterit.sync.core.testing.Harness;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The next batch is claimed while the current one uploads, and never left claimed. */
class PipeliningTest {
  private final Harness h = new Harness();
  private final CountDownLatch secondClaim = new CountDownLatch(2);

  /** Counts claims, so a test can wait for the prefetch. */
  private final ReadingSource counting = new ForwardingReadingSource(h.source()) {
    @Override
    public Claim claim(int maxReadings) {
      Claim claim = super.claim(maxReadings);
      secondClaim.countDown();
      return claim;
    }
  };

  private SyncManagerBuilder builder() {
    return SyncManager.builder().setSource(counting).setGateway(h.gateway())
        .setClock(h.clock())
        .setScheduler(h.scheduler())
        .setExecutor(Runnable::run)
        // One batch uploads at a time here, so that the claim ahead is the only concurrency.
        .setUploadExecutor(Runnable::run)
        .setPipelining(true)
        .setSleeper(d -> { });
  }

  @Test
  void claimsTheNextBatchWhileTheCurrentOneUploads() {
    h.source().addSample(3_000);
    AtomicInteger uploads = new AtomicInteger();
    // The first upload waits for the second claim; without prefetching it would wait forever.
    h.gateway().beforeUpload(batch -> {
      if (uploads.incrementAndGet() == 1) {
        awaitQuietly(secondClaim);
      }
    });
    SyncManager manager = builder().setBatchSize(1000).build();
    manager.start();
    assertEquals(3_000, h.source().syncedIds().size());
    assertEquals(3, h.gateway().uploads().size());
  }

  @Test
  void aFailedRunReleasesTheBatchClaimedAhead() {
    h.source().addSample(3_000);
    TransientGatewayException down =
        new TransientGatewayException("connection refused", new IOException("refused"));
    h.gateway().failNextUploads(down, down);
    AtomicInteger uploads = new AtomicInteger();
    h.gateway().beforeUpload(batch -> {
      if (uploads.incrementAndGet() == 1) {
        awaitQuietly(secondClaim);
      }
    });
    SyncManager manager = builder().setBatchSize(1000).setMaxRetries(1).build();
    manager.start();

    assertEquals(1, manager.getSyncStats(1).failures());
    assertEquals(0, h.source().heldBatches(), "neither the batch in flight nor the one ahead");
    assertEquals(2, h.source().journaledBatches(), "both stay journaled, to go out unchanged");
    assertEquals(3_000, h.source().pendingCount());
    assertTrue(secondClaim.getCount() == 0, "the next batch had been claimed ahead");
  }
}

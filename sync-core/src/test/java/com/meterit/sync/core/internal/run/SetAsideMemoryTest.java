package com.meterit.sync.core.internal.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.api.TransientGatewayException;
import com.meterit.sync.core.SyncManager;
import com.meterit.sync.core.testing.Harness;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Review finding 7: the heap bound counts only the batches in the window (its ceiling, +1 claimed
 * ahead), but a batch the server keeps answering 409 for is set aside, still held with its
 * readings, until the run ends, and its place in the window goes back at once. A server that
 * answers 409 to every key (its processing stalled; or a slow server whose timed-out first
 * attempts are still running when the retries come) makes one run claim, and hold in memory, the
 * whole backlog: a week offline is hundreds of batches, far past the 8 MiB budget.
 */
class SetAsideMemoryTest {
  private final Harness h = new Harness();

  @Test
  void batchesSetAsideForA409StayWithinTheWindowsHeapBound() {
    h.source().addSample(100 * 1_000);
    AtomicInteger mostHeld = new AtomicInteger();
    h.gateway().beforeUpload(b -> {
      mostHeld.accumulateAndGet(h.source().heldBatches(), Math::max);
      throw new TransientGatewayException("still processing", 409, null, null, null);
    });
    SyncManager manager = h.builder().setBatchSize(1_000).build();
    manager.start();
    manager.stop().join();

    int bound = UploadWindow.ceiling(0, 1_000) + 1;
    assertTrue(mostHeld.get() <= bound,
        "one run held " + mostHeld.get() + " batches of 1,000 at once; the window's bound is "
            + bound);
    assertEquals(Map.of(), h.gateway().readingsInTwoBatches());
  }
}

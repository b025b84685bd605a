package com.meterit.sync.core.internal.run;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.core.SyncManager;
import com.meterit.sync.core.testing.Harness;
import com.meterit.sync.core.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Review finding 1: the window grows on every answer even when it was never filled. A gateway in
 * its steady state sends one small batch per run; each answer counts towards slow start, so after
 * about 30 quiet runs the window stands at its ceiling of 32 without ever having held more than
 * one batch. The first run after an outage (or any backlog) then sends 32 batches at once, before
 * a single latency sample can hold it back: eight times the burst the fixed ceiling of 4 allowed,
 * from every gateway of a fleet returning together. TCP calls this an application-limited window
 * and does not grow it (RFC 7661), and restarts it after idle (RFC 5681 4.1).
 */
class UploadWindowIdleGrowthTest {
  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-07T00:00:00Z"));

  @Test
  void aWindowThatNeverHeldMoreThanOneBatchDoesNotGrowPastTheFormerCeiling() {
    UploadWindow window = new UploadWindow(0, 1_000, clock, clock::advance, new StopSignal());
    // Forty quiet runs: one batch each, on a link whose latency never changes.
    for (int run = 0; run < 40; run++) {
      window.enter();
      long sent = window.sending();
      clock.advance(Duration.ofMillis(100));
      window.answered(sent);
      window.leave();
      clock.advance(Duration.ofMinutes(1));
    }
    // What the next backlog may send at once, before any answer comes back.
    int burst = window.size();
    assertTrue(burst <= UploadWindow.FLOOR,
        "never more than one batch in flight, yet the next run may send " + burst + " at once");
  }

  @Test
  void afterQuietRunsTheEngineWindowStandsAtItsCeiling() {
    Harness h = new Harness();
    SyncManager manager = h.builder().build();
    manager.start();
    for (int run = 0; run < 40; run++) {
      h.source().addSample(1);
      manager.triggerSync().join();
      h.clock().advance(Duration.ofMinutes(1));
    }
    int window = manager.getStatus().uploadWindow();
    manager.stop().join();
    assertTrue(window <= UploadWindow.FLOOR,
        "forty runs of one reading each grew the window to " + window
            + ": the first run after an outage sends that many batches at once");
  }
}

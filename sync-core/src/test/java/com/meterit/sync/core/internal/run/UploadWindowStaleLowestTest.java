package com.meterit.sync.core.internal.run;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.core.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Review finding 2: the lowest latency is never forgotten (not per run, not with age), and a
 * manager keeps one window for its lifetime. One answer faster than the link's real floor, or a
 * link that becomes slower for good (LTE failing over to satellite, a server whose processing
 * time grew), makes every later latency read as a queue of nearly the whole window, so the window
 * is cut to the floor of 4 and held there until the process restarts: the satellite drain falls
 * back to the 0.26 of capacity that issue 27 set out to fix.
 */
class UploadWindowStaleLowestTest {
  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-07T00:00:00Z"));
  private final UploadWindow window =
      new UploadWindow(0, 1_000, clock, clock::advance, new StopSignal());

  /** As UploadWindowSizingTest models a link: a round trip plus a batch's wire time each. */
  private void settle(Duration roundTrip, Duration wire) {
    for (int r = 0; r < 200; r++) {
      int inFlight = window.size();
      Duration alone = roundTrip.plus(wire);
      Duration queued = wire.multipliedBy(inFlight);
      Duration latency = queued.compareTo(alone) > 0 ? queued : alone;
      for (int i = 0; i < inFlight; i++) {
        long sent = FullWindow.send(window);
        clock.advance(latency);
        FullWindow.answered(window, sent);
      }
    }
  }

  @Test
  void afterAFailoverFromLteToSatelliteTheWindowStillFillsTheSatelliteLink() {
    settle(Duration.ofMillis(67), Duration.ofMillis(19));
    settle(Duration.ofMillis(650), Duration.ofMillis(46));
    assertTrue(window.size() >= 16,
        "a fresh window reaches 16 to 20 on this link; this one stays at " + window.size());
  }

  @Test
  void oneAnswerThatTookNoMeasurableTimeDoesNotPinTheWindowForever() {
    // One answer within the ticker's resolution (or from a host gateway that answers at once).
    FullWindow.answered(window, FullWindow.send(window));
    settle(Duration.ofMillis(650), Duration.ofMillis(46));
    assertTrue(window.size() >= 16,
        "a fresh window reaches 16 to 20 on this link; this one stays at " + window.size());
  }
}

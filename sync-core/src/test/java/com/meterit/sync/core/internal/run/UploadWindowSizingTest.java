package com.meterit.sync.core.internal.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.core.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * How the window's size follows the measured answer latency, and its ceiling the heap budget: on
 * a manual ticker, with links modelled as a round trip plus a batch's time on the wire per batch
 * in flight. No threads, no sleeps.
 */
class UploadWindowSizingTest {
  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-07T00:00:00Z"));

  private UploadWindow window(int hostMax, int batchSize) {
    return new UploadWindow(hostMax, batchSize, clock, d -> clock.advance(d), new StopSignal());
  }

  /**
   * One window's worth of answers over a link where a batch takes {@code wire} to send and the
   * answer {@code roundTrip} to come back: alone, a batch's answer takes both; with more in
   * flight than the link carries in that time, each waits for those ahead of it.
   */
  private void round(UploadWindow window, Duration roundTrip, Duration wire) {
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

  private int settle(UploadWindow window, Duration roundTrip, Duration wire) {
    for (int i = 0; i < 200; i++) {
      round(window, roundTrip, wire);
    }
    return window.size();
  }

  @Test
  void withoutAHostSettingTheCeilingIsWhatTheHeapBudgetHolds() {
    assertEquals(32, UploadWindow.ceiling(0, 1_000), "8 MiB / (1,000 × 256 B), at most 32");
    assertEquals(32, UploadWindow.ceiling(0, 10), "never above DEFAULT_MAX_IN_FLIGHT");
    assertEquals(6, UploadWindow.ceiling(0, 5_000));
    assertEquals(1, UploadWindow.ceiling(0, 100_000), "a batch beyond the budget still goes");
    assertEquals(16, UploadWindow.ceiling(16, 100_000), "the host's maximum is the host's call");
    for (int batch : new int[] {1, 1_000, 4_096, 5_000, 32_768, 100_000}) {
      int ceiling = UploadWindow.ceiling(0, batch);
      assertTrue(ceiling == 1 || (long) ceiling * batch * UploadWindow.HEAP_BYTES_PER_READING
          <= UploadWindow.HEAP_BUDGET_BYTES, batch + " × " + ceiling);
    }
  }

  @Test
  void onASatelliteLinkTheWindowGrowsToItsBandwidthDelayProductAndStopsThere() {
    UploadWindow window = window(0, 1_000);
    // 650 ms round trip, 46 ms per batch on the wire: 15 batches fill the link.
    int size = settle(window, Duration.ofMillis(650), Duration.ofMillis(46));
    assertTrue(size >= 16 && size <= 20, "filled, with a short queue: " + size);
  }

  @Test
  void onALteLinkTheWindowStopsAtAFewBatches() {
    UploadWindow window = window(0, 1_000);
    // 60 ms round trip plus the host's turnaround, 19 ms on the wire: about 4.5 batches.
    int size = settle(window, Duration.ofMillis(67), Duration.ofMillis(19));
    assertTrue(size >= 5 && size <= 8, "filled, with a short queue: " + size);
  }

  @Test
  void onALinkFilledByOneBatchTheWindowStaysAtTheFormerCeiling() {
    UploadWindow window = window(0, 1_000);
    // GPRS: 2.3 s on the wire per batch, 800 ms round trip.
    // Now and then two for a round, as the lowest latency is measured again: still a full link.
    int size = settle(window, Duration.ofMillis(800), Duration.ofMillis(2_310));
    assertTrue(size >= 2 && size <= UploadWindow.FLOOR, "at most the former ceiling: " + size);
  }

  @Test
  void onALinkSoSlowThatAnswersTakeOverTenSecondsTheWindowStopsGrowing() {
    UploadWindow window = window(0, 1_000);
    // NB-IoT-like: 6 s on the wire per batch, 2 s round trip; a lone batch's answer takes 8 s.
    // The queue rule alone would let the window grow while each answer nears the 30 s deadline.
    // Two in flight: 12 s each. The round's first answer still grew the window, its end stops it.
    round(window, Duration.ofMillis(2_000), Duration.ofMillis(6_000));
    assertEquals(3, window.size());
    int size = settle(window, Duration.ofMillis(2_000), Duration.ofMillis(6_000));
    assertEquals(3, size, "two fill the link; the queue rule alone would allow five, 30 s each");
    assertTrue(size * 6 < 30, "its answers stay within the request deadline");
  }

  @Test
  void theWindowDoublesEveryRoundTripWhileTheLinkHasRoom() {
    UploadWindow window = window(0, 1_000);
    assertEquals(2, window.size());
    round(window, Duration.ofMillis(650), Duration.ofMillis(1));
    assertEquals(4, window.size());
    round(window, Duration.ofMillis(650), Duration.ofMillis(1));
    assertEquals(8, window.size());
    round(window, Duration.ofMillis(650), Duration.ofMillis(1));
    assertEquals(16, window.size());
    round(window, Duration.ofMillis(650), Duration.ofMillis(1));
    assertEquals(32, window.size(), "up to the ceiling of the heap budget");
    round(window, Duration.ofMillis(650), Duration.ofMillis(1));
    assertEquals(32, window.size(), "and no further");
  }

  @Test
  void aLongerQueueShrinksTheWindowAtOnceToWhatLeavesTwoQueuedButNotBelowTheFormerCeiling() {
    UploadWindow window = window(0, 1_000);
    settle(window, Duration.ofMillis(100), Duration.ofMillis(1));
    assertEquals(32, window.size());
    // Every answer of a round takes twice the lowest: half of the 32 queued.
    answerAll(window, 32, Duration.ofMillis(202));
    assertEquals(18, window.size(), "32 - 16 queued + 2");
    // The link slows (or the lowest latency was a small batch's): ten times the lowest reads as
    // 90% of the window queued.
    answerAll(window, 18, Duration.ofMillis(1_010));
    assertEquals(UploadWindow.FLOOR, window.size(), "never below what the fixed ceiling was");
    // A latency that fewer batches do not bring down is the link's own: measured again (two
    // in flight for a round), it is the new lowest, and the window grows back.
    answerAll(window, 40, Duration.ofMillis(1_010));
    assertTrue(window.size() > UploadWindow.FLOOR, "the lowest is measured again: " + window.size());
  }

  private void answerAll(UploadWindow window, int answers, Duration latency) {
    for (int i = 0; i < answers; i++) {
      long sent = FullWindow.send(window);
      clock.advance(latency);
      FullWindow.answered(window, sent);
    }
  }

  @Test
  void aRoundThatShowsAQueueEndsTheDoublingThenTheWindowGrowsByOnePerWindowAnswered() {
    UploadWindow window = window(0, 1_000);
    round(window, Duration.ofMillis(100), Duration.ofMillis(1));
    round(window, Duration.ofMillis(100), Duration.ofMillis(1));
    assertEquals(8, window.size());
    // Latency 1.5 times the lowest with 8 in flight: about 2.7 batches queued. The round's
    // first seven answers still grew the window; its last stops the doubling.
    answerAll(window, 8, Duration.ofMillis(152));
    assertEquals(15, window.size());
    // 15 × (1 − 101 / 126): 3 queued, between growing and shrinking.
    answerAll(window, 15, Duration.ofMillis(126));
    assertEquals(15, window.size(), "held");
    // The queue drains (another sender stopped): room again, one batch per window answered.
    answerAll(window, 14, Duration.ofMillis(101));
    assertEquals(15, window.size());
    answerAll(window, 1, Duration.ofMillis(101));
    assertEquals(16, window.size());
    answerAll(window, 15, Duration.ofMillis(101));
    assertEquals(16, window.size());
    answerAll(window, 1, Duration.ofMillis(101));
    assertEquals(17, window.size());
  }

  @Test
  void theHostsMaximumIsAHardCap() {
    UploadWindow window = window(3, 1_000);
    settle(window, Duration.ofMillis(650), Duration.ofMillis(1));
    assertEquals(3, window.size());
    window.fitBatchSize(100_000);
    assertEquals(3, window.ceiling(), "no heap budget under a host's maximum");
  }

  @Test
  void aLargerBatchSizeLowersTheCeilingAndTheWindowWithIt() {
    UploadWindow window = window(0, 1_000);
    settle(window, Duration.ofMillis(650), Duration.ofMillis(1));
    assertEquals(32, window.size());
    window.fitBatchSize(5_000);
    assertEquals(6, window.ceiling());
    assertEquals(6, window.size());
    window.fitBatchSize(1_000);
    assertEquals(6, window.size(), "it grows back only as answers come");
    round(window, Duration.ofMillis(650), Duration.ofMillis(1));
    assertTrue(window.size() > 6);
  }

  @Test
  void anOverloadHalvesTheWindowBelowTheFormerCeilingAndEndsTheDoubling() {
    UploadWindow window = window(0, 1_000);
    settle(window, Duration.ofMillis(650), Duration.ofMillis(46));
    int filled = window.size();
    window.overloaded(window.sending());
    assertEquals(filled / 2, window.size());
    for (int i = 0; i < 3; i++) {
      clock.advance(Duration.ofMillis(1));
      long sent = window.sending();
      clock.advance(Duration.ofMillis(1));
      window.overloaded(sent);
    }
    assertEquals(1, window.size(), "halved, past the floor of the latency rule");
    round(window, Duration.ofMillis(650), Duration.ofMillis(46));
    assertEquals(2, window.size(), "one more per window answered, not one per answer");
  }

  @Test
  void queuedBatchesAreTheWindowsShareOfLatencyAboveTheLowest() {
    assertEquals(0.0, LinkLatency.queuedBatches(8, 100, 100));
    assertEquals(0.0, LinkLatency.queuedBatches(8, Long.MAX_VALUE, 100), "nothing measured yet");
    assertEquals(0.0, LinkLatency.queuedBatches(8, 0, 0), "no time passed");
    assertEquals(4.0, LinkLatency.queuedBatches(8, 100, 200), 1e-9);
    assertEquals(6.0, LinkLatency.queuedBatches(8, 100, 400), 1e-9);
  }
}

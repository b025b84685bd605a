package com.meterit.sync.core.internal.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.meterit.sync.core.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Review finding 6: the window halves once per overloaded answer, not once per window. With 32
 * batches in flight, one 429 burst with Retry-After (every lane told to pause) halves it 32 times,
 * to 1; from there it grows by one per window answered, so it takes about 120 answers to get back
 * to 16 and about 500 to 32. With the fixed ceiling of 4 the same burst cost 6 answers. TCP cuts
 * once per loss event: the losses of the batches sent before the first cut are one signal.
 */
class UploadWindowOverloadBurstTest {
  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-07T00:00:00Z"));

  @Test
  void oneBurstOfOverloadAnswersToAFullWindowHalvesItOnce() {
    UploadWindow window = new UploadWindow(0, 1_000, clock, clock::advance, new StopSignal());
    for (int i = 0; i < 40; i++) {
      long sent = FullWindow.send(window);
      clock.advance(Duration.ofMillis(700));
      FullWindow.answered(window, sent);
    }
    assertEquals(32, window.size());
    // The 32 batches in flight all meet the same 429: one signal, sent into one window.
    long[] sent = new long[32];
    for (int lane = 0; lane < 32; lane++) {
      sent[lane] = FullWindow.send(window);
      clock.advance(Duration.ofMillis(20));
    }
    clock.advance(Duration.ofMillis(700));
    for (int lane = 0; lane < 32; lane++) {
      window.overloaded(sent[lane]);
      clock.advance(Duration.ofMillis(20));
    }
    assertEquals(16, window.size(), "halved once, as TCP does per loss event");
  }
}

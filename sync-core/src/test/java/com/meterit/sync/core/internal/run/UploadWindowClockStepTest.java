package com.meterit.sync.core.internal.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.meterit.sync.core.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A {@code Retry-After} pause is measured on monotonic time: the wall clock steps a day forward or
 * back in the middle of it, and the pause still ends at the same monotonic moment.
 */
class UploadWindowClockStepTest {
  private final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T00:00:00Z"));
  private final List<Duration> waits = new CopyOnWriteArrayList<>();

  private UploadWindow window(int max) {
    return new UploadWindow(max, 1_000, clock, d -> {
      waits.add(d);
      clock.advance(d);
    }, new StopSignal());
  }

  /** Issue 22 item 6: a 30 s Retry-After became a 24 h pause after the clock stepped back. */
  @ParameterizedTest
  @ValueSource(longs = {-1, 1})
  void aRetryAfterPauseEndsThirtySecondsLaterWhicheverWayTheClockSteps(long days) {
    UploadWindow window = window(4);
    window.pauseFor(Duration.ofSeconds(30));
    clock.advance(Duration.ofSeconds(10));
    clock.stepWallClock(Duration.ofDays(days));
    long start = clock.nanos();
    window.awaitPause();
    assertEquals(List.of(Duration.ofSeconds(20)), waits);
    assertEquals(Duration.ofSeconds(20).toNanos(), clock.nanos() - start);
  }

  @ParameterizedTest
  @ValueSource(longs = {-1, 1})
  void aPauseAtTheOneHourCapNeverOutlastsIt(long days) {
    UploadWindow window = window(4);
    long start = clock.nanos();
    window.pauseFor(UploadFailures.MAX_RETRY_AFTER);
    clock.advance(Duration.ofMinutes(30));
    clock.stepWallClock(Duration.ofDays(days));
    window.awaitPause();
    assertEquals(UploadFailures.MAX_RETRY_AFTER.toNanos(), clock.nanos() - start);
  }
}

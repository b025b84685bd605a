package com.meterit.sync.core.internal;

import java.time.Duration;

/**
 * Durations as a person reads them, the one format for every duration that reaches a person
 * (health details, the operator's status, log lines): the two largest units, cut down rather than
 * rounded up, so a duration never reads longer than it was: {@code 2 h 10 min}, {@code 4 min 5 s},
 * {@code 3 d 4 h}, {@code 532 ms}. A zero second unit is left out ({@code 1 h}). Not public API.
 */
public final class HumanDuration {
  private static final long MINUTE = 60;
  private static final long HOUR = 60 * MINUTE;
  private static final long DAY = 24 * HOUR;

  private HumanDuration() {}

  /** {@code d} in words; a negative duration reads as {@code 0 ms}. */
  public static String of(Duration d) {
    if (d.isNegative()) {
      return "0 ms";
    }
    long s = d.getSeconds();
    if (s == 0) {
      return d.toMillis() + " ms";
    }
    if (s >= DAY) {
      return two(s / DAY, "d", s % DAY / HOUR, "h");
    }
    if (s >= HOUR) {
      return two(s / HOUR, "h", s % HOUR / MINUTE, "min");
    }
    if (s >= MINUTE) {
      return two(s / MINUTE, "min", s % MINUTE, "s");
    }
    return s + " s";
  }

  private static String two(long large, String largeUnit, long small, String smallUnit) {
    return large + " " + largeUnit + (small == 0 ? "" : " " + small + " " + smallUnit);
  }
}

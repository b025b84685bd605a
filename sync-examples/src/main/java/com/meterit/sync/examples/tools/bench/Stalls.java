package com.meterit.sync.examples.tools.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * When the emulated link carries nothing at all: a radio handover, a cell reselection, a
 * satellite beam switch. Stalls start at exponentially distributed intervals (a Poisson process)
 * and each lasts between half and one and a half times the mean, drawn from a seeded generator,
 * so a run can be repeated stall for stall.
 *
 * <p>Times are nanoseconds on the emulator's own axis (0 = when it started). Pure arithmetic:
 * nothing here reads a clock, so it is tested with fixed inputs. Thread-safe.
 */
final class Stalls {
  /** A link that never stalls. */
  static final Stalls NONE = new Stalls(0, 0, 0);

  private final long meanIntervalNanos;
  private final long meanLengthNanos;
  private final SplittableRandom random;
  // Generated lazily and in order: start, end, start, end, ... A run is bounded in time (the
  // emulator stops itself), so the list is too.
  private final List<long[]> stalls = new ArrayList<>();
  private long generatedUntil;

  private Stalls(long meanIntervalNanos, long meanLengthNanos, long seed) {
    this.meanIntervalNanos = meanIntervalNanos;
    this.meanLengthNanos = meanLengthNanos;
    this.random = new SplittableRandom(seed);
  }

  /**
   * @param meanInterval the mean time between the end of one stall and the start of the next
   * @param meanLength the mean length of a stall
   * @param seed makes the sequence repeatable
   */
  static Stalls of(Duration meanInterval, Duration meanLength, long seed) {
    if (meanInterval.compareTo(Duration.ofMillis(100)) < 0 || meanLength.isNegative()
        || meanLength.isZero()) {
      throw new IllegalArgumentException("stalls need a mean interval of at least 100 ms and a "
          + "positive length: every " + meanInterval + " for " + meanLength);
    }
    return new Stalls(meanInterval.toNanos(), meanLength.toNanos(), seed);
  }

  /**
   * Parses {@code none} or {@code <interval>/<length>} in seconds, such as {@code 20/2}: a stall
   * of about 2 s every 20 s on average.
   */
  static Stalls parse(String spec, long seed) {
    if (spec.equals("none")) {
      return NONE;
    }
    String[] parts = spec.split("/", 2);
    if (parts.length != 2) {
      throw new IllegalArgumentException("stalls must be none or <interval s>/<length s>: " + spec);
    }
    return of(Duration.ofMillis(Math.round(Double.parseDouble(parts[0]) * 1000)),
        Duration.ofMillis(Math.round(Double.parseDouble(parts[1]) * 1000)), seed);
  }

  boolean enabled() {
    return meanIntervalNanos > 0;
  }

  /** {@code t}, or the end of the stall {@code t} falls in. */
  synchronized long resume(long t) {
    if (!enabled()) {
      return t;
    }
    generateUntil(t);
    for (long[] s : stalls) {
      if (t < s[0]) {
        break;
      }
      if (t < s[1]) {
        return s[1];
      }
    }
    return t;
  }

  /**
   * When a transmission that starts at {@code start} (not inside a stall) and needs
   * {@code busyNanos} of link time ends, stalls that begin during it pausing it.
   */
  synchronized long finish(long start, long busyNanos) {
    long end = start + busyNanos;
    if (!enabled()) {
      return end;
    }
    for (int i = 0; ; i++) {
      generateUntil(end);
      if (i >= stalls.size()) {
        return end;
      }
      long[] s = stalls.get(i);
      if (s[0] >= end) {
        return end;
      }
      if (s[0] >= start) {
        end += s[1] - s[0];
      }
    }
  }

  /** The stalls that begin before {@code t}, as [start, end) pairs; for tests and reports. */
  synchronized List<long[]> until(long t) {
    List<long[]> copy = new ArrayList<>();
    if (!enabled()) {
      return copy;
    }
    generateUntil(t);
    for (long[] s : stalls) {
      if (s[0] < t) {
        copy.add(s.clone());
      }
    }
    return copy;
  }

  private void generateUntil(long t) {
    while (generatedUntil <= t) {
      long start = generatedUntil + exponential(meanIntervalNanos);
      long length = (long) (meanLengthNanos * (0.5 + random.nextDouble()));
      stalls.add(new long[] {start, start + length});
      generatedUntil = start + length;
    }
  }

  private long exponential(long mean) {
    return (long) (-Math.log(1 - random.nextDouble()) * mean);
  }
}

package com.meterit.sync.core.testing;

import com.meterit.sync.core.time.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A UTC wall clock and a monotonic {@link Ticker} that move only when told to. Time that passes
 * ({@link #advance}, {@link #setInstant}) moves both; {@link #stepWallClock} moves the wall clock
 * alone, as NTP or a drifting RTC steps a gateway's clock, so that a test can check that a wait is
 * measured on monotonic time. Give the same instance to {@code setClock} and {@code setTicker}.
 * Thread-safe.
 */
public final class ManualClock extends Clock implements Ticker {
  /** Both readings, swapped together so that no reader sees one moved without the other. */
  private static final class Now {
    final Instant wall;
    final long nanos;

    Now(Instant wall, long nanos) {
      this.wall = wall;
      this.nanos = nanos;
    }
  }

  private volatile Now now;

  /** A clock standing at {@code start}, its monotonic time at 0. */
  public ManualClock(Instant start) {
    this.now = new Now(Objects.requireNonNull(start, "start"), 0);
  }

  /** Lets {@code duration} pass: the wall clock and monotonic time move forward by it. */
  public synchronized void advance(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("duration must not be negative: " + duration);
    }
    now = new Now(now.wall.plus(duration), now.nanos + duration.toNanos());
  }

  /**
   * Lets time pass until the wall clock reads {@code instant}; monotonic time moves by as much.
   * It may not move backwards: for that, {@link #stepWallClock}.
   */
  public synchronized void setInstant(Instant instant) {
    if (instant.isBefore(now.wall)) {
      throw new IllegalArgumentException("the clock may not move backwards to " + instant);
    }
    advance(Duration.between(now.wall, instant));
  }

  /**
   * Steps the wall clock by {@code step}, forward or backward, without any time passing:
   * monotonic time stays where it is.
   */
  public synchronized void stepWallClock(Duration step) {
    now = new Now(now.wall.plus(Objects.requireNonNull(step, "step")), now.nanos);
  }

  @Override
  public Instant instant() {
    return now.wall;
  }

  /** Monotonic time: nanoseconds that passed since this clock was made. */
  @Override
  public long nanos() {
    return now.nanos;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("ManualClock is always UTC");
  }
}

package com.meterit.sync.core.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/** A UTC clock that moves only when told to. Thread-safe. */
public final class ManualClock extends Clock {
  private volatile Instant now;

  /** A clock standing at {@code start}. */
  public ManualClock(Instant start) {
    this.now = Objects.requireNonNull(start, "start");
  }

  /** Moves the clock forward. */
  public synchronized void advance(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("duration must not be negative: " + duration);
    }
    now = now.plus(duration);
  }

  /** Sets the clock; it may not move backwards. */
  public synchronized void setInstant(Instant instant) {
    if (instant.isBefore(now)) {
      throw new IllegalArgumentException("the clock may not move backwards to " + instant);
    }
    now = instant;
  }

  @Override
  public Instant instant() {
    return now;
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

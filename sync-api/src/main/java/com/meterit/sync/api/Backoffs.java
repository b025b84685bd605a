package com.meterit.sync.api;

import java.time.Duration;
import java.util.Objects;

/** The shipped randomized {@link BackoffPolicy} implementations. */
final class Backoffs {
  private Backoffs() {}

  private abstract static class Bounded implements BackoffPolicy {
    final double baseNanos;
    final double capNanos;
    final double multiplier;
    private final String description;

    Bounded(String name, Duration base, Duration cap, double multiplier) {
      Objects.requireNonNull(base, "base");
      Objects.requireNonNull(cap, "cap");
      if (base.isNegative() || base.isZero()) {
        throw new IllegalArgumentException("base must be positive: " + base);
      }
      if (cap.compareTo(base) < 0) {
        throw new IllegalArgumentException("cap must not be below base " + base + ": " + cap);
      }
      if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
        throw new IllegalArgumentException("multiplier must be at least 1: " + multiplier);
      }
      this.baseNanos = base.toNanos();
      this.capNanos = cap.toNanos();
      this.multiplier = multiplier;
      this.description = name + "{base=" + base + ", cap=" + cap + ", multiplier=" + multiplier + '}';
    }

    static Duration nanos(double nanos) {
      return Duration.ofNanos((long) nanos);
    }

    static void checkArguments(int attempt, double random) {
      if (attempt < 1) {
        throw new IllegalArgumentException("attempt must be at least 1: " + attempt);
      }
      if (!(random >= 0.0 && random < 1.0)) {
        throw new IllegalArgumentException("random must be in [0, 1): " + random);
      }
    }

    @Override
    public String toString() {
      return description;
    }
  }

  static final class ExponentialFullJitter extends Bounded {
    ExponentialFullJitter(Duration base, Duration cap, double multiplier) {
      super("ExponentialFullJitter", base, cap, multiplier);
    }

    @Override
    public Duration delay(int attempt, Duration previousDelay, double random) {
      checkArguments(attempt, random);
      // Math.pow saturates to infinity rather than overflowing, and min() then picks the cap.
      double ceiling = Math.min(capNanos, baseNanos * Math.pow(multiplier, attempt - 1));
      return nanos(random * ceiling);
    }
  }

  static final class DecorrelatedJitter extends Bounded {
    DecorrelatedJitter(Duration base, Duration cap, double multiplier) {
      super("DecorrelatedJitter", base, cap, multiplier);
    }

    @Override
    public Duration delay(int attempt, Duration previousDelay, double random) {
      checkArguments(attempt, random);
      Objects.requireNonNull(previousDelay, "previousDelay");
      double previous = Math.max(baseNanos, previousDelay.toNanos());
      double upper = Math.min(capNanos, previous * multiplier);
      return nanos(Math.min(capNanos, baseNanos + random * (upper - baseNanos)));
    }
  }
}

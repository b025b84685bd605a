package com.meterit.sync.api;

import java.time.Duration;
import java.util.Objects;

/**
 * How long to wait before retrying a transient failure.
 *
 * <p>A policy is a pure function: the same attempt, previous delay and random value always give
 * the same delay. The engine supplies the random value from its injected source, so tests can fix
 * it. A server's {@code Retry-After} is waited out with the policy's delay on top, so that
 * gateways told the same second do not all come back in it.
 *
 * <p>Implementations must be thread-safe; the shipped ones are immutable.
 */
@FunctionalInterface
public interface BackoffPolicy {
  /** The default first delay of the shipped policies: 1 second. */
  Duration DEFAULT_BASE = Duration.ofSeconds(1);
  /** The default longest delay of the shipped policies: 5 minutes. */
  Duration DEFAULT_CAP = Duration.ofMinutes(5);
  /** The default growth factor of exponential backoff: {@value}. */
  double DEFAULT_MULTIPLIER = 2.0;
  /** The default growth factor of decorrelated jitter: {@value}. */
  double DEFAULT_DECORRELATED_MULTIPLIER = 3.0;

  /**
   * Returns the delay before retry number {@code attempt}.
   *
   * @param attempt the retry about to be made, starting at 1
   * @param previousDelay the delay returned for the previous attempt, {@link Duration#ZERO} for the
   *     first
   * @param random a uniformly distributed value in {@code [0, 1)}
   * @return the delay, not negative
   */
  Duration delay(int attempt, Duration previousDelay, double random);

  /** Exponential backoff with full jitter, the default: base 1 s, cap 5 min, multiplier 2. */
  static BackoffPolicy exponentialWithFullJitter() {
    return exponentialWithFullJitter(DEFAULT_BASE, DEFAULT_CAP, DEFAULT_MULTIPLIER);
  }

  /**
   * Exponential backoff with full jitter: a delay drawn uniformly from
   * {@code [0, min(cap, base * multiplier^(attempt-1)))}. Spreading the whole range keeps a fleet
   * of gateways that lost the link together from hammering the server together when it returns.
   *
   * @throws IllegalArgumentException when base is not positive, cap is below base, or multiplier
   *     is below 1
   */
  static BackoffPolicy exponentialWithFullJitter(Duration base, Duration cap, double multiplier) {
    return new Backoffs.ExponentialFullJitter(base, cap, multiplier);
  }

  /** Decorrelated jitter with base 1 s, cap 5 min and multiplier 3. */
  static BackoffPolicy decorrelatedJitter() {
    return decorrelatedJitter(DEFAULT_BASE, DEFAULT_CAP, DEFAULT_DECORRELATED_MULTIPLIER);
  }

  /**
   * Decorrelated jitter: a delay drawn uniformly from
   * {@code [base, max(base, previous) * multiplier)}, capped. Each delay grows from the last one
   * rather than from the attempt number.
   *
   * @throws IllegalArgumentException as for {@link #exponentialWithFullJitter(Duration, Duration,
   *     double)}
   */
  static BackoffPolicy decorrelatedJitter(Duration base, Duration cap, double multiplier) {
    return new Backoffs.DecorrelatedJitter(base, cap, multiplier);
  }

  /**
   * The same delay before every retry.
   *
   * @throws IllegalArgumentException when delay is negative
   */
  static BackoffPolicy fixed(Duration delay) {
    Objects.requireNonNull(delay, "delay");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative: " + delay);
    }
    return (attempt, previousDelay, random) -> delay;
  }

  /** Retry at once. Meant for tests and for transports that pace themselves. */
  static BackoffPolicy none() {
    return fixed(Duration.ZERO);
  }
}

package com.meterit.sync.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackoffPolicyTest {
  private static final Duration BASE = Duration.ofSeconds(1);
  private static final Duration CAP = Duration.ofSeconds(60);

  @Test
  void fullJitterStaysWithinItsExponentialCeiling() {
    BackoffPolicy policy = BackoffPolicy.exponentialWithFullJitter(BASE, CAP, 2.0);
    assertEquals(Duration.ZERO, policy.delay(3, Duration.ZERO, 0.0));
    // Attempt 3 has a ceiling of 1 s * 2^2 = 4 s; random just below 1 comes just below it.
    assertEquals(Duration.ofSeconds(2), policy.delay(3, Duration.ZERO, 0.5));
    assertTrue(policy.delay(3, Duration.ZERO, 0.999_999).compareTo(Duration.ofSeconds(4)) < 0);
    // Far attempts are capped, and never overflow.
    assertEquals(Duration.ofSeconds(30), policy.delay(50, Duration.ZERO, 0.5));
    assertEquals(Duration.ofSeconds(30), policy.delay(Integer.MAX_VALUE, Duration.ZERO, 0.5));
  }

  @Test
  void fullJitterActuallySpreads() {
    BackoffPolicy policy = BackoffPolicy.exponentialWithFullJitter(BASE, CAP, 2.0);
    Random random = new Random(42);
    Set<Long> seconds = new HashSet<>();
    long max = 0;
    for (int i = 0; i < 1000; i++) {
      Duration d = policy.delay(7, Duration.ZERO, random.nextDouble());
      assertTrue(!d.isNegative() && d.compareTo(Duration.ofSeconds(60)) <= 0, d::toString);
      seconds.add(d.getSeconds());
      max = Math.max(max, d.toMillis());
    }
    // Ceiling 64 s is capped to 60 s: the delays cover most whole seconds from 0 to 59.
    assertTrue(seconds.size() > 50, "only " + seconds.size() + " distinct seconds");
    assertTrue(max > 55_000, "max " + max);
  }

  @Test
  void decorrelatedJitterGrowsFromThePreviousDelay() {
    BackoffPolicy policy = BackoffPolicy.decorrelatedJitter(BASE, CAP, 3.0);
    assertEquals(BASE, policy.delay(1, Duration.ZERO, 0.0));
    // From a previous 10 s, the range is [1 s, 30 s).
    assertEquals(Duration.ofMillis(15_500), policy.delay(2, Duration.ofSeconds(10), 0.5));
    // From 50 s the range would reach 150 s, but the cap bounds it to [1 s, 60 s).
    assertEquals(Duration.ofMillis(54_100), policy.delay(9, Duration.ofSeconds(50), 0.9));
  }

  @Test
  void fixedAndNone() {
    assertEquals(Duration.ofSeconds(7), BackoffPolicy.fixed(Duration.ofSeconds(7)).delay(9, Duration.ZERO, 0.3));
    assertEquals(Duration.ZERO, BackoffPolicy.none().delay(1, Duration.ZERO, 0.3));
  }

  @Test
  void refusesBadParametersNamingThem() {
    assertEquals("base must be positive: PT0S", assertThrows(IllegalArgumentException.class,
        () -> BackoffPolicy.exponentialWithFullJitter(Duration.ZERO, CAP, 2)).getMessage());
    assertEquals("cap must not be below base PT1S: PT0.5S", assertThrows(IllegalArgumentException.class,
        () -> BackoffPolicy.decorrelatedJitter(BASE, Duration.ofMillis(500), 2)).getMessage());
    assertEquals("multiplier must be at least 1: 0.5", assertThrows(IllegalArgumentException.class,
        () -> BackoffPolicy.exponentialWithFullJitter(BASE, CAP, 0.5)).getMessage());
    assertEquals("random must be in [0, 1): 1.0", assertThrows(IllegalArgumentException.class,
        () -> BackoffPolicy.exponentialWithFullJitter().delay(1, Duration.ZERO, 1.0)).getMessage());
    assertEquals("delay must not be negative: PT-1S", assertThrows(IllegalArgumentException.class,
        () -> BackoffPolicy.fixed(Duration.ofSeconds(-1))).getMessage());
  }
}

package com.meterit.sync.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManualTimeTest {
  private static final Instant START = Instant.parse("2026-03-01T00:00:00Z");
  private final ManualClock clock = new ManualClock(START);
  private final ManualScheduler scheduler = new ManualScheduler(clock);

  @Test
  void passingTimeMovesTheWallClockAndMonotonicTimeTogether() {
    clock.advance(Duration.ofSeconds(3));
    clock.setInstant(START.plusSeconds(5));
    assertEquals(START.plusSeconds(5), clock.instant());
    assertEquals(Duration.ofSeconds(5).toNanos(), clock.nanos());
  }

  @Test
  void aWallClockStepLeavesMonotonicTimeWhereItIs() {
    clock.advance(Duration.ofSeconds(1));
    clock.stepWallClock(Duration.ofDays(-1));
    assertEquals(START.plusSeconds(1).minus(Duration.ofDays(1)), clock.instant());
    assertEquals(Duration.ofSeconds(1).toNanos(), clock.nanos());
    clock.stepWallClock(Duration.ofDays(2));
    assertEquals(START.plusSeconds(1).plus(Duration.ofDays(1)), clock.instant());
    assertEquals(Duration.ofSeconds(1).toNanos(), clock.nanos());
    assertThrows(IllegalArgumentException.class,
        () -> clock.setInstant(START), "time that passes never moves the clock back");
  }

  @Test
  void tasksFallDueByMonotonicTimeWhicheverWayTheWallClockSteps() {
    List<Long> ranAt = new ArrayList<>();
    scheduler.schedule(() -> ranAt.add(clock.nanos()), Duration.ofSeconds(30));
    scheduler.schedule(() -> ranAt.add(clock.nanos()), Duration.ofSeconds(60));

    clock.stepWallClock(Duration.ofDays(1));
    scheduler.runDueTasks();
    assertEquals(List.of(), ranAt, "a forward step brings nothing forward");
    assertEquals(START.plus(Duration.ofDays(1)).plusSeconds(30), scheduler.nextDueAt(),
        "the due time as the stepped wall clock reads it");

    scheduler.advance(Duration.ofSeconds(30));
    clock.stepWallClock(Duration.ofDays(-2));
    scheduler.advance(Duration.ofSeconds(29));
    assertEquals(List.of(Duration.ofSeconds(30).toNanos()), ranAt);
    scheduler.advance(Duration.ofSeconds(1));
    assertEquals(List.of(Duration.ofSeconds(30).toNanos(), Duration.ofSeconds(60).toNanos()),
        ranAt, "a backward step holds nothing back");
    assertNull(scheduler.nextDueAt());
  }
}

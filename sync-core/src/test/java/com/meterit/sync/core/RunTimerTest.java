package com.meterit.sync.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.api.TransientGatewayException;
import com.meterit.sync.core.internal.run.ServerOverloadedException;
import com.meterit.sync.core.testing.ManualClock;
import com.meterit.sync.core.testing.ManualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** When the next run is due: after a run, after a full server, and after the link came back. */
class RunTimerTest {
  private static final Duration INTERVAL = Duration.ofMinutes(5);
  private final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T00:00:00Z"));
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final AtomicInteger runs = new AtomicInteger();
  private double random = 0.5;

  private RunTimer timer(Duration reconnectSpread) {
    return new RunTimer(scheduler, clock, clock, () -> random, reconnectSpread, runs::incrementAndGet);
  }

  private static ServerOverloadedException overloaded() {
    return new ServerOverloadedException("b1",
        new TransientGatewayException("full", 503, null, null, null));
  }

  @Test
  void schedulingAgainReplacesTheRunScheduledAndCancelLeavesNone() {
    RunTimer timer = timer(Duration.ofMinutes(1));
    assertNull(timer.next());
    timer.scheduleIn(Duration.ofSeconds(10));
    timer.scheduleIn(Duration.ofSeconds(20));
    assertEquals(List.of(clock.instant().plusSeconds(20)), scheduler.dueTimes());
    Instant due = clock.instant().plusSeconds(20);
    assertEquals(due, timer.next());
    scheduler.advance(Duration.ofSeconds(5));
    assertEquals(due, timer.next(), "the same instant, read later");
    clock.stepWallClock(Duration.ofHours(-1));
    assertEquals(due.minus(Duration.ofHours(1)), timer.next(), "told on the wall clock as it reads now");
    timer.cancel();
    assertEquals(List.of(), scheduler.dueTimes());
    assertNull(timer.next());
    scheduler.advance(Duration.ofMinutes(1));
    assertEquals(0, runs.get());
  }

  @Test
  void afterAReconnectionTheRunMovesToARandomPointOfTheSpread() {
    RunTimer timer = timer(Duration.ofMinutes(1));
    timer.afterRun(null, INTERVAL);
    assertEquals(clock.instant().plus(INTERVAL), timer.next());
    random = 0.25;
    assertTrue(timer.deferAfterReconnect(INTERVAL));
    assertEquals(List.of(clock.instant().plusSeconds(15)), scheduler.dueTimes());
    scheduler.advance(Duration.ofSeconds(15));
    assertEquals(1, runs.get());
  }

  @Test
  void theSpreadIsNeverLongerThanTheInterval() {
    RunTimer timer = timer(Duration.ofMinutes(10));
    timer.afterRun(null, INTERVAL);
    assertTrue(timer.deferAfterReconnect(Duration.ofSeconds(40)));
    assertEquals(List.of(clock.instant().plusSeconds(20)), scheduler.dueTimes());
  }

  @Test
  void withoutASpreadTheCallerRunsNowAndTheScheduledRunStays() {
    RunTimer timer = timer(Duration.ZERO);
    timer.afterRun(null, INTERVAL);
    assertFalse(timer.deferAfterReconnect(INTERVAL));
    assertEquals(List.of(clock.instant().plus(INTERVAL)), scheduler.dueTimes());
  }

  @Test
  void aRunPacedByAFullServerStaysWhereItIsUntilItsTimeHasCome() {
    RunTimer timer = timer(Duration.ofMinutes(1));
    random = 0.5; // 0.9 + 0.3 * 0.5 = 1.05 intervals
    timer.afterRun(overloaded(), INTERVAL);
    Instant paced = clock.instant().plus(Duration.ofSeconds(315));
    assertEquals(List.of(paced), scheduler.dueTimes());
    clock.advance(Duration.ofSeconds(315).minusNanos(1));
    assertTrue(timer.deferAfterReconnect(INTERVAL));
    assertEquals(List.of(paced), scheduler.dueTimes(), "a reconnection does not bring it forward");

    clock.advance(Duration.ofNanos(1));
    random = 0.5;
    assertTrue(timer.deferAfterReconnect(INTERVAL));
    assertEquals(List.of(clock.instant().plusSeconds(30)), scheduler.dueTimes(),
        "its time has come: an ordinary reconnection");
  }

  @Test
  void aNormalRunEndsThePacing() {
    RunTimer timer = timer(Duration.ofMinutes(1));
    timer.afterRun(overloaded(), INTERVAL);
    timer.afterRun(null, INTERVAL);
    random = 0.0;
    assertTrue(timer.deferAfterReconnect(INTERVAL));
    assertEquals(List.of(clock.instant()), scheduler.dueTimes());
  }
}

package com.meterit.sync.core;

import com.meterit.sync.core.time.Scheduler;
import com.meterit.sync.core.time.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.DoubleSupplier;

/**
 * When the next scheduled run starts: a sync interval after the last one; about an interval,
 * jittered, after a full server ended one ({@link OverloadPacing}), and then no sooner for a
 * reconnection; at a random point of the reconnection spread after the link comes back.
 *
 * <p>Every time here is kept on the ticker, as the scheduler keeps its timers: a wall-clock
 * instant would let a step of the clock end the pacing early (and a reconnection bring a paced
 * run forward) or hold it for a day. Only {@link #next()} is told on the wall clock, as it reads
 * when asked.
 *
 * <p>Not thread-safe: the manager calls it holding its own lock, which also guards whether a run
 * is in progress.
 */
final class RunTimer {
  private final Scheduler scheduler;
  private final Clock clock;
  private final Ticker ticker;
  private final DoubleSupplier random;
  private final Duration reconnectSpread;
  private final OverloadPacing pacing;
  private final Runnable run;
  private Scheduler.Cancellable timer;
  /** When the next run is due, on the ticker; meaningful only while {@code timer} is set. */
  private long next;
  /** Set after a full server ended a run: no reconnection brings the next run sooner. */
  private boolean pacedRun;
  /** Until when, on the ticker, while {@code pacedRun}. */
  private long pacedUntil;

  /**
   * @param run what the timer starts: the manager's run
   */
  RunTimer(Scheduler scheduler, Clock clock, Ticker ticker, DoubleSupplier random,
      Duration reconnectSpread, Runnable run) {
    this.scheduler = scheduler;
    this.clock = clock;
    this.ticker = ticker;
    this.random = random;
    this.reconnectSpread = reconnectSpread;
    this.pacing = new OverloadPacing(random);
    this.run = run;
  }

  /** Schedules the next run {@code delay} from now, replacing the one scheduled. */
  void scheduleIn(Duration delay) {
    cancel();
    next = ticker.nanos() + delay.toNanos();
    timer = scheduler.schedule(run, delay);
  }

  /** No run is scheduled any more: one starts now, or the manager stops. */
  void cancel() {
    if (timer != null) {
      timer.cancel();
      timer = null;
    }
  }

  /**
   * When the next scheduled run starts, on the wall clock as it reads now, or null when none is
   * scheduled.
   */
  Instant next() {
    return timer == null ? null : clock.instant().plusNanos(next - ticker.nanos());
  }

  /**
   * Schedules the run after one that ended with {@code cause} (null when it ended normally): an
   * interval later, or paced when a full server ended it.
   */
  void afterRun(Throwable cause, Duration interval) {
    Duration paced = pacing.nextRunAfter(cause, interval);
    pacedRun = paced != null;
    pacedUntil = paced != null ? ticker.nanos() + paced.toNanos() : 0;
    scheduleIn(paced != null ? paced : interval);
  }

  /**
   * After the link came back: moves the next run to a random point of the reconnection spread
   * (at most an interval), so that a fleet that lost the server together does not come back as
   * one herd (docs/fleet.md). A run that a full server paced stays where it is: its health check
   * may fail too, so the "reconnection" is the same overload.
   *
   * @return whether the run is scheduled; if not, the caller starts it now
   */
  boolean deferAfterReconnect(Duration interval) {
    if (pacedRun && pacedUntil - ticker.nanos() > 0) {
      return true;
    }
    Duration spread = interval.compareTo(reconnectSpread) < 0 ? interval : reconnectSpread;
    if (spread.isZero()) {
      return false;
    }
    scheduleIn(Duration.ofNanos((long) (random.getAsDouble() * spread.toNanos())));
    return true;
  }
}

package com.meterit.sync.examples.tools.fleet;

import com.meterit.sync.core.time.Scheduler;
import com.meterit.sync.core.time.Sleeper;
import com.meterit.sync.core.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.PriorityQueue;
import java.util.concurrent.Semaphore;

/**
 * One virtual clock and one event queue for a whole fleet of managers, and a {@link Sleeper}
 * that waits in virtual time without holding up the others.
 *
 * <p>Why threads at all: the engine waits out a retry's backoff by calling its sleeper on the
 * run's own thread, in the middle of the run. A single-threaded simulation cannot return from
 * that call early (the run would go on as if the wait were over), nor block in it (every other
 * gateway would freeze). So each run that sleeps keeps a thread, parked, and exactly one thread
 * at a time holds the baton and runs simulation code: the event loop, the timers, the runs. A
 * sleep schedules its own wake-up, hands the baton to an idle thread, which carries on with the
 * event loop, and parks; at the wake-up, the thread running the loop hands the baton back and
 * parks in turn. Runs that do not sleep never change threads. Because only the baton holder runs,
 * the simulation is single-threaded in effect, and deterministic for a given seed: events run in
 * due order, ties in the order they were scheduled. Threads are only as many as runs sleeping at
 * once, plus one.
 *
 * <p>The main thread never runs simulation code; it only moves the target time with
 * {@link #runUntil(Instant)}.
 */
final class VirtualTime implements Scheduler {
  private static final long STACK_BYTES = 512 * 1024;

  private final ManualClock clock;
  private final Instant epoch;
  private final PriorityQueue<Task> queue = new PriorityQueue<>();
  // Touched only by the baton holder (or main while every fiber is parked).
  private final ArrayDeque<Fiber> idle = new ArrayDeque<>();
  private final Semaphore mainBaton = new Semaphore(0);
  private long sequence;
  private long nowNanos;
  private long targetNanos;
  private boolean closing;
  private int fibers;
  private int maxSleeping;
  private int sleeping;
  private RuntimeException failure;

  VirtualTime(Instant epoch) {
    this.epoch = epoch;
    this.clock = new ManualClock(epoch);
  }

  ManualClock clock() {
    return clock;
  }

  /** Seconds since the epoch, in virtual time. */
  double seconds() {
    return nowNanos / 1e9;
  }

  long nowNanos() {
    return nowNanos;
  }

  @Override
  public Cancellable schedule(Runnable task, Duration delay) {
    long at = nowNanos + Math.max(0, delay.toNanos());
    Task t = new Task(at, sequence++, task);
    queue.add(t);
    // Cancelled tasks stay queued and are skipped when due: removing them from the heap would
    // cost a scan per cancellation, and the engine cancels a timer on every run.
    return () -> t.cancelled = true;
  }

  /** Runs every event due up to {@code end}, in virtual time. Called by the main thread only. */
  void runUntil(Instant end) {
    targetNanos = Duration.between(epoch, end).toNanos();
    handOff();
    mainBaton.acquireUninterruptibly();
    if (failure != null) {
      throw failure;
    }
    if (nowNanos < targetNanos) {
      advanceTo(targetNanos);
    }
  }

  /**
   * Runs what is still queued (the managers are stopped, so only wake-ups and last timers), for
   * at most two virtual hours, then lets every idle thread end. Main thread only.
   */
  void close() {
    targetNanos = nowNanos + Duration.ofHours(2).toNanos();
    handOff();
    mainBaton.acquireUninterruptibly();
    closing = true;
    while (!idle.isEmpty()) {
      idle.pop().baton.release();
    }
  }

  /** The most runs that were asleep at once: the threads this simulation needed. */
  int maxSleeping() {
    return maxSleeping;
  }

  /** A sleeper for the managers: waits in virtual time, on the run's own thread. */
  Sleeper sleeper() {
    return duration -> {
      if (duration.isZero() || duration.isNegative()) {
        return;
      }
      if (!(Thread.currentThread() instanceof Fiber)) {
        throw new IllegalStateException("a virtual sleep off the simulation's threads, on "
            + Thread.currentThread());
      }
      Fiber self = (Fiber) Thread.currentThread();
      sleeping++;
      maxSleeping = Math.max(maxSleeping, sleeping);
      schedule(() -> {
        // Runs on whichever thread drives the loop now: it gives the baton to the sleeper and
        // waits, idle, until a later sleep needs a driver.
        Fiber driver = (Fiber) Thread.currentThread();
        sleeping--;
        idle.push(driver);
        self.baton.release();
        driver.baton.acquireUninterruptibly();
        if (closing) {
          throw new Closing();
        }
      }, duration);
      handOff();
      self.baton.acquireUninterruptibly();
    };
  }

  /** Gives the baton to an idle fiber, or a new one, which drives the event loop. */
  private void handOff() {
    Fiber next = idle.poll();
    if (next == null) {
      next = new Fiber(++fibers);
      next.start();
    }
    next.baton.release();
  }

  /** Runs events until none is due by the target; the caller holds the baton. */
  private void drive() {
    while (true) {
      Task t = queue.peek();
      if (t == null || t.at > targetNanos) {
        return;
      }
      queue.poll();
      if (t.cancelled) {
        continue;
      }
      advanceTo(t.at);
      t.runnable.run();
    }
  }

  private void advanceTo(long at) {
    if (at > nowNanos) {
      nowNanos = at;
      clock.setInstant(epoch.plusNanos(at));
    }
  }

  private final class Fiber extends Thread {
    final Semaphore baton = new Semaphore(0);

    Fiber(int n) {
      super(null, null, "fleet-fiber-" + n, STACK_BYTES);
      setDaemon(true);
    }

    @Override
    public void run() {
      while (true) {
        baton.acquireUninterruptibly();
        if (closing) {
          return;
        }
        try {
          drive();
        } catch (Closing e) {
          return;
        } catch (RuntimeException | Error e) {
          failure = e instanceof RuntimeException ? (RuntimeException) e
              : new IllegalStateException("the simulation failed", e);
        }
        // Nothing is due by the target: back to main, and wait here, idle, for the next turn.
        idle.push(this);
        mainBaton.release();
      }
    }
  }

  /** Unwinds a thread parked in the middle of the event loop when the simulation closes. */
  private static final class Closing extends Error {
    private static final long serialVersionUID = 1L;

    Closing() {
      super(null, null, false, false);
    }
  }

  /** Runs asleep when the simulation closed: their threads stay parked (daemon). */
  int sleeping() {
    return sleeping;
  }

  private static final class Task implements Comparable<Task> {
    final long at;
    final long sequence;
    final Runnable runnable;
    boolean cancelled;

    Task(long at, long sequence, Runnable runnable) {
      this.at = at;
      this.sequence = sequence;
      this.runnable = runnable;
    }

    @Override
    public int compareTo(Task o) {
      return at != o.at ? Long.compare(at, o.at) : Long.compare(sequence, o.sequence);
    }
  }
}

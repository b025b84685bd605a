package com.meterit.sync.core.testing;

import com.meterit.sync.core.time.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * A {@link Scheduler} whose tasks run only when the test advances time, on the test's thread, in
 * due order. Tasks fall due by the clock's monotonic time, as a real scheduler's do: a step of the
 * wall clock ({@link ManualClock#stepWallClock}) neither brings one forward nor holds one back.
 * Thread-safe.
 */
public final class ManualScheduler implements Scheduler {
  private final ManualClock clock;
  private final PriorityQueue<Task> tasks = new PriorityQueue<>();
  private long sequence;

  /** A scheduler driving {@code clock}. */
  public ManualScheduler(ManualClock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public synchronized Cancellable schedule(Runnable task, Duration delay) {
    Task t = new Task(clock.nanos() + Math.max(0, delay.toNanos()), sequence++, task);
    tasks.add(t);
    return () -> cancel(t);
  }

  private synchronized void cancel(Task task) {
    tasks.remove(task);
  }

  /** Runs the tasks due now, including those they schedule for now. */
  public void runDueTasks() {
    advance(Duration.ZERO);
  }

  /**
   * Lets {@code duration} pass on the clock (wall and monotonic), running each task when its time
   * comes, in order.
   */
  public void advance(Duration duration) {
    long end = clock.nanos() + duration.toNanos();
    while (true) {
      Task next;
      synchronized (this) {
        next = tasks.peek();
        if (next == null || next.due - end > 0) {
          break;
        }
        tasks.poll();
      }
      passUntil(next.due);
      next.runnable.run();
    }
    passUntil(end);
  }

  private void passUntil(long nanos) {
    long left = nanos - clock.nanos();
    if (left > 0) {
      clock.advance(Duration.ofNanos(left));
    }
  }

  /**
   * When the earliest task is due, on the wall clock as it reads now, or null when none is
   * scheduled.
   */
  public synchronized Instant nextDueAt() {
    Task next = tasks.peek();
    return next == null ? null : wallTime(next.due);
  }

  /** The due times of the scheduled tasks, earliest first, on the wall clock as it reads now. */
  public synchronized List<Instant> dueTimes() {
    List<Task> sorted = new ArrayList<>(tasks);
    sorted.sort(null);
    List<Instant> due = new ArrayList<>();
    for (Task t : sorted) {
      due.add(wallTime(t.due));
    }
    return due;
  }

  private Instant wallTime(long due) {
    return clock.instant().plusNanos(due - clock.nanos());
  }

  private static final class Task implements Comparable<Task> {
    /** Monotonic time, {@link ManualClock#nanos()}. */
    final long due;
    final long sequence;
    final Runnable runnable;

    Task(long due, long sequence, Runnable runnable) {
      this.due = due;
      this.sequence = sequence;
      this.runnable = runnable;
    }

    @Override
    public int compareTo(Task other) {
      int byDue = Long.compare(due - other.due, 0);
      return byDue != 0 ? byDue : Long.compare(sequence, other.sequence);
    }
  }
}

package com.meterit.sync.core.testing;

import com.meterit.sync.core.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * A {@link Scheduler} whose tasks run only when the test advances time, on the test's thread, in
 * due order. Thread-safe.
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
    Task t = new Task(clock.instant().plus(delay.isNegative() ? Duration.ZERO : delay),
        sequence++, task);
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
   * Moves the clock forward by {@code duration}, running each task when its time comes, in order.
   */
  public void advance(Duration duration) {
    Instant end = clock.instant().plus(duration);
    while (true) {
      Task next;
      synchronized (this) {
        next = tasks.peek();
        if (next == null || next.due.isAfter(end)) {
          break;
        }
        tasks.poll();
      }
      if (next.due.isAfter(clock.instant())) {
        clock.setInstant(next.due);
      }
      next.runnable.run();
    }
    if (end.isAfter(clock.instant())) {
      clock.setInstant(end);
    }
  }

  /** When the earliest task is due, or null when none is scheduled. */
  public synchronized Instant nextDueAt() {
    Task next = tasks.peek();
    return next == null ? null : next.due;
  }

  /** The due times of the scheduled tasks, earliest first. */
  public synchronized List<Instant> dueTimes() {
    List<Task> sorted = new ArrayList<>(tasks);
    sorted.sort(null);
    List<Instant> due = new ArrayList<>();
    for (Task t : sorted) {
      due.add(t.due);
    }
    return due;
  }

  private static final class Task implements Comparable<Task> {
    final Instant due;
    final long sequence;
    final Runnable runnable;

    Task(Instant due, long sequence, Runnable runnable) {
      this.due = due;
      this.sequence = sequence;
      this.runnable = runnable;
    }

    @Override
    public int compareTo(Task other) {
      int byDue = due.compareTo(other.due);
      return byDue != 0 ? byDue : Long.compare(sequence, other.sequence);
    }
  }
}

package com.meterit.sync.core.time;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs tasks after a delay: the engine's only source of timers, so a test can drive time by hand
 * (see {@code com.meterit.sync.core.testing.ManualScheduler}).
 *
 * <p>Implementations must be thread-safe. Tasks should be short; the engine hands long work, such
 * as a sync run, to its own executor.
 */
@FunctionalInterface
public interface Scheduler {

  /**
   * Runs {@code task} once, after {@code delay}.
   *
   * @return a handle that cancels the task if it has not started
   */
  Cancellable schedule(Runnable task, Duration delay);

  /** A scheduled task that can still be cancelled. */
  @FunctionalInterface
  interface Cancellable {
    /** Cancels the task if it has not started. Idempotent. */
    void cancel();
  }

  /**
   * A scheduler on the host's executor. The engine never shuts the executor down.
   */
  static Scheduler of(ScheduledExecutorService executor) {
    Objects.requireNonNull(executor, "executor");
    return (task, delay) -> {
      ScheduledFuture<?> future =
          executor.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
      return () -> future.cancel(false);
    };
  }
}

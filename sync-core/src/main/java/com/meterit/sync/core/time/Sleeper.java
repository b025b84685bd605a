package com.meterit.sync.core.time;

import java.time.Duration;

/**
 * Waits out a backoff delay. Injected so that tests can skip the wait and record it; the
 * engine's default wakes early when {@code stop()} is called.
 */
@FunctionalInterface
public interface Sleeper {

  /**
   * Waits for {@code duration}, or less when woken.
   *
   * @throws InterruptedException when the waiting thread is interrupted
   */
  void sleep(Duration duration) throws InterruptedException;
}

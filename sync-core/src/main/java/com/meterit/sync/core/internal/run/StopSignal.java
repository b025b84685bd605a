package com.meterit.sync.core.internal.run;

import com.meterit.sync.core.time.Sleeper;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A manager's one stop signal. {@code stop()} raises it once; every part of a run reads it, and
 * the default sleeper waits on it, so that a stop cuts a backoff short. Thread-safe.
 */
public final class StopSignal {
  private final CountDownLatch raised = new CountDownLatch(1);

  public void raise() {
    raised.countDown();
  }

  public boolean isRaised() {
    return raised.getCount() == 0;
  }

  /**
   * Unwinds the caller's run if a stop was asked for.
   *
   * @throws StopRequestedException when stop() was called
   */
  void check() {
    if (isRaised()) {
      throw new StopRequestedException();
    }
  }

  /** Sleeps for the duration asked, or until the signal is raised. */
  public Sleeper sleeper() {
    return duration -> raised.await(duration.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * What a wait that was interrupted throws: the thread keeps its interrupt, and the run unwinds
   * as a stopped one, since only shutting the engine's threads down interrupts them.
   */
  static StopRequestedException interrupted() {
    Thread.currentThread().interrupt();
    return new StopRequestedException();
  }
}

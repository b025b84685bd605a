package com.meterit.sync.core.internal.run;

import com.meterit.sync.core.time.Sleeper;
import com.meterit.sync.core.time.Ticker;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * How many batches may be in flight at once, adapted to what the link and the server take.
 *
 * <p>On a long round trip one batch at a time leaves the link idle while its answer travels back;
 * several in flight keep it busy. Until the first sign of overload (429, 503, a timeout) the
 * window grows by one for every batch answered, so it doubles every round trip: from 2 to 32 in
 * 30 answers rather than the ~500 that additive growth takes, which on a satellite link is the
 * difference between the first minutes at a third of the link and at all of it. From the first
 * overload on, it grows by one for every window's worth answered, and halves on each overload.
 * It never exceeds its maximum ({@code SyncManagerBuilder.setMaxInFlight}), which stays
 * conservative because a fleet of gateways shares one server. A {@code Retry-After} pauses every
 * new send until it has passed. Thread-safe.
 */
public final class UploadWindow {
  private final int max;
  private final Ticker ticker;
  private final Sleeper sleeper;
  private final StopSignal stop;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition slotFreed = lock.newCondition();
  // Guarded by lock.
  private int size;
  private int inFlight;
  private int answeredAtThisSize;
  private boolean slowStart = true;
  /**
   * The end of the pause, on the ticker: a wall-clock instant would stretch it by a backward step
   * of the clock (a 30 s pause became 24 h), and cut it by a forward one.
   */
  private long pausedUntil;

  public UploadWindow(int max, Ticker ticker, Sleeper sleeper, StopSignal stop) {
    this.max = max;
    this.size = Math.min(2, max);
    this.ticker = ticker;
    this.pausedUntil = ticker.nanos();
    this.sleeper = sleeper;
    this.stop = stop;
  }

  /** How many batches may be in flight now. */
  public int size() {
    lock.lock();
    try {
      return size;
    } finally {
      lock.unlock();
    }
  }

  /** How many batches are in flight now. */
  public int inFlight() {
    lock.lock();
    try {
      return inFlight;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Takes a place in the window for one more batch, waiting while it is full. The wait is for
   * another batch to end, which each does within its deadlines and retries.
   *
   * @throws StopRequestedException when stop() was called
   */
  void enter() {
    lock.lock();
    try {
      while (inFlight >= size) {
        stop.check();
        slotFreed.await(100, TimeUnit.MILLISECONDS);
      }
      inFlight++;
    } catch (InterruptedException e) {
      throw StopSignal.interrupted();
    } finally {
      lock.unlock();
    }
  }

  /** A batch left the window, settled or not. */
  void leave() {
    lock.lock();
    try {
      inFlight--;
      slotFreed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** The server answered a send: one step towards a larger window. */
  void answered() {
    lock.lock();
    try {
      if ((slowStart || ++answeredAtThisSize >= size) && size < max) {
        size++;
        answeredAtThisSize = 0;
        slotFreed.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /** The server or the link showed overload: the window halves. */
  void overloaded() {
    lock.lock();
    try {
      size = Math.max(1, size / 2);
      answeredAtThisSize = 0;
      slowStart = false;
    } finally {
      lock.unlock();
    }
  }

  /** The server asked for a pause: no new send until it has passed. */
  void pauseFor(Duration retryAfter) {
    long until = ticker.nanos() + retryAfter.toNanos();
    lock.lock();
    try {
      if (until - pausedUntil > 0) {
        pausedUntil = until;
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits out a pause the server asked for, if one is on.
   *
   * @throws StopRequestedException when stop() was called
   */
  void awaitPause() {
    while (true) {
      long left;
      lock.lock();
      try {
        left = pausedUntil - ticker.nanos();
      } finally {
        lock.unlock();
      }
      if (left <= 0) {
        return;
      }
      stop.check();
      try {
        sleeper.sleep(Duration.ofNanos(left));
      } catch (InterruptedException e) {
        throw StopSignal.interrupted();
      }
    }
  }
}

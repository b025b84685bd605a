package com.meterit.sync.core;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The uploads of one run that are in flight at once, each on its own lane of the upload
 * executor, each settling its batch when its answer arrives. The first failure of a lane is kept
 * for the run to end with; the run waits for every lane before it ends, so that no upload
 * outlives its run. Thread-safe.
 */
final class Lanes {
  private final Executor executor;
  private final UploadWindow window;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition laneEnded = lock.newCondition();
  // Guarded by lock.
  private int running;
  private Throwable firstFailure;

  Lanes(Executor executor, UploadWindow window) {
    this.executor = executor;
    this.window = window;
  }

  /**
   * Runs {@code upload} on a lane. The caller has entered the window; the lane leaves it.
   *
   * @throws RejectedExecutionException when the executor refuses; the window is left
   */
  void start(Runnable upload) {
    lock.lock();
    try {
      running++;
    } finally {
      lock.unlock();
    }
    try {
      executor.execute(() -> run(upload));
    } catch (RejectedExecutionException e) {
      ended(null);
      throw e;
    }
  }

  private void run(Runnable upload) {
    Throwable failure = null;
    try {
      upload.run();
    } catch (Throwable t) {
      failure = t;
      if (t instanceof VirtualMachineError) {
        throw (VirtualMachineError) t;
      }
    } finally {
      ended(failure);
    }
  }

  private void ended(Throwable failure) {
    window.leave();
    lock.lock();
    try {
      running--;
      if (failure != null && firstFailure == null) {
        firstFailure = failure;
      }
      laneEnded.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Rethrows the first failure of a lane, if any, so that the run ends with it. */
  void rethrowFailure() {
    Throwable failure;
    lock.lock();
    try {
      failure = firstFailure;
    } finally {
      lock.unlock();
    }
    if (failure != null) {
      throw Rethrow.unchecked(failure, "an upload failed");
    }
  }

  /**
   * Waits until every lane has ended. Each ends within its deadlines, retries and backoff, and
   * at once on {@code stop()}; an interrupt is kept for the caller.
   */
  void awaitAll() {
    boolean interrupted = false;
    lock.lock();
    try {
      while (running > 0) {
        try {
          laneEnded.await();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      lock.unlock();
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}

package com.meterit.sync.core.internal.run;

import com.meterit.sync.core.internal.Rethrow;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The uploads of one run that are in flight at once, each on its own lane of the upload
 * executor, each settling its batch when its answer arrives. The first failure of a lane is kept
 * for the run to end with; the run waits for every lane before it ends, so that no upload
 * outlives its run. Lanes own the run's places in the {@link UploadWindow}: each is taken before
 * its batch is claimed and given back when its lane ends. Thread-safe.
 */
final class Lanes {
  private static final int NOBODY = 0;
  private static final int LANE = 1;
  private static final int CALLER = 2;

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
   * Waits for a place in the upload window ({@link UploadWindow#enter}) and returns it as a slot.
   * The slot goes back to the window when the lane started from it ends, or when it is closed
   * unused, so that every way out of a run's loop gives back what it took.
   *
   * @throws StopRequestedException when stop() was called
   */
  Slot reserve() {
    window.enter();
    return new Slot();
  }

  /**
   * As {@link #reserve()}, with the batches held set aside counted in the window's ceiling
   * ({@link UploadWindow#enter(IntSupplier)}).
   *
   * @return the slot, or null when the batches set aside fill the ceiling
   * @throws StopRequestedException when stop() was called
   */
  Slot reserve(IntSupplier heldAside) {
    return window.enter(heldAside) ? new Slot() : null;
  }

  /** Whether the lanes fill a window of several, so that the next claim can wait for one to end. */
  boolean windowFilled() {
    return window.size() > 1 && window.inFlight() >= window.size();
  }

  /** A place in the upload window, held by the run until a lane takes it over. */
  final class Slot implements AutoCloseable {
    private boolean handedToLane;
    /** Who took the upload: none yet, the lane as it started, or the caller it failed to start. */
    private final AtomicInteger taker = new AtomicInteger(NOBODY);

    /**
     * Runs {@code upload} on a lane, which gives the slot back when it ends.
     *
     * @throws RejectedExecutionException when the executor refuses; the slot is given back
     * @throws RuntimeException or {@link Error} what else the executor throws; when the lane did
     *     not start ({@link #laneStarted}), the slot is given back
     */
    void start(Runnable upload) {
      handedToLane = true;
      Lanes.this.start(upload, taker);
    }

    /** Whether a lane took the upload over, so that the batch is no longer the caller's. */
    boolean laneStarted() {
      return taker.get() == LANE;
    }

    /** Gives the slot back now, unless a lane took it over; once only. */
    void giveBack() {
      if (!handedToLane) {
        handedToLane = true;
        window.leave();
      }
    }

    /** Gives the slot back, unless a lane took it over or it was given back already. */
    @Override
    public void close() {
      giveBack();
    }
  }

  private void start(Runnable upload, AtomicInteger taker) {
    lock.lock();
    try {
      running++;
    } finally {
      lock.unlock();
    }
    try {
      executor.execute(() -> {
        if (taker.compareAndSet(NOBODY, LANE)) {
          run(upload);
        }
      });
    } catch (RuntimeException | Error e) {
      // Not only a rejection: a host's executor may throw anything, and ours an error when no
      // thread can be made. A lane that never started never ends, so its count and its place
      // go back here, or the run would wait for it forever. The taker keeps a task queued
      // before the executor threw from running later, and keeps an error that a lane run on
      // this thread rethrows from ending it twice.
      if (taker.compareAndSet(NOBODY, CALLER)) {
        ended(null);
      }
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

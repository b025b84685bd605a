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
 * several in flight keep it busy. How many it takes is the link's bandwidth-delay product in
 * batches, which differs a hundredfold between links (about 2 on LTE-M, 16 on a satellite link),
 * so it is measured rather than configured: each answer's latency (from the send to the answer)
 * against the lowest latency seen. Batches beyond what fills the link only wait in its queue, and
 * each adds a batch's wire time to every latency, so {@code window × (1 − lowest / latency)} counts
 * the batches queued (TCP Vegas's estimate, in batches). Once per window's worth of answers, with
 * the lowest latency of those answers:
 * <ul>
 *   <li>fewer than {@value #GROW_BELOW} queued: the link has room, and the window may grow;
 *   <li>more than {@value #SHRINK_ABOVE} queued: down to the window that leaves {@value
 *       #GROW_BELOW} queued, but never below {@value #FLOOR} (the fixed ceiling this rule
 *       replaced), so a stale lowest latency (the link changed, or it was a small batch's) costs
 *       at most what the fixed ceiling did;
 *   <li>in between: the window holds.
 * </ul>
 * A server that slows down under a fleet's load queues answers as a link does, so the same rule
 * holds a gateway back there. Nor does a round whose quickest answer took over {@code
 * GROWTH_LATENCY_LIMIT} (10 s) grow it: on so slow a link more batches only near the request
 * deadline.
 *
 * <p>While the link has room and until the first queue or overload, the window grows by one for
 * every batch answered, doubling every round trip (from 2 to 32 in 30 answers rather than the
 * ~500 of additive growth: on a satellite link, the first minutes at all of the link instead of a
 * third). After that, by one for every window's worth answered. It halves on each overload (429,
 * 503, a timeout), and a {@code Retry-After} pauses every new send until it has passed.
 *
 * <p>Its ceiling: the host's {@code SyncManagerBuilder.setMaxInFlight} when set, a hard cap;
 * otherwise what the heap budget allows, {@link #HEAP_BUDGET_BYTES} over {@code batchSize ×}
 * {@link #HEAP_BYTES_PER_READING}, at most {@link #MAX_CEILING} and at least one (the public
 * constants of {@code SyncManager} are these). Thread-safe.
 */
public final class UploadWindow {
  /** The most batches in flight without a host's maximum: {@value}. */
  public static final int MAX_CEILING = 32;
  /** The heap the batches in flight may hold without a host's maximum: {@value} bytes, 8 MiB. */
  public static final long HEAP_BUDGET_BYTES = 8L * 1024 * 1024;
  /** The heap a reading in flight is counted at: {@value} bytes. */
  public static final int HEAP_BYTES_PER_READING = 256;
  /** Batches queued in the link below which the window may grow. */
  static final double GROW_BELOW = 2.0;
  /** Batches queued in the link above which the window shrinks. */
  static final double SHRINK_ABOVE = 4.0;
  /**
   * A round whose quickest answer took longer than this does not grow the window: no link's
   * round trip is that long, so it is the link's slowness or queue, more batches would not fill
   * it further, and each would bring the answers nearer the gateway's request deadline (30 s by
   * default).
   */
  static final Duration GROWTH_LATENCY_LIMIT = Duration.ofSeconds(10);
  /** The least the queue estimate shrinks the window to: the fixed ceiling it replaced. */
  static final int FLOOR = 4;

  /** The host's setMaxInFlight, or 0 when the ceiling follows the heap budget. */
  private final int hostMax;
  private final Ticker ticker;
  private final Sleeper sleeper;
  private final StopSignal stop;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition slotFreed = lock.newCondition();
  // Guarded by lock.
  private int ceiling;
  private int size;
  private int inFlight;
  private int answeredAtThisSize;
  private boolean slowStart = true;
  private boolean linkHasRoom = true;
  /** The lowest answer latency seen: a round trip and a batch's time on the wire, no queue. */
  private long lowestLatency = Long.MAX_VALUE;
  private long roundLowestLatency = Long.MAX_VALUE;
  private int roundAnswers;
  /** The window as the round began: a round is the answers to the batches then in flight. */
  private int roundWindow;
  /**
   * The end of the pause, on the ticker: a wall-clock instant would stretch it by a backward step
   * of the clock (a 30 s pause became 24 h), and cut it by a forward one.
   */
  private long pausedUntil;

  /**
   * @param hostMax the host's {@code setMaxInFlight}, or 0 for a ceiling from the heap budget
   * @param batchSize the batch size the ceiling is first fitted to; see {@link #fitBatchSize}
   */
  public UploadWindow(int hostMax, int batchSize, Ticker ticker, Sleeper sleeper,
      StopSignal stop) {
    this.hostMax = hostMax;
    this.ceiling = ceiling(hostMax, batchSize);
    this.size = Math.min(2, ceiling);
    this.roundWindow = size;
    this.ticker = ticker;
    this.pausedUntil = ticker.nanos();
    this.sleeper = sleeper;
    this.stop = stop;
  }

  /**
   * The most batches in flight: the host's maximum when set, or as many batches of {@code
   * batchSize} as the heap budget holds, from 1 to {@link #MAX_CEILING}.
   */
  static int ceiling(int hostMax, int batchSize) {
    if (hostMax > 0) {
      return hostMax;
    }
    long perBatch = (long) batchSize * HEAP_BYTES_PER_READING;
    long fits = HEAP_BUDGET_BYTES / perBatch;
    return (int) Math.max(1, Math.min(MAX_CEILING, fits));
  }

  /**
   * Fits the ceiling to the batch size of the run about to start (a remote configuration may
   * have changed it). Batches already in flight stay; no new one enters above the ceiling.
   */
  void fitBatchSize(int batchSize) {
    lock.lock();
    try {
      ceiling = ceiling(hostMax, batchSize);
      size = Math.min(size, ceiling);
      newRound();
    } finally {
      lock.unlock();
    }
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

  /** How many batches may be in flight at most now. */
  int ceiling() {
    lock.lock();
    try {
      return ceiling;
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

  /** A send starts now: the value to hand to {@link #answered(long)} with its answer. */
  long sending() {
    return ticker.nanos();
  }

  /**
   * The server answered a send that started at {@code sentAt} (from {@link #sending()}): a
   * latency measured, and one step towards a larger window while the link has room.
   */
  void answered(long sentAt) {
    long latency = Math.max(0, ticker.nanos() - sentAt);
    lock.lock();
    try {
      lowestLatency = Math.min(lowestLatency, latency);
      roundLowestLatency = Math.min(roundLowestLatency, latency);
      answeredAtThisSize++;
      // A round's lowest latency, not each answer's: on HTTP/1.1 a batch that opens a new
      // connection waits a round trip more for it, and would read as a queue.
      if (++roundAnswers >= roundWindow) {
        endRound();
      }
      if (linkHasRoom && (slowStart || answeredAtThisSize >= size) && size < ceiling) {
        size++;
        answeredAtThisSize = 0;
        slotFreed.signalAll();
      }
      if (roundAnswers == 0) {
        roundWindow = size;
      }
    } finally {
      lock.unlock();
    }
  }

  /** The answers to a window's worth: what the link's queue says of the window. Under the lock. */
  private void endRound() {
    double queued = queuedBatches(roundWindow, lowestLatency, roundLowestLatency);
    linkHasRoom = queued < GROW_BELOW && roundLowestLatency <= GROWTH_LATENCY_LIMIT.toNanos();
    if (!linkHasRoom) {
      slowStart = false;
    }
    if (queued > SHRINK_ABOVE) {
      // Down to the window that leaves GROW_BELOW queued, at once: doubling overshoots by up to
      // a window, and one less per round would take as many rounds to undo it.
      int fits = (int) Math.ceil(roundWindow - queued + GROW_BELOW);
      int shrunk = Math.max(Math.min(FLOOR, ceiling), Math.min(size, fits));
      if (shrunk < size) {
        size = shrunk;
        answeredAtThisSize = 0;
      }
    }
    newRound();
  }

  /** From the next answer on, a round of as many answers as the window holds. Under the lock. */
  private void newRound() {
    roundAnswers = 0;
    roundLowestLatency = Long.MAX_VALUE;
    roundWindow = size;
  }

  /**
   * Batches waiting in the link's queue, with {@code window} in flight: what the latency holds
   * beyond the lowest, in batches. Zero when nothing was measured or no time passed.
   */
  static double queuedBatches(int window, long lowestLatency, long latency) {
    if (latency <= 0 || lowestLatency >= latency) {
      return 0;
    }
    return window * (1.0 - (double) lowestLatency / latency);
  }

  /** The server or the link showed overload: the window halves. */
  void overloaded() {
    lock.lock();
    try {
      size = Math.max(1, size / 2);
      answeredAtThisSize = 0;
      slowStart = false;
      // The answers still to come were sent into the overload; the next round starts afresh.
      newRound();
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

package com.meterit.sync.core.internal.run;

import com.meterit.sync.core.time.Sleeper;
import com.meterit.sync.core.time.Ticker;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;

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
 * third). After that, by one for every window's worth answered. It grows only while it is used,
 * as TCP's does (RFC 7661): in the doubling, while the most batches in flight at a send over the
 * last two rounds reach half the window; after it, while they reach all of it but one. So a
 * gateway that sends a batch or two per run never raises it, and the next backlog does not go
 * out as a burst of 32 before any answer came back.
 *
 * <p>At the start of each run ({@link #startRun}) the window is cut back: to {@value
 * #RESTART_SIZE}, in the doubling again, after {@code IDLE_RESTART} (10 s) with nothing in flight
 * (what it measured is stale: the link or the server may have changed, and a fleet that returns
 * together must not start at full speed; RFC 5681 4.1); otherwise to twice the most that was in
 * flight in the run before.
 *
 * <p>The latencies are read by {@link LinkLatency}, which also says when the lowest is stale:
 * the window then probes the link with {@value #RESTART_SIZE} batches in flight for a round, and
 * doubles from there.
 *
 * <p>It halves on an overload (429, 503, a timeout), once for the batches sent before the cut:
 * the answers to a window sent into one overload are one signal, as TCP takes the losses of one
 * window. A {@code Retry-After} pauses every new send until it has passed.
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
  /** The window a run starts with after an idle period, as a new manager's does. */
  static final int RESTART_SIZE = 2;
  /**
   * Nothing in flight for this long, and the next run starts from {@link #RESTART_SIZE}: longer
   * than any answer that may grow the window ({@link #GROWTH_LATENCY_LIMIT}).
   */
  static final Duration IDLE_RESTART = Duration.ofSeconds(10);

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
  private final LinkLatency link = new LinkLatency(RESTART_SIZE);
  /** The most batches in flight at a send, in this round, the round before, and this run. */
  private int usedThisRound;
  private int usedLastRound;
  private int usedThisRun;
  /** When the window was last in use (a batch left it, or one was answered), on the ticker. */
  private long lastActive;
  /** When the window was last halved for an overload, on the ticker; valid once cut is true. */
  private long cutAt;
  private boolean cut;
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
    this.lastActive = pausedUntil;
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

  /**
   * A run starts: the ceiling fits its batch size ({@link #fitBatchSize}), and the window is cut
   * back to what was really used. After {@link #IDLE_RESTART} with nothing in flight, it starts
   * again from {@link #RESTART_SIZE}, doubling, and measures its lowest latency afresh; otherwise
   * it keeps at most twice the most batches in flight at a send in the run before.
   */
  void startRun(int batchSize) {
    lock.lock();
    try {
      ceiling = ceiling(hostMax, batchSize);
      if (inFlight == 0 && ticker.nanos() - lastActive > IDLE_RESTART.toNanos()) {
        size = Math.min(size, RESTART_SIZE);
        slowStart = true;
        linkHasRoom = true;
        link.forget();
        usedLastRound = 0;
      } else {
        size = Math.min(size, Math.max(RESTART_SIZE, 2 * usedThisRun));
      }
      size = Math.max(1, Math.min(size, ceiling));
      usedThisRun = 0;
      usedThisRound = 0;
      answeredAtThisSize = 0;
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

  /**
   * As {@link #enter()}, with batches held outside the window counted against its ceiling: a
   * place is taken only while those and the batches in flight stay below it. A lane adds to them
   * only as it leaves the window, so the sum never grows while this waits.
   *
   * @param heldAside how many batches are held outside the window now (set aside until the run
   *     ends)
   * @return whether a place was taken; false when the batches held aside alone fill the ceiling
   * @throws StopRequestedException when stop() was called
   */
  boolean enter(IntSupplier heldAside) {
    lock.lock();
    try {
      while (true) {
        int aside = heldAside.getAsInt();
        if (aside >= ceiling) {
          return false;
        }
        if (inFlight < size && inFlight + aside < ceiling) {
          inFlight++;
          return true;
        }
        stop.check();
        slotFreed.await(100, TimeUnit.MILLISECONDS);
      }
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
      lastActive = ticker.nanos();
      slotFreed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Now, on the window's ticker: when an attempt that may not reach a send begins. */
  long now() {
    return ticker.nanos();
  }

  /**
   * A send starts now, with the batches in flight (its own among them) counted as the window's
   * use: the value to hand to {@link #answered(long)} with its answer, or to {@link
   * #overloaded(long)}.
   */
  long sending() {
    lock.lock();
    try {
      usedThisRound = Math.max(usedThisRound, inFlight);
      usedThisRun = Math.max(usedThisRun, inFlight);
    } finally {
      lock.unlock();
    }
    return ticker.nanos();
  }

  /**
   * The server answered a send that started at {@code sentAt} (from {@link #sending()}): a
   * latency measured, and one step towards a larger window while the link has room.
   */
  void answered(long sentAt) {
    long now = ticker.nanos();
    long latency = now - sentAt;
    lock.lock();
    try {
      lastActive = now;
      if (link.probing()) {
        probed(sentAt, latency);
        return;
      }
      link.answered(latency);
      answeredAtThisSize++;
      // A round's lowest latency, not each answer's: on HTTP/1.1 a batch that opens a new
      // connection waits a round trip more for it, and would read as a queue.
      if (++roundAnswers >= roundWindow) {
        endRound();
      }
      if (linkHasRoom && (slowStart || answeredAtThisSize >= size) && size < ceiling
          && used()) {
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

  /**
   * Whether the window is used enough to grow: while doubling, the most in flight at a send over
   * the last two rounds reached half of it; after, all of it but one (the run claims the next
   * batch in a place of its own). Under the lock.
   */
  private boolean used() {
    int used = Math.max(usedThisRound, usedLastRound);
    return slowStart ? 2 * used >= size : used + 1 >= size;
  }

  /** The answers to a window's worth: what the link's queue says of the window. Under the lock. */
  private void endRound() {
    if (!link.roundMeasured()) {
      // No answer of the round took measurable time: nothing learned of the link.
      newRound();
      return;
    }
    double queued = link.queued(roundWindow);
    boolean quickEnough = link.roundLowest() <= GROWTH_LATENCY_LIMIT.toNanos();
    linkHasRoom = queued < GROW_BELOW && quickEnough;
    if (!linkHasRoom) {
      slowStart = false;
    }
    boolean queueHolds = queued >= GROW_BELOW && quickEnough;
    if (link.roundEnded(queueHolds && roundWindow <= FLOOR, ticker.nanos())) {
      // Held at the floor, and the queue does not drain: the lowest may be stale.
      size = Math.min(size, RESTART_SIZE);
      answeredAtThisSize = 0;
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

  /**
   * An answer while the lowest latency is measured again: once a round of batches sent into the
   * probe's small window is answered, its lowest is the lowest, and the window doubles from there.
   * Under the lock.
   */
  private void probed(long sentAt, long latency) {
    if (link.probeAnswered(sentAt, latency)) {
      slowStart = true;
      linkHasRoom = link.probeLowest() <= GROWTH_LATENCY_LIMIT.toNanos();
      answeredAtThisSize = 0;
      newRound();
      slotFreed.signalAll();
    }
  }

  /** From the next answer on, a round of as many answers as the window holds. Under the lock. */
  private void newRound() {
    usedLastRound = usedThisRound;
    usedThisRound = inFlight;
    roundAnswers = 0;
    link.newRound();
    roundWindow = size;
  }

  /**
   * The server or the link showed overload for a batch sent at {@code sentAt} (from {@link
   * #sending()}): the window halves, unless it was halved since that send. The other batches sent
   * into the same window meet the same overload; their answers are the same signal.
   */
  void overloaded(long sentAt) {
    lock.lock();
    try {
      if (cut && sentAt - cutAt <= 0) {
        return;
      }
      cut = true;
      cutAt = ticker.nanos();
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

package com.meterit.sync.core.internal.run;

/**
 * What the answers' latencies say of the link, for the {@link UploadWindow}: the lowest latency
 * (a round trip and a batch's time on the wire, nothing queued), the lowest of the current round,
 * and from the two the batches queued in the link.
 *
 * <p>The lowest latency is the run's, not the manager's for ever: the window forgets it when it
 * restarts after idle, and answers that took no measurable time are not counted. Within a run, a
 * window held at its floor for {@value #STALE_LOWEST_ROUNDS} rounds by a queue that does not
 * drain measures it again: a small window for a round (a probe), whose lowest latency becomes the
 * lowest, as BBR drains its queue to measure the round trip. A link that slowed for good (an LTE
 * link failing over to a satellite one) shows its new latency and the window fills it again; on a
 * link that one batch fills, the probe's latency holds a batch's queue at most. Taking the floor's
 * own latency as the lowest instead would count the window's standing queue as the link's, round
 * after round. A probe that finds the lowest unchanged makes the next one wait twice as long.
 *
 * <p>Not thread-safe: the window calls it under its lock.
 */
final class LinkLatency {
  /** Rounds at the floor, its queue not draining, after which the lowest latency is renewed. */
  static final int STALE_LOWEST_ROUNDS = 4;
  private static final long NONE = Long.MAX_VALUE;

  /** The answers a probe waits for: as many as its window holds. */
  private final int probeAnswersNeeded;
  private long lowest = NONE;
  private long roundLowest = NONE;
  /** Rounds in a row at the floor with the link's queue not draining, and how many start a probe. */
  private int roundsPinned;
  private int roundsBeforeProbe = STALE_LOWEST_ROUNDS;
  /** Measuring the lowest latency again: only answers to batches sent after probeFrom count. */
  private boolean probing;
  private long probeFrom;
  private long probeLowest;
  private int probeAnswers;

  LinkLatency(int probeAnswersNeeded) {
    this.probeAnswersNeeded = probeAnswersNeeded;
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

  /** Forgets all that was measured: the link or the server may have changed while idle. */
  void forget() {
    lowest = NONE;
    roundsPinned = 0;
    roundsBeforeProbe = STALE_LOWEST_ROUNDS;
    probing = false;
  }

  /** From the next answer on, a new round. */
  void newRound() {
    roundLowest = NONE;
  }

  /** An answer outside a probe. */
  void answered(long latency) {
    if (latency > 0) {
      // An answer within the ticker's resolution says nothing of the link, and as the lowest
      // it would read every later answer as a queue.
      lowest = Math.min(lowest, latency);
      roundLowest = Math.min(roundLowest, latency);
    }
  }

  /** Whether any answer of this round took measurable time. */
  boolean roundMeasured() {
    return roundLowest != NONE;
  }

  /** The lowest latency of this round, in nanoseconds; only when {@link #roundMeasured()}. */
  long roundLowest() {
    return roundLowest;
  }

  /** The batches queued in the link, with {@code window} in flight through this round. */
  double queued(int window) {
    return queuedBatches(window, lowest, roundLowest);
  }

  /**
   * The end of a round; {@code pinned} when the window stood at its floor with a queue that does
   * not drain.
   *
   * @return whether a probe starts now, at {@code now} on the ticker
   */
  boolean roundEnded(boolean pinned, long now) {
    if (!pinned) {
      roundsPinned = 0;
      return false;
    }
    if (++roundsPinned < roundsBeforeProbe) {
      return false;
    }
    roundsPinned = 0;
    probing = true;
    probeFrom = now;
    probeLowest = NONE;
    probeAnswers = 0;
    return true;
  }

  boolean probing() {
    return probing;
  }

  /**
   * An answer during a probe, to a batch sent at {@code sentAt}.
   *
   * @return whether the probe ended with it: its round was answered, and its lowest latency, if
   *     it measured one, is now the lowest
   */
  boolean probeAnswered(long sentAt, long latency) {
    if (sentAt - probeFrom <= 0) {
      // Sent into the window before the probe: it waited behind the queue being drained.
      return false;
    }
    if (latency > 0) {
      probeLowest = Math.min(probeLowest, latency);
    }
    if (++probeAnswers < probeAnswersNeeded) {
      return false;
    }
    probing = false;
    if (probeLowest != NONE) {
      // A probe that finds the lowest unchanged (within an eighth) found the window's own
      // queue, on a link that a batch or two fill: the next waits twice as long.
      boolean unchanged = Math.abs(probeLowest - lowest) <= lowest / 8;
      roundsBeforeProbe = unchanged ? Math.min(roundsBeforeProbe * 2, 1 << 16)
          : STALE_LOWEST_ROUNDS;
      lowest = probeLowest;
    }
    return true;
  }

  /** The lowest latency the last probe measured, or {@code Long.MAX_VALUE} if none. */
  long probeLowest() {
    return probeLowest;
  }
}

package com.meterit.sync.core.internal.run;

import com.meterit.sync.api.BackoffPolicy;
import com.meterit.sync.api.GatewayException;
import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * What to do after each failed send of one batch: retry after a delay, set the batch aside, end
 * the run, or give up. A function of the failure and of the batch's failures so far, with no I/O
 * and no waiting, so that each rule is tested on its own; {@link BatchUploader} carries the
 * decisions out. Not thread-safe: one per batch and lane.
 */
final class RetryDecisions {
  /** What comes of a failed send. */
  enum Kind {
    /** Send the same batch again, under the same key, after {@link Decision#delay}. */
    RETRY,
    /**
     * The server is still processing a request with this key (409): ask again, with the same
     * batch and key, after {@link Decision#delay}.
     */
    ASK_AGAIN,
    /** The server kept answering 409: set the batch aside, still journaled, for a later run. */
    SET_ASIDE_IN_PROGRESS,
    /** Full without saying for how long: the run ends, and its pacing times the next. */
    END_RUN_OVERLOADED,
    /** Out of retries: the run fails with the last failure. */
    GIVE_UP
  }

  /** One decision, with what the window must hear of it. */
  static final class Decision {
    final Kind kind;
    /** The wait before the next send; zero unless {@link Kind#RETRY} or {@link Kind#ASK_AGAIN}. */
    final Duration delay;
    /** The server's Retry-After, which pauses every new send of the run; zero when none. */
    final Duration pauseEverySend;
    /** Whether the failure says the link or the server takes less than is being sent. */
    final boolean overload;
    /** How many of this kind so far: retries, or 409 answers. */
    final int count;

    private Decision(Kind kind, Duration delay, Duration pauseEverySend, boolean overload,
        int count) {
      this.kind = kind;
      this.delay = delay;
      this.pauseEverySend = pauseEverySend;
      this.overload = overload;
      this.count = count;
    }
  }

  private final BackoffPolicy backoff;
  private final DoubleSupplier random;
  private final int maxRetries;
  private final int maxInProgressRetries;
  private final Duration maxInProgressWait;

  private int retries;
  private Duration previousDelay = Duration.ZERO;
  private int refusedWithoutPace;
  private int inProgress;
  private Duration previousInProgressDelay = Duration.ZERO;
  private Duration inProgressWaited = Duration.ZERO;

  RetryDecisions(BackoffPolicy backoff, DoubleSupplier random, int maxRetries,
      int maxInProgressRetries, Duration maxInProgressWait) {
    this.backoff = backoff;
    this.random = random;
    this.maxRetries = maxRetries;
    this.maxInProgressRetries = maxInProgressRetries;
    this.maxInProgressWait = maxInProgressWait;
  }

  /**
   * Decides what follows {@code failure}, a transient one (anything else ends the batch's sends
   * before it gets here).
   *
   * @param runHadAcceptance whether the server accepted an upload earlier in this run, which
   *     makes a first 429 or 503 without Retry-After look like a burst worth one retry
   */
  Decision after(GatewayException failure, boolean runHadAcceptance) {
    if (UploadFailures.isInProgress(failure)) {
      return afterInProgress(failure);
    }
    if (UploadFailures.isRefusedWithoutPace(failure)
        && (++refusedWithoutPace > 1 || !runHadAcceptance)) {
      // Quick retries from every gateway refused at once would be a herd of their own
      // (docs/fleet.md).
      return new Decision(Kind.END_RUN_OVERLOADED, Duration.ZERO, Duration.ZERO, true, retries);
    }
    retries++;
    if (retries > maxRetries) {
      return new Decision(Kind.GIVE_UP, Duration.ZERO, Duration.ZERO,
          UploadFailures.isOverload(failure), maxRetries);
    }
    Duration delay = backoff.delay(retries, previousDelay, random.getAsDouble());
    previousDelay = delay;
    Duration retryAfter = UploadFailures.retryAfter(failure);
    // Jitter on top of the server's wait, not inside it: gateways told the same second would
    // otherwise all come back in that second (docs/fleet.md).
    return new Decision(Kind.RETRY, retryAfter.plus(delay), retryAfter,
        UploadFailures.isOverload(failure), retries);
  }

  /**
   * A 409 is counted apart from the retries: the server is well, only busy with this very batch.
   * Its wait concerns this key alone, so it pauses no other send.
   */
  private Decision afterInProgress(GatewayException failure) {
    inProgress++;
    if (inProgress > maxInProgressRetries) {
      return setAside();
    }
    Duration delay = backoff.delay(inProgress, previousInProgressDelay, random.getAsDouble());
    previousInProgressDelay = delay;
    delay = delay.plus(UploadFailures.retryAfter(failure));
    inProgressWaited = inProgressWaited.plus(delay);
    if (inProgressWaited.compareTo(maxInProgressWait) > 0) {
      return setAside();
    }
    return new Decision(Kind.ASK_AGAIN, delay, Duration.ZERO, false, inProgress);
  }

  private Decision setAside() {
    return new Decision(Kind.SET_ASIDE_IN_PROGRESS, Duration.ZERO, Duration.ZERO, false,
        inProgress);
  }
}

package com.meterit.sync.api;

import java.time.Instant;
import java.util.Collection;
import java.util.Optional;

/**
 * The local queue of readings waiting to be sent: the gateway's Sync Database.
 *
 * <p>The engine claims a batch, uploads it, then settles every claimed reading exactly once:
 * {@linkplain #acknowledge acknowledged} when the server accepted it,
 * {@linkplain #quarantine quarantined} when it was refused for good, or
 * {@linkplain #release released} for a later try. A claim that is never settled (the process
 * died) must come back: when its lease expires, or at {@link #recoverClaims()}.
 *
 * <p>Implementations must be thread-safe. Failures are reported as {@link ReadingSourceException}.
 */
public interface ReadingSource {

  /**
   * Claims up to {@code maxReadings} pending readings, oldest first, under a lease.
   *
   * @param maxReadings the most readings to claim, at least 1
   * @return the claim; {@linkplain Claim#isEmpty() empty} when nothing is pending
   */
  Claim claim(int maxReadings);

  /**
   * Marks readings as synced: the server accepted them. Only the engine calls this, and only
   * after the server's answer.
   *
   * @param readingIds ids from one or more claims
   */
  void acknowledge(Collection<Long> readingIds);

  /**
   * Takes readings out of the queue for good, keeping the reason for an operator.
   *
   * @param rejections the refused readings and why
   */
  void quarantine(Collection<Rejection> rejections);

  /**
   * Gives claimed readings back to the queue, so that a later claim returns them again.
   *
   * @param readingIds ids from one or more claims
   */
  void release(Collection<Long> readingIds);

  /** The number of readings not yet synced nor quarantined, including claimed ones. */
  long pendingCount();

  /**
   * The timestamp of the oldest pending reading, from which the sync lag is derived. Empty when
   * nothing is pending.
   */
  default Optional<Instant> oldestPendingTimestamp() {
    return Optional.empty();
  }

  /**
   * Releases the claims that an earlier process of this same owner left behind, so that readings
   * come back at once after a restart instead of when their leases expire. The engine calls it
   * when it starts. The default does nothing, which suits a source that keeps no claims across
   * restarts.
   *
   * @return the number of readings released
   */
  default int recoverClaims() {
    return 0;
  }
}

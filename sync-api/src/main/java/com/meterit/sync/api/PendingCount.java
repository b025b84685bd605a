package com.meterit.sync.api;

/**
 * How many readings wait in the queue, and whether that is a count or an estimate. A status view
 * and the heartbeat read it often, so a source may estimate a long backlog rather than count a
 * million rows each time; see {@link ReadingSource#pendingCount(long)}. Immutable.
 */
public final class PendingCount {
  private final long count;
  private final boolean estimate;

  private PendingCount(long count, boolean estimate) {
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative: " + count);
    }
    this.count = count;
    this.estimate = estimate;
  }

  /** A counted number of pending readings. */
  public static PendingCount exact(long count) {
    return new PendingCount(count, false);
  }

  /** An estimated number of pending readings. */
  public static PendingCount estimate(long count) {
    return new PendingCount(count, true);
  }

  /** The number of pending readings, counted or estimated. */
  public long count() {
    return count;
  }

  /** Whether {@link #count()} is an estimate rather than a count. */
  public boolean isEstimate() {
    return estimate;
  }

  @Override
  public String toString() {
    return (estimate ? "~" : "") + count;
  }
}

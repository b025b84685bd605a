package com.meterit.sync.core.internal.run;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The largest batch the server took after a 413, shared by the lanes of a run and by later runs.
 * Only ever lowered by what the server says, and forgotten when what it said may no longer hold:
 * a new configured batch size, or a run in which the server refused everything. Thread-safe.
 */
public final class LearnedBatchSize {
  private final AtomicInteger largest = new AtomicInteger(Integer.MAX_VALUE);

  /** The claim size to use: the configured one, unless the server taught us a smaller one. */
  int limit(int configured) {
    return Math.min(configured, largest.get());
  }

  /** The largest size learned so far; {@link Integer#MAX_VALUE} before any 413. */
  int current() {
    return largest.get();
  }

  /**
   * Learns that {@code refused} readings were too many: batches are at most half of them from
   * now on. A 413 on a larger batch formed earlier teaches nothing new. Returns the size now.
   */
  int tooLarge(int refused) {
    return largest.accumulateAndGet(Math.max(1, refused / 2), Math::min);
  }

  public void forget() {
    largest.set(Integer.MAX_VALUE);
  }
}

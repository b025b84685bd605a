package com.meterit.sync.core.internal.run;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Waits on a latch from inside a stubbed collaborator, where a checked exception cannot go. */
public final class Latches {
  private Latches() {}

  /** Waits for {@code latch}, at most ten seconds, which only a broken test reaches. */
  public static void awaitQuietly(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("latch not released in time");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}

package com.meterit.sync.core.internal.run;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.core.time.Sleeper;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StopSignalTest {
  private final StopSignal stop = new StopSignal();

  @Test
  void checkUnwindsOnlyOnceRaised() {
    assertFalse(stop.isRaised());
    assertDoesNotThrow(stop::check);
    stop.raise();
    assertTrue(stop.isRaised());
    assertThrows(StopRequestedException.class, stop::check);
  }

  @Test
  void theDefaultSleeperReturnsAtOnceWhenRaised() {
    Sleeper sleeper = stop.sleeper();
    stop.raise();
    // An hour asked for; a raised signal ends it at once (the bound only guards against a hang).
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> sleeper.sleep(Duration.ofHours(1)));
  }

  @Test
  void aStopWakesASleeperAlreadyWaiting() throws Exception {
    CompletableFuture<Void> slept = CompletableFuture.runAsync(() -> {
      try {
        stop.sleeper().sleep(Duration.ofHours(1));
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    assertFalse(slept.isDone());
    stop.raise();
    slept.get(30, TimeUnit.SECONDS);
  }

  @Test
  void anInterruptedWaitKeepsTheInterruptAndUnwindsAsAStop() {
    try {
      StopRequestedException e = StopSignal.interrupted();
      assertNotNull(e);
      assertTrue(Thread.currentThread().isInterrupted());
    } finally {
      Thread.interrupted();
    }
  }
}

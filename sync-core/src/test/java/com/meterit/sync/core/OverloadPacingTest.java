package com.meterit.sync.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.meterit.sync.api.SyncException;
import com.meterit.sync.api.TransientGatewayException;
import com.meterit.sync.core.internal.run.ServerOverloadedException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class OverloadPacingTest {
  private static final Duration INTERVAL = Duration.ofMinutes(10);
  private static final ServerOverloadedException FULL = new ServerOverloadedException("b1",
      new TransientGatewayException("busy", 503, null, null, null));

  @Test
  void aRefusedRunIsFollowedWithinNineTenthsToSixFifthsOfAnInterval() {
    assertEquals(Duration.ofMinutes(9), new OverloadPacing(() -> 0.0).nextRunAfter(FULL, INTERVAL));
    assertEquals(Duration.ofMinutes(12),
        new OverloadPacing(() -> 1.0).nextRunAfter(FULL, INTERVAL));
    assertEquals(Duration.ofMinutes(10).plusSeconds(30),
        new OverloadPacing(() -> 0.5).nextRunAfter(FULL, INTERVAL));
  }

  @Test
  void anyOtherEndKeepsToTheInterval() {
    OverloadPacing pacing = new OverloadPacing(() -> 0.0);
    assertNull(pacing.nextRunAfter(null, INTERVAL));
    assertNull(pacing.nextRunAfter(new SyncException("retries ran out"), INTERVAL));
  }
}

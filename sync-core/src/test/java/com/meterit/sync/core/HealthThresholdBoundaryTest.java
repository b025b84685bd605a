package com.meterit.sync.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.meterit.sync.api.Health;
import com.meterit.sync.api.HealthReason;
import com.meterit.sync.api.HealthThresholds;
import com.meterit.sync.api.HealthVerdict;
import com.meterit.sync.api.SyncState;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A threshold is a limit to pass: a lag or an outage exactly at it does not yet count. */
class HealthThresholdBoundaryTest {
  private static final HealthThresholds LIMITS = HealthThresholds.builder()
      .setLagDegraded(Duration.ofMinutes(10))
      .setLagFailing(Duration.ofMinutes(30))
      .setOfflineDegraded(Duration.ofMinutes(5))
      .setOfflineFailing(Duration.ofMinutes(20))
      .build();

  private static HealthVerdict lagged(Duration lag) {
    return HealthCheck.judge(LIMITS, SyncState.IDLE, 3, lag, null);
  }

  private static HealthVerdict offlineFor(Duration offline) {
    return HealthCheck.judge(LIMITS, SyncState.OFFLINE, 3, null, offline);
  }

  @Test
  void aLagAtTheFailingLimitIsOnlyDegraded() {
    assertEquals(Health.DEGRADED, lagged(Duration.ofMinutes(30)).health());
    assertEquals(Health.FAILING, lagged(Duration.ofMinutes(30).plusMillis(1)).health());
  }

  @Test
  void aLagAtTheDegradedLimitIsStillHealthy() {
    assertEquals(HealthVerdict.healthy(), lagged(Duration.ofMinutes(10)));
    HealthVerdict over = lagged(Duration.ofMinutes(10).plusMillis(1));
    assertEquals(Health.DEGRADED, over.health());
    assertEquals(HealthReason.SYNC_LAG, over.reason());
  }

  @Test
  void anOutageAtTheFailingLimitIsOnlyDegraded() {
    assertEquals(Health.DEGRADED, offlineFor(Duration.ofMinutes(20)).health());
    assertEquals(Health.FAILING, offlineFor(Duration.ofMinutes(20).plusMillis(1)).health());
  }

  @Test
  void anOutageAtTheDegradedLimitIsStillHealthy() {
    assertEquals(HealthVerdict.healthy(), offlineFor(Duration.ofMinutes(5)));
    HealthVerdict over = offlineFor(Duration.ofMinutes(5).plusMillis(1));
    assertEquals(Health.DEGRADED, over.health());
    assertEquals(HealthReason.OFFLINE, over.reason());
  }
}

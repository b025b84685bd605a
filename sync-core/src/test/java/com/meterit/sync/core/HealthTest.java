package com.meterit.sync.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.api.AuthenticationExpiredException;
import com.meterit.sync.api.AuthenticationFailedException;
import com.meterit.sync.api.Claim;
import com.meterit.sync.api.BackoffPolicy;
import com.meterit.sync.api.Health;
import com.meterit.sync.api.HealthReason;
import com.meterit.sync.api.HealthThresholds;
import com.meterit.sync.api.HealthVerdict;
import com.meterit.sync.api.ReadingSourceException;
import com.meterit.sync.api.StoreFault;
import com.meterit.sync.api.SyncState;
import com.meterit.sync.api.SyncStatus;
import com.meterit.sync.core.testing.ForwardingReadingSource;
import com.meterit.sync.core.testing.Harness;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HealthTest {
  private final Harness h = new Harness();
  private final HealthThresholds limits = HealthThresholds.builder()
      .setLagDegraded(Duration.ofHours(1))
      .setLagFailing(Duration.ofHours(6))
      .setOfflineDegraded(Duration.ofMinutes(10))
      .setOfflineFailing(Duration.ofHours(2))
      .build();

  private SyncManager started() {
    SyncManager manager = h.builder().setHealthThresholds(limits).build();
    manager.start();
    return manager;
  }

  private static void assertVerdict(Health health, HealthReason reason, SyncStatus status) {
    assertEquals(health, status.health().health(), status.toString());
    assertEquals(reason, status.health().reason(), status.toString());
  }

  @Test
  void aManagerThatDrainedItsQueueIsHealthy() {
    h.source().addSample(20);
    SyncStatus status = started().getStatus();
    assertEquals(HealthVerdict.healthy(), status.health());
    assertEquals("readings flow within the limits", status.health().detail());
  }

  @Test
  void aManagerNotStartedOrStoppedIsFailing() {
    SyncManager manager = h.builder().build();
    assertVerdict(Health.FAILING, HealthReason.NOT_RUNNING, manager.getStatus());
    manager.start();
    manager.close();
    SyncStatus status = manager.getStatus();
    assertVerdict(Health.FAILING, HealthReason.NOT_RUNNING, status);
    assertEquals("the manager is not running (STOPPED)", status.health().detail());
  }

  @Test
  void refusedCredentialsAreFailing() {
    h.source().addSample(3);
    // What the HTTP gateway throws when its token endpoint refuses the API key.
    h.gateway().failNextUploads(new AuthenticationFailedException(
        "the Client System refused the API key (HTTP 401)", 401, null));
    SyncStatus status = started().getStatus();
    assertEquals(SyncState.AUTH_FAILED, status.state());
    assertVerdict(Health.FAILING, HealthReason.AUTH_FAILED, status);
  }

  @Test
  void aDisabledGatewayIsFailing() {
    h.source().addSample(3);
    h.gateway().setForbidden(true);
    assertVerdict(Health.FAILING, HealthReason.DISABLED, started().getStatus());
  }

  @Test
  void aServerThatRefusesEverythingIsFailing() {
    h.source().addSample(50);
    h.gateway().rejectBatchesContaining(r -> true);
    SyncStatus status = started().getStatus();
    assertEquals(SyncState.REFUSED, status.state());
    assertVerdict(Health.FAILING, HealthReason.REFUSED, status);
  }

  @Test
  void anUnreadableDatabaseIsFailing() {
    AtomicBoolean down = new AtomicBoolean();
    ForwardingReadingSource flaky = new ForwardingReadingSource(h.source()) {
      @Override
      public long pendingCount() {
        if (down.get()) {
          throw new ReadingSourceException("connection refused", null);
        }
        return super.pendingCount();
      }
    };
    SyncManager manager = h.builder().setSource(flaky).setHealthThresholds(limits).build();
    manager.start();
    assertVerdict(Health.HEALTHY, HealthReason.OK, manager.getStatus());

    down.set(true);
    SyncStatus status = manager.getStatus();
    assertEquals(OptionalLong.empty(), status.pendingReadings());
    assertTrue(status.toString().contains("pending=unknown"), status.toString());
    assertVerdict(Health.FAILING, HealthReason.BACKLOG_UNREADABLE, status);
    assertEquals("the pending readings could not be counted: connection refused",
        status.health().detail());
  }

  @Test
  void aFullDatabaseIsFailingUntilARunSettlesAgain() {
    AtomicBoolean full = new AtomicBoolean();
    ForwardingReadingSource filling = new ForwardingReadingSource(h.source()) {
      @Override
      public Claim claim(int maxReadings) {
        if (full.get()) {
          throw new ReadingSourceException("claiming failed (disk full): [SQLITE_FULL] database "
              + "or disk is full", null, StoreFault.FULL);
        }
        return super.claim(maxReadings);
      }
    };
    SyncManager manager = h.builder().setSource(filling).setHealthThresholds(limits).build();
    manager.start();
    full.set(true);
    h.source().addSample(5);
    manager.triggerSync();
    SyncStatus status = manager.getStatus();
    assertVerdict(Health.FAILING, HealthReason.STORE_FULL, status);
    assertEquals("the Sync Database is full: claiming failed (disk full): [SQLITE_FULL] database "
        + "or disk is full", status.health().detail());
    assertEquals(5, status.pendingReadings().getAsLong(), "reads still work on a full disk");

    full.set(false);
    manager.triggerSync();
    assertVerdict(Health.HEALTHY, HealthReason.OK, manager.getStatus());
  }

  @Test
  void aDamagedDatabaseIsFailingWithItsReason() {
    AtomicBoolean damaged = new AtomicBoolean();
    ForwardingReadingSource breaking = new ForwardingReadingSource(h.source()) {
      @Override
      public Claim claim(int maxReadings) {
        if (damaged.get()) {
          throw new ReadingSourceException("claiming failed (database damaged): [SQLITE_CORRUPT] "
              + "database disk image is malformed\u001b[2J", null, StoreFault.DAMAGED);
        }
        return super.claim(maxReadings);
      }
    };
    SyncManager manager = h.builder().setSource(breaking).setHealthThresholds(limits).build();
    manager.start();
    damaged.set(true);
    manager.triggerSync();
    SyncStatus status = manager.getCachedStatus();
    assertVerdict(Health.FAILING, HealthReason.STORE_FAILED, status);
    assertEquals("the Sync Database failed: claiming failed (database damaged): [SQLITE_CORRUPT] "
        + "database disk image is malformed\\u001B[2J", status.health().detail());
  }

  @Test
  void aTransientDatabaseFailureDoesNotChangeTheHealth() {
    AtomicInteger busy = new AtomicInteger(1);
    ForwardingReadingSource locked = new ForwardingReadingSource(h.source()) {
      @Override
      public Claim claim(int maxReadings) {
        if (busy.getAndDecrement() > 0) {
          throw new ReadingSourceException("claiming failed: [SQLITE_BUSY]", null);
        }
        return super.claim(maxReadings);
      }
    };
    SyncManager manager = h.builder().setSource(locked).setHealthThresholds(limits).build();
    manager.start();
    assertVerdict(Health.HEALTHY, HealthReason.OK, manager.getStatus());
  }

  @Test
  void aLagOverTheFirstLimitIsDegradedAndOverTheSecondFailing() {
    SyncManager manager = started();
    // Queued after the run, and no timer fires while only the clock moves: the reading waits.
    h.source().add("meter-1", h.clock().instant().minus(Duration.ofMinutes(90)), BigDecimal.ONE, "kWh");
    SyncStatus degraded = manager.getStatus();
    assertVerdict(Health.DEGRADED, HealthReason.SYNC_LAG, degraded);
    assertEquals("sync lag 1 h 30 min is over 1 h", degraded.health().detail());

    h.clock().advance(Duration.ofHours(5));
    SyncStatus failing = manager.getStatus();
    assertVerdict(Health.FAILING, HealthReason.SYNC_LAG, failing);
    assertEquals("sync lag 6 h 30 min is over 6 h", failing.health().detail());
  }

  @Test
  void anOutageOverTheFirstLimitIsDegradedAndOverTheSecondFailing() {
    SyncManager manager = h.builder().setHealthThresholds(limits)
        .setConnectivityProbeInterval(Duration.ofSeconds(30))
        .setConnectivityBackoff(BackoffPolicy.fixed(Duration.ofMinutes(1)))
        .build();
    Instant started = h.clock().instant();
    manager.start();
    h.gateway().setReachable(false);
    // The first probe is due at once, and fails: offline since the start.
    h.scheduler().advance(Duration.ofSeconds(30));
    Instant wentOffline = started;
    SyncStatus justOffline = manager.getStatus();
    assertEquals(SyncState.OFFLINE, justOffline.state());
    assertEquals(wentOffline, justOffline.offlineSince().orElseThrow());
    assertVerdict(Health.HEALTHY, HealthReason.OK, justOffline);

    h.scheduler().advance(Duration.ofMinutes(10).minusSeconds(31));
    assertVerdict(Health.HEALTHY, HealthReason.OK, manager.getStatus());
    h.scheduler().advance(Duration.ofSeconds(2));
    SyncStatus degraded = manager.getStatus();
    assertVerdict(Health.DEGRADED, HealthReason.OFFLINE, degraded);
    assertEquals("the Client System has been unreachable for 10 min 1 s, over 10 min",
        degraded.health().detail());

    h.scheduler().advance(Duration.ofHours(2));
    assertVerdict(Health.FAILING, HealthReason.OFFLINE, manager.getStatus());

    h.gateway().setReachable(true);
    h.scheduler().advance(Duration.ofMinutes(1));
    SyncStatus back = manager.getStatus();
    assertEquals(java.util.Optional.empty(), back.offlineSince());
    assertVerdict(Health.HEALTHY, HealthReason.OK, back);
  }

  @Test
  void whatNeedsAPersonComesBeforeALag() {
    HealthVerdict verdict = HealthCheck.judge(limits, SyncState.DISABLED, 10,
        Duration.ofDays(3), Duration.ofDays(3));
    assertEquals(HealthReason.DISABLED, verdict.reason());
    assertEquals("the Client System disabled this gateway", verdict.detail());
  }

  @Test
  void aFailingLagComesBeforeADegradedOutage() {
    HealthVerdict verdict = HealthCheck.judge(limits, SyncState.OFFLINE, 10,
        Duration.ofHours(7), Duration.ofMinutes(20));
    assertEquals(Health.FAILING, verdict.health());
    assertEquals(HealthReason.SYNC_LAG, verdict.reason());
  }

  @Test
  void theCachedStatusNeverReadsTheSourceOnceTheBacklogIsKnown() {
    AtomicInteger counts = new AtomicInteger();
    ForwardingReadingSource counting = new ForwardingReadingSource(h.source()) {
      @Override
      public long pendingCount() {
        counts.incrementAndGet();
        return super.pendingCount();
      }
    };
    h.source().addSample(10);
    SyncManager manager = h.builder().setSource(counting).build();
    manager.start();
    int afterStart = counts.get();
    for (int i = 0; i < 100; i++) {
      manager.getCachedStatus();
    }
    assertEquals(afterStart, counts.get());

    // The lag ages between readings of the backlog; the pending count is the last one read.
    h.source().add("meter-1", h.clock().instant(), BigDecimal.ONE, "kWh");
    h.clock().advance(Duration.ofMinutes(2));
    assertEquals(0, manager.getCachedStatus().pendingReadings().getAsLong());
    h.scheduler().advance(SyncManager.DEFAULT_HEARTBEAT_INTERVAL);
    SyncStatus cached = manager.getCachedStatus();
    assertEquals(1, cached.pendingReadings().getAsLong(),
        "the heartbeat tick read the backlog again");
    h.clock().advance(Duration.ofMinutes(1));
    assertEquals(Duration.ofMinutes(3).plus(SyncManager.DEFAULT_HEARTBEAT_INTERVAL),
        manager.getCachedStatus().syncLag().orElseThrow());
  }

  @Test
  void thresholdsRefuseADegradedLimitLongerThanTheFailingOne() {
    HealthThresholds.Builder b = HealthThresholds.builder().setLagFailing(Duration.ofMinutes(30));
    assertEquals("lagDegraded must not be longer than lagFailing: PT1H > PT30M",
        assertThrows(IllegalArgumentException.class, b::build).getMessage());
    assertEquals("offlineFailing must be positive: PT0S",
        assertThrows(IllegalArgumentException.class,
            () -> HealthThresholds.builder().setOfflineFailing(Duration.ZERO)).getMessage());
  }
}

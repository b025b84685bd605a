package com.meterit.sync.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.api.BackoffPolicy;
import com.meterit.sync.api.Claim;
import com.meterit.sync.api.Health;
import com.meterit.sync.api.HealthThresholds;
import com.meterit.sync.api.Heartbeat;
import com.meterit.sync.api.SyncOutcome;
import com.meterit.sync.api.SyncRun;
import com.meterit.sync.api.SyncStatus;
import com.meterit.sync.api.TransientGatewayException;
import com.meterit.sync.core.testing.ForwardingReadingSource;
import com.meterit.sync.core.testing.Harness;
import com.meterit.sync.core.testing.InMemoryReadingSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every wait is measured on monotonic time: in each test the wall clock steps a day forward or a
 * day back in the middle of a wait (as NTP after boot or a drifting RTC steps a gateway's clock),
 * and the wait still ends at the same monotonic moment.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ClockStepTest {
  private static final Instant START = Instant.parse("2026-03-01T00:00:00Z");
  private final Harness h = new Harness();
  private final List<Duration> waits = new CopyOnWriteArrayList<>();
  /**
   * The database's clock, on another machine: it does not step with the gateway's. Leases are
   * judged on it, so a step here cannot make a lease lapse under a batch in flight. (A source on
   * the stepped clock would see it lapse, and the claim ahead, on its own thread, could race the
   * renewal before the send and take the batch over: harmless, the same batch under the same key,
   * but it would make these tests flaky.)
   */
  private final Clock databaseClock = new Clock() {
    @Override
    public Instant instant() {
      return START.plusNanos(h.clock().nanos());
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }
  };
  private final InMemoryReadingSource source =
      new InMemoryReadingSource(databaseClock, Duration.ofMinutes(5));

  private SyncManagerBuilder builder() {
    return h.builder().setSource(source);
  }

  /** The case end to end: the other batch in flight waits the pause out, no longer. */
  @ParameterizedTest
  @ValueSource(longs = {-1, 1})
  void theOtherBatchInFlightWaitsOutTheRetryAfterNoLongerWhenTheClockSteps(long days) {
    List<Duration> sleeps = new CopyOnWriteArrayList<>();
    AtomicBoolean stepped = new AtomicBoolean();
    source.addSample(2_000);
    h.gateway().failNextUploads(new TransientGatewayException(
        "slow down", 429, null, Duration.ofSeconds(30), null));
    SyncManager manager = builder().setBatchSize(1000)
        .setSleeper(d -> {
          sleeps.add(d);
          h.scheduler().advance(d.dividedBy(2));
          if (!stepped.getAndSet(true)) {
            h.clock().stepWallClock(Duration.ofDays(days));
          }
          h.scheduler().advance(d.minus(d.dividedBy(2)));
        })
        .build();
    manager.start();
    // The 429's retry waits its 30 s and the 10 s backoff; the second batch, held by the pause,
    // finds it over: one wait, not a day's.
    assertEquals(List.of(Duration.ofSeconds(40)), sleeps);
    assertEquals(2_000, source.syncedIds().size());
    assertTrue(h.clock().nanos() < Duration.ofMinutes(1).toNanos());
  }

  private static final Duration INTERVAL = SyncManager.DEFAULT_SYNC_INTERVAL;

  /** Steps the wall clock in the middle of {@code wait}, on the scheduler, timers firing. */
  private void waitSteppingHalfway(Duration wait, long days) {
    h.scheduler().advance(wait.dividedBy(2));
    h.clock().stepWallClock(Duration.ofDays(days));
    h.scheduler().advance(wait.minus(wait.dividedBy(2)));
  }

  @ParameterizedTest
  @ValueSource(longs = {-1, 1})
  void aBackoffWaitEndsAtTheSameMonotonicMoment(long days) {
    source.addSample(1);
    h.gateway().failNextUploads(new TransientGatewayException("reset", new RuntimeException()));
    List<Long> sentAt = new ArrayList<>();
    h.gateway().beforeUpload(batch -> sentAt.add(h.clock().nanos()));
    builder().setSleeper(d -> waitSteppingHalfway(d, days)).build().start();

    assertEquals(2, sentAt.size());
    assertEquals(Duration.ofSeconds(10).toNanos(), sentAt.get(1) - sentAt.get(0),
        "the policy's fixed 10 s");
    assertEquals(1, source.syncedIds().size());
  }

  @ParameterizedTest
  @ValueSource(longs = {-1, 1})
  void theNextRunComesASyncIntervalLaterOnMonotonicTime(long days) {
    SyncManager manager = builder().build();
    manager.start();
    source.addSample(1);
    waitSteppingHalfway(INTERVAL.minusSeconds(1), days);
    assertEquals(0, h.gateway().uploads().size());
    assertEquals(h.clock().instant().plusSeconds(1),
        manager.getStatus().nextScheduledRun().orElseThrow(),
        "the next run as the stepped wall clock reads it");
    h.scheduler().advance(Duration.ofSeconds(1));
    assertEquals(1, h.gateway().uploads().size());
  }

  /**
   * After a full server, the next run is paced about an interval away (1.05 here); a reconnection
   * in the meantime must not bring it sooner, however the clock stepped.
   */
  @ParameterizedTest
  @ValueSource(longs = {-1, 1})
  void aPacedRunStaysPacedThroughAClockStepAndAReconnection(long days) {
    source.addSample(5);
    h.gateway().failNextUploads(new TransientGatewayException("busy", 503, null, null, null));
    SyncManager manager = builder()
        .setConnectivityBackoff(BackoffPolicy.fixed(Duration.ofSeconds(5))).build();
    manager.start();
    long refusedAt = h.clock().nanos();
    assertEquals(1, h.gateway().uploads().size());
    h.gateway().setReachable(false);
    h.scheduler().advance(Duration.ofSeconds(1)); // the probe after the failed run fails
    assertTrue(!manager.getStatus().isConnected());
    h.clock().stepWallClock(Duration.ofDays(days));
    h.gateway().setReachable(true);
    h.scheduler().advance(Duration.ofSeconds(5)); // the next probe passes: a reconnection
    assertTrue(manager.getStatus().isConnected());

    Duration paced = INTERVAL.multipliedBy(105).dividedBy(100);
    h.scheduler().advance(Duration.ofNanos(refusedAt + paced.toNanos() - h.clock().nanos() - 1));
    assertEquals(1, h.gateway().uploads().size(), "not before the paced run");
    h.scheduler().advance(Duration.ofNanos(1));
    assertEquals(2, h.gateway().uploads().size());
  }

  @ParameterizedTest
  @ValueSource(longs = {-1, 1})
  void heartbeatsKeepTheirIntervalAndSendTheMonotonicUptime(long days) {
    builder().build().start();
    h.scheduler().runDueTasks();
    assertEquals(1, h.gateway().heartbeats().size());
    waitSteppingHalfway(SyncManager.DEFAULT_HEARTBEAT_INTERVAL.minusNanos(1), days);
    assertEquals(1, h.gateway().heartbeats().size());
    h.scheduler().advance(Duration.ofNanos(1));
    List<Heartbeat> sent = h.gateway().heartbeats();
    assertEquals(2, sent.size());
    assertEquals(SyncManager.DEFAULT_HEARTBEAT_INTERVAL, sent.get(1).uptime(),
        "an uptime off the wall clock would be a day longer, or negative");
  }

  @ParameterizedTest
  @ValueSource(longs = {-1, 1})
  void healthProbesKeepTheirInterval(long days) {
    builder().build().start();
    h.scheduler().runDueTasks();
    int probes = h.gateway().probes();
    assertTrue(probes > 0);
    waitSteppingHalfway(ConnectivityMonitor.DEFAULT_PROBE_INTERVAL.minusNanos(1), days);
    assertEquals(probes, h.gateway().probes());
    h.scheduler().advance(Duration.ofNanos(1));
    assertEquals(probes + 1, h.gateway().probes());
  }

  /** A run is recorded with its length on the ticker: a step back must not end it before it began. */
  @ParameterizedTest
  @ValueSource(longs = {-1, 1})
  void aRunDuringWhichTheClockStepsIsRecordedWithItsMonotonicLength(long days) {
    SyncManager manager = builder().build();
    manager.start();
    source.addSample(3);
    h.gateway().beforeUpload(batch -> {
      h.clock().advance(Duration.ofSeconds(2));
      h.clock().stepWallClock(Duration.ofDays(days));
      h.clock().advance(Duration.ofSeconds(3));
    });
    SyncRun run = manager.triggerSync().join();
    assertEquals(SyncOutcome.SUCCEEDED, run.outcome(), String.valueOf(run));
    assertEquals(Duration.ofSeconds(5), Duration.between(run.startedAt(), run.finishedAt()));
    assertEquals(3, source.syncedIds().size());
  }

  /**
   * The renewal before a send is judged on the ticker. Here the renewal timer is stalled during the
   * wait (the clock moves without the scheduler), so only that check can renew: a lease with less
   * than half its 5 minutes left on the ticker is renewed before the send, whichever way the wall
   * clock stepped (off the wall clock, a step back made the lease look a day long). One with more
   * left is renewed too after a forward step, when the wall clock says it lapsed: the source may
   * judge it on this clock. A step back never holds a renewal off.
   */
  @ParameterizedTest
  @CsvSource({"-1, 240, 1", "1, 240, 1", "-1, 50, 0", "1, 50, 1"})
  void theLeaseCheckBeforeASendIsMeasuredOnMonotonicTime(long days, long waitSeconds,
      int renewalsBeforeSend) {
    AtomicInteger renewals = new AtomicInteger();
    ForwardingReadingSource counting = new ForwardingReadingSource(source) {
      @Override
      public Map<String, Instant> renew(Collection<Claim> claims) {
        renewals.incrementAndGet();
        return super.renew(claims);
      }
    };
    source.addSample(1);
    h.gateway().failNextUploads(new TransientGatewayException("reset", new RuntimeException()));
    AtomicInteger renewalsAtResend = new AtomicInteger(-1);
    AtomicInteger sends = new AtomicInteger();
    h.gateway().beforeUpload(batch -> {
      if (sends.incrementAndGet() == 2) {
        renewalsAtResend.set(renewals.get());
      }
    });
    builder().setSource(counting)
        .setBackoffPolicy(BackoffPolicy.fixed(Duration.ofSeconds(waitSeconds)))
        .setSleeper(d -> {
          h.clock().advance(d.dividedBy(2));
          h.clock().stepWallClock(Duration.ofDays(days));
          h.clock().advance(d.minus(d.dividedBy(2)));
        })
        .build().start();

    assertEquals(renewalsBeforeSend, renewalsAtResend.get());
    assertEquals(1, source.syncedIds().size());
  }

  @ParameterizedTest
  @ValueSource(longs = {-1, 1})
  void leaseRenewalsComeAtAThirdOfTheLeaseOnMonotonicTime(long days) {
    AtomicInteger renewals = new AtomicInteger();
    ForwardingReadingSource counting = new ForwardingReadingSource(source) {
      @Override
      public Map<String, Instant> renew(Collection<Claim> claims) {
        renewals.incrementAndGet();
        return super.renew(claims);
      }
    };
    source.addSample(1);
    h.gateway().failNextUploads(
        new TransientGatewayException("slow down", 429, null, Duration.ofMinutes(4), null));
    List<Integer> renewedBy = new ArrayList<>();
    builder().setSource(counting)
        .setSleeper(d -> {
          // 4 min 10 s; the 5-minute lease is renewed every 100 s: at 100 s and 200 s.
          waitSteppingHalfway(Duration.ofSeconds(99), days);
          renewedBy.add(renewals.get());
          h.scheduler().advance(Duration.ofSeconds(1));
          renewedBy.add(renewals.get());
          h.scheduler().advance(Duration.ofSeconds(100));
          renewedBy.add(renewals.get());
          h.scheduler().advance(d.minusSeconds(200));
        })
        .build().start();
    assertEquals(List.of(0, 1, 2), renewedBy);
    assertEquals(1, source.syncedIds().size());
  }

  /**
   * The keeper learns a lease's length by reading the wall clock when it starts holding
   * the claim. A step between the source's stamp and that reading (or a gateway clock that is off
   * from the clock the source stamps on) makes the length a day too long (renewals every 8 hours,
   * while the lease lapses after 5 minutes: the batch is taken over in flight) or zero (a renewal
   * every second, for as long as the batch is held).
   */
  @org.junit.jupiter.api.Disabled("known (low): LeaseKeeper reads a lease's length off the "
      + "wall clock at hold(); a step between the source's stamp and hold(), or a source stamping "
      + "on another clock than the manager's, skews every renewal of that batch. Re-measuring at "
      + "each renewal breaks sources on another clock; a fix needs the length from the source")
  @ParameterizedTest
  @ValueSource(longs = {-1, 1})
  void aStepRightAfterTheClaimDoesNotSkewTheLeaseRenewals(long days) {
    AtomicInteger renewals = new AtomicInteger();
    AtomicBoolean stepped = new AtomicBoolean();
    ForwardingReadingSource stepping = new ForwardingReadingSource(source) {
      @Override
      public Claim claim(int max) {
        Claim claim = super.claim(max);
        if (!claim.isEmpty() && stepped.compareAndSet(false, true)) {
          h.clock().stepWallClock(Duration.ofDays(days));
        }
        return claim;
      }

      @Override
      public Map<String, Instant> renew(Collection<Claim> claims) {
        renewals.incrementAndGet();
        return super.renew(claims);
      }
    };
    source.addSample(1);
    h.gateway().failNextUploads(
        new TransientGatewayException("slow down", 429, null, Duration.ofMinutes(4), null));
    List<Integer> renewedBy = new ArrayList<>();
    builder().setSource(stepping)
        .setSleeper(d -> {
          // The 5-minute lease is renewed every 100 s: at 100 s and 200 s.
          h.scheduler().advance(Duration.ofSeconds(99));
          renewedBy.add(renewals.get());
          h.scheduler().advance(Duration.ofSeconds(1));
          renewedBy.add(renewals.get());
          h.scheduler().advance(Duration.ofSeconds(100));
          renewedBy.add(renewals.get());
          h.scheduler().advance(d.minusSeconds(200));
        })
        .build().start();
    assertEquals(List.of(0, 1, 2), renewedBy);
    assertEquals(1, source.syncedIds().size());
  }

  /** How long the Client System has been unreachable, for the health verdict, on the ticker. */
  @ParameterizedTest
  @ValueSource(longs = {-1, 1})
  void anOutageIsTimedOnMonotonicTime(long days) {
    SyncManager manager = builder()
        .setHealthThresholds(HealthThresholds.builder()
            .setOfflineDegraded(Duration.ofMinutes(10)).setOfflineFailing(Duration.ofHours(2))
            .build())
        .setConnectivityBackoff(BackoffPolicy.fixed(Duration.ofMinutes(1)))
        .build();
    h.gateway().setReachable(false);
    manager.start();
    h.scheduler().runDueTasks(); // the first probe fails: offline from now
    Instant wentOffline = manager.getStatus().offlineSince().orElseThrow();
    waitSteppingHalfway(Duration.ofMinutes(10), days);
    assertHealth(manager, Health.HEALTHY,
        "ten minutes, not a day");
    h.scheduler().advance(Duration.ofSeconds(1));
    assertHealth(manager, Health.DEGRADED,
        "the Client System has been unreachable for 10 min 1 s, over 10 min");
    assertEquals(wentOffline, manager.getStatus().offlineSince().orElseThrow(),
        "a stamp: when it went offline, as the clock read then");
  }

  private static void assertHealth(SyncManager manager, Health health, String detail) {
    SyncStatus status = manager.getStatus();
    assertEquals(health, status.health().health(), detail + ": " + status);
    if (health != Health.HEALTHY) {
      assertEquals(detail, status.health().detail());
    }
  }
}

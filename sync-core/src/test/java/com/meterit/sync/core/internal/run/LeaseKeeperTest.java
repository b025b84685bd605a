package com.meterit.sync.core.internal.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.api.Claim;
import com.meterit.sync.api.LeaseLostException;
import com.meterit.sync.core.testing.ForwardingReadingSource;
import com.meterit.sync.core.testing.InMemoryReadingSource;
import com.meterit.sync.core.testing.ManualClock;
import com.meterit.sync.core.testing.ManualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/**
 * When leases are renewed, to the nanosecond: a timer at a third of the lease (no sooner than a
 * second), and before a send when less than half is left on either clock.
 */
class LeaseKeeperTest {
  private static final Duration LEASE = Duration.ofMinutes(5);
  private final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T00:00:00Z"));
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final InMemoryReadingSource memory = new InMemoryReadingSource(clock, LEASE);
  /** Each renew call, with the keys asked for. */
  private final List<List<String>> renewals = new ArrayList<>();
  /** Keys whose renewal the source answers as lost. */
  private final List<String> takenOver = new ArrayList<>();
  private RuntimeException renewFailure;
  private final ForwardingReadingSource source = new ForwardingReadingSource(memory) {
    @Override
    public Map<String, Instant> renew(Collection<Claim> claims) {
      List<String> keys = new ArrayList<>();
      claims.forEach(c -> keys.add(c.key()));
      renewals.add(keys);
      if (renewFailure != null) {
        throw renewFailure;
      }
      Map<String, Instant> renewed = new HashMap<>(super.renew(claims));
      renewed.keySet().removeAll(takenOver);
      return renewed;
    }
  };

  private LeaseKeeper keeper(Executor executor) {
    return new LeaseKeeper(source, clock, clock, scheduler, executor);
  }

  /** Renewal timers whose task is dropped: only ensureHeld renews. */
  private LeaseKeeper withoutTimers() {
    return keeper(task -> { });
  }

  private Claim claim() {
    memory.addSample(10);
    return memory.claim(10);
  }

  @Test
  void anEmptyClaimIsNotKept() {
    LeaseKeeper leases = keeper(Runnable::run);
    leases.hold(memory.claim(10));
    assertEquals(List.of(), scheduler.dueTimes());
  }

  @Test
  void theTimerRenewsAtAThirdOfTheLeaseAndAgainAThirdLater() {
    LeaseKeeper leases = keeper(Runnable::run);
    Claim claim = claim();
    leases.hold(claim);
    Instant start = clock.instant();
    assertEquals(List.of(start.plus(Duration.ofSeconds(100))), scheduler.dueTimes());

    scheduler.advance(Duration.ofSeconds(100).minusNanos(1));
    assertEquals(0, renewals.size());
    scheduler.advance(Duration.ofNanos(1));
    assertEquals(List.of(List.of(claim.key())), renewals);
    assertEquals(List.of(start.plus(Duration.ofSeconds(200))), scheduler.dueTimes(),
        "a third of the renewed lease later");
  }

  @Test
  void aShortLeaseIsRenewedNoMoreOftenThanEverySecond() {
    InMemoryReadingSource shortLeases = new InMemoryReadingSource(clock, Duration.ofMillis(2_400));
    shortLeases.addSample(1);
    LeaseKeeper leases = new LeaseKeeper(shortLeases, clock, clock, scheduler, Runnable::run);
    leases.hold(shortLeases.claim(1));
    assertEquals(List.of(clock.instant().plus(LeaseKeeper.MIN_RENEWAL_PERIOD)), scheduler.dueTimes());

    InMemoryReadingSource threeSeconds = new InMemoryReadingSource(clock, Duration.ofSeconds(3));
    threeSeconds.addSample(1);
    ManualScheduler other = new ManualScheduler(clock);
    new LeaseKeeper(threeSeconds, clock, clock, other, Runnable::run).hold(threeSeconds.claim(1));
    assertEquals(List.of(clock.instant().plusSeconds(1)), other.dueTimes());
  }

  @Test
  void theTimerGoesQuietOnceNothingIsHeld() {
    LeaseKeeper leases = keeper(Runnable::run);
    Claim claim = claim();
    leases.hold(claim);
    leases.drop(claim);
    scheduler.advance(Duration.ofSeconds(100));
    assertEquals(0, renewals.size(), "nothing to renew");
    assertEquals(List.of(), scheduler.dueTimes());
  }

  @Test
  void aFailedRenewalIsTriedAgainASecondLater() {
    LeaseKeeper leases = keeper(Runnable::run);
    leases.hold(claim());
    renewFailure = new IllegalStateException("database away");
    scheduler.advance(Duration.ofSeconds(100));
    assertEquals(1, renewals.size());
    assertEquals(List.of(clock.instant().plusSeconds(1)), scheduler.dueTimes());
    renewFailure = null;
    scheduler.advance(Duration.ofSeconds(1));
    assertEquals(2, renewals.size());
    assertEquals(List.of(clock.instant().plusSeconds(100)), scheduler.dueTimes());
  }

  @Test
  void stopCancelsTheTimerAndNoHoldStartsAnother() {
    LeaseKeeper leases = keeper(Runnable::run);
    leases.hold(claim());
    leases.stop();
    assertEquals(List.of(), scheduler.dueTimes());
    leases.hold(claim());
    assertEquals(List.of(), scheduler.dueTimes());
    scheduler.advance(Duration.ofMinutes(10));
    assertEquals(0, renewals.size());
  }

  @Test
  void beforeASendALeaseIsRenewedOnlyOnceLessThanHalfOfItIsLeft() {
    LeaseKeeper leases = withoutTimers();
    Claim claim = claim();
    leases.hold(claim);
    scheduler.advance(Duration.ofSeconds(150));
    leases.ensureHeld(claim);
    assertEquals(0, renewals.size(), "half left exactly: not yet");
    scheduler.advance(Duration.ofNanos(1));
    leases.ensureHeld(claim);
    assertEquals(1, renewals.size());
    leases.ensureHeld(claim);
    assertEquals(1, renewals.size(), "renewed: a full lease left");
  }

  @Test
  void aForwardStepOfTheWallClockAloneAlsoRenewsBeforeASend() {
    LeaseKeeper leases = withoutTimers();
    Claim claim = claim();
    leases.hold(claim);
    clock.stepWallClock(Duration.ofSeconds(150));
    leases.ensureHeld(claim);
    assertEquals(0, renewals.size(), "half left on the wall clock exactly: not yet");
    clock.stepWallClock(Duration.ofNanos(1));
    leases.ensureHeld(claim);
    assertEquals(1, renewals.size());
  }

  @Test
  void aClaimNotHeldIsCheckedAgainstTheLeaseLeftNowAndRenewedOnceItLapsed() {
    LeaseKeeper leases = withoutTimers();
    Claim claim = claim();
    scheduler.advance(Duration.ofSeconds(299));
    leases.ensureHeld(claim);
    assertEquals(0, renewals.size(), "its length is what is left of it when first seen");
    scheduler.advance(Duration.ofSeconds(2));
    leases.ensureHeld(claim);
    assertEquals(1, renewals.size(), "a lapsed lease is renewed before the send");
  }

  @Test
  void aLeaseTakenOverIsNeitherSentNorAskedForAgain() {
    LeaseKeeper leases = keeper(Runnable::run);
    Claim lost = claim();
    Claim kept = claim();
    leases.hold(lost);
    leases.hold(kept);
    takenOver.add(lost.key());
    scheduler.advance(Duration.ofSeconds(100));
    assertEquals(1, renewals.size());
    assertEquals(2, renewals.get(0).size());

    LeaseLostException e = assertThrows(LeaseLostException.class, () -> leases.ensureHeld(lost));
    assertEquals("batch " + lost.batch().batchId()
        + " lost its lease and was taken over; it is not sent from here", e.getMessage());
    leases.ensureHeld(kept);
    scheduler.advance(Duration.ofSeconds(100));
    assertEquals(List.of(kept.key()), renewals.get(1), "the lost claim is not renewed again");
    assertEquals(2, renewals.size());
  }

  @Test
  void aLeaseFoundLostBeforeASendFailsThatSend() {
    LeaseKeeper leases = withoutTimers();
    Claim claim = claim();
    leases.hold(claim);
    takenOver.add(claim.key());
    scheduler.advance(Duration.ofSeconds(151));
    assertThrows(LeaseLostException.class, () -> leases.ensureHeld(claim));
    assertThrows(LeaseLostException.class, () -> leases.ensureHeld(claim));
    assertEquals(1, renewals.size(), "asked once: it stays lost");
    assertTrue(renewals.get(0).contains(claim.key()));
  }

  @Test
  void theNextRenewalIsDueAtTheShortestThirdOfTheLeasesHeld() {
    LeaseKeeper leases = keeper(Runnable::run);
    Claim full = claim();
    Claim older = claim();
    Instant start = clock.instant();
    leases.hold(full);
    scheduler.advance(Duration.ofSeconds(60));
    // Held a minute after it was claimed: its length is the four minutes left.
    leases.hold(older);
    scheduler.advance(Duration.ofSeconds(40));
    assertEquals(1, renewals.size());
    assertEquals(List.of(start.plus(Duration.ofSeconds(100 + 80))), scheduler.dueTimes());
  }

  @Test
  void anErrorFromTheSourceStillLeavesTheNextRenewalScheduled() {
    ForwardingReadingSource failing = new ForwardingReadingSource(memory) {
      @Override
      public Map<String, Instant> renew(Collection<Claim> claims) {
        throw new LinkageError("driver class gone");
      }
    };
    ManualScheduler timers = new ManualScheduler(clock);
    LeaseKeeper broken = new LeaseKeeper(failing, clock, clock, timers, Runnable::run);
    broken.hold(claim());
    Instant due = clock.instant().plusSeconds(100);
    assertThrows(LinkageError.class, () -> timers.advance(Duration.ofSeconds(100)));
    assertEquals(List.of(due.plus(LeaseKeeper.MIN_RENEWAL_PERIOD)), timers.dueTimes());
  }

  @Test
  void aRenewalThatFailedAfterItsClaimWasSettledIsTriedOnceMoreThenTheTimerGoesQuiet() {
    LeaseKeeper[] leases = new LeaseKeeper[1];
    Claim claim = claim();
    ForwardingReadingSource dropsThenFails = new ForwardingReadingSource(memory) {
      @Override
      public Map<String, Instant> renew(Collection<Claim> claims) {
        // The claim is settled while its renewal is under way, and the renewal fails.
        leases[0].drop(claim);
        throw new IllegalStateException("database away");
      }
    };
    leases[0] = new LeaseKeeper(dropsThenFails, clock, clock, scheduler, Runnable::run);
    leases[0].hold(claim);
    scheduler.advance(Duration.ofSeconds(100));
    assertEquals(List.of(clock.instant().plusSeconds(1)), scheduler.dueTimes(),
        "tried again a second later, as any failed renewal");
    scheduler.advance(Duration.ofSeconds(1));
    assertEquals(List.of(), scheduler.dueTimes(), "then quiet: nothing is held");
  }
}

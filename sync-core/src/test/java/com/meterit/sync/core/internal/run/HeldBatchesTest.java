package com.meterit.sync.core.internal.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.meterit.sync.api.Claim;
import com.meterit.sync.api.LeaseLostException;
import com.meterit.sync.api.NextClaimFailedException;
import com.meterit.sync.api.Reading;
import com.meterit.sync.api.ReadingSourceException;
import com.meterit.sync.api.Rejection;
import com.meterit.sync.core.testing.ForwardingReadingSource;
import com.meterit.sync.core.testing.Harness;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Which batches the lease keeper renews after each call of {@link HeldBatches}: a batch the run
 * can see is held, a batch settled, re-formed, given back or taken over is not, and a batch
 * whose call failed otherwise stays held for the run to give back. Renewals come at a third of
 * the 5-minute lease, so each check advances two minutes and reads what was renewed.
 */
class HeldBatchesTest {
  private final Harness h = new Harness();
  private final Set<String> renewed = new HashSet<>();
  private Supplier<RuntimeException> settleFails = () -> null;
  private Supplier<RuntimeException> claimFails = () -> null;
  private Supplier<RuntimeException> reformFails = () -> null;
  private Supplier<RuntimeException> releaseFails = () -> null;

  private final ForwardingReadingSource source = new ForwardingReadingSource(h.source()) {
    @Override
    public Claim claim(int maxReadings) {
      throwIfSet(claimFails);
      return super.claim(maxReadings);
    }

    @Override
    public void settle(Claim claim, List<Rejection> rejected) {
      throwIfSet(settleFails);
      super.settle(claim, rejected);
    }

    @Override
    public List<Claim> reform(Claim claim, List<List<Reading>> parts) {
      throwIfSet(reformFails);
      return super.reform(claim, parts);
    }

    @Override
    public void release(Claim claim) {
      super.release(claim);
      throwIfSet(releaseFails);
    }

    @Override
    public Map<String, Instant> renew(Collection<Claim> claims) {
      claims.forEach(c -> renewed.add(c.key()));
      return super.renew(claims);
    }
  };
  private final HeldBatches held = new HeldBatches(source,
      new LeaseKeeper(source, h.clock(), h.clock(), h.scheduler(), Runnable::run));

  private static void throwIfSet(Supplier<RuntimeException> failure) {
    RuntimeException e = failure.get();
    if (e != null) {
      throw e;
    }
  }

  private Set<String> renewedInTheNextTwoMinutes() {
    renewed.clear();
    h.scheduler().advance(Duration.ofMinutes(2));
    return Set.copyOf(renewed);
  }

  private Claim claimed(int readings) {
    h.source().addSample(readings);
    return held.claim(readings);
  }

  @Test
  void aClaimedBatchIsHeld() {
    Claim claim = claimed(10);
    assertEquals(Set.of(claim.key()), renewedInTheNextTwoMinutes());
  }

  @Test
  void aSettledBatchIsDropped() {
    Claim claim = claimed(10);
    held.settle(claim, List.of());
    assertEquals(Set.of(), renewedInTheNextTwoMinutes());
  }

  @Test
  void aBatchTakenOverIsDroppedWhenItsSettlementIsRefused() {
    Claim claim = claimed(10);
    settleFails = () -> new LeaseLostException("taken over");
    assertThrows(LeaseLostException.class, () -> held.settle(claim, List.of()));
    assertEquals(Set.of(), renewedInTheNextTwoMinutes());
  }

  @Test
  void aBatchWhoseSettlementFailedOtherwiseStaysHeldForTheRunToGiveBack() {
    Claim claim = claimed(10);
    settleFails = () -> new ReadingSourceException("database gone", null);
    assertThrows(ReadingSourceException.class, () -> held.settle(claim, List.of()));
    assertEquals(Set.of(claim.key()), renewedInTheNextTwoMinutes());
  }

  @Test
  void settlingAndClaimingDropsTheOneAndHoldsTheOther() {
    Claim first = claimed(10);
    h.source().addSample(10);
    Claim next = held.settleAndClaim(first, List.of(), 10);
    assertEquals(10, next.size());
    assertEquals(Set.of(next.key()), renewedInTheNextTwoMinutes());
  }

  @Test
  void aSettlementWhoseClaimFailedIsDroppedAndHoldsNothingNew() {
    Claim first = claimed(10);
    claimFails = () -> new ReadingSourceException("claim failed", null);
    assertThrows(NextClaimFailedException.class, () -> held.settleAndClaim(first, List.of(), 10));
    assertEquals(Set.of(), renewedInTheNextTwoMinutes());
  }

  @Test
  void aSettleAndClaimTheSourceRefusesAsTakenOverDropsTheBatch() {
    Claim first = claimed(10);
    settleFails = () -> new LeaseLostException("taken over");
    assertThrows(LeaseLostException.class, () -> held.settleAndClaim(first, List.of(), 10));
    assertEquals(Set.of(), renewedInTheNextTwoMinutes());
  }

  @Test
  void aSettleAndClaimThatFailedOtherwiseLeavesTheBatchHeld() {
    Claim first = claimed(10);
    settleFails = () -> new ReadingSourceException("database gone", null);
    assertThrows(ReadingSourceException.class, () -> held.settleAndClaim(first, List.of(), 10));
    assertEquals(Set.of(first.key()), renewedInTheNextTwoMinutes());
  }

  @Test
  void aReformedBatchIsDroppedAndItsPartsAreHeld() {
    Claim claim = claimed(10);
    List<Reading> readings = claim.readings();
    List<Claim> parts = held.reform(claim, List.of(readings.subList(0, 5),
        readings.subList(5, 10)));
    assertEquals(Set.of(parts.get(0).key(), parts.get(1).key()), renewedInTheNextTwoMinutes());
  }

  @Test
  void aBatchWhoseReformFailedIsDroppedAndNothingIsHeld() {
    Claim claim = claimed(10);
    reformFails = () -> new LeaseLostException("taken over");
    assertThrows(LeaseLostException.class, () -> held.reform(claim,
        List.of(claim.readings().subList(0, 5), claim.readings().subList(5, 10))));
    assertEquals(Set.of(), renewedInTheNextTwoMinutes());
  }

  @Test
  void aBatchGivenBackIsDroppedEvenWhenTheReleaseFails() {
    Claim kept = claimed(10);
    Claim given = claimed(10);
    releaseFails = () -> new ReadingSourceException("database gone", null);
    assertThrows(ReadingSourceException.class, () -> held.release(given));
    assertEquals(Set.of(kept.key()), renewedInTheNextTwoMinutes());
  }
}

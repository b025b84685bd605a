package com.meterit.sync.core.internal.run;

import com.meterit.sync.api.Claim;
import com.meterit.sync.api.LeaseLostException;
import com.meterit.sync.api.NextClaimFailedException;
import com.meterit.sync.api.Reading;
import com.meterit.sync.api.ReadingSource;
import com.meterit.sync.api.Rejection;
import java.util.List;

/**
 * The batches a run holds, and the one owner of their leases. Each source call that forms,
 * settles, re-forms or gives back a batch is paired here with the lease hold or drop it needs:
 * a batch is held before the run can see it, and dropped once settled, re-formed, given back or
 * taken over. A call that fails otherwise leaves its batch held, still the run's to give back.
 * Thread-safe, as the source and the {@link LeaseKeeper} are.
 */
public final class HeldBatches {
  private final ReadingSource source;
  private final LeaseKeeper leases;

  public HeldBatches(ReadingSource source, LeaseKeeper leases) {
    this.source = source;
    this.leases = leases;
  }

  /** Claims a batch, as {@link ReadingSource#claim}, and holds it. */
  Claim claim(int size) {
    Claim claim = source.claim(size);
    leases.hold(claim);
    return claim;
  }

  /** Settles a batch, as {@link ReadingSource#settle}, and drops it. */
  void settle(Claim batch, List<Rejection> rejected) {
    try {
      source.settle(batch, rejected);
    } catch (LeaseLostException e) {
      leases.drop(batch);
      throw e;
    }
    leases.drop(batch);
  }

  /**
   * Settles a batch and claims the next in one call, as {@link ReadingSource#settleAndClaim}:
   * drops the one, holds the other.
   *
   * @throws NextClaimFailedException when only the claim failed: the settlement stands, and the
   *     settled batch is dropped
   */
  Claim settleAndClaim(Claim batch, List<Rejection> rejected, int size) {
    Claim next;
    try {
      next = source.settleAndClaim(batch, rejected, size);
    } catch (NextClaimFailedException | LeaseLostException e) {
      leases.drop(batch);
      throw e;
    }
    leases.drop(batch);
    leases.hold(next);
    return next;
  }

  /** Re-forms a batch into journaled parts, as {@link ReadingSource#reform}; holds the parts. */
  List<Claim> reform(Claim batch, List<List<Reading>> parts) {
    List<Claim> formed;
    try {
      formed = source.reform(batch, parts);
    } finally {
      leases.drop(batch);
    }
    formed.forEach(leases::hold);
    return formed;
  }

  /**
   * Gives a batch back unsent, still journaled, as {@link ReadingSource#release}. It is dropped
   * first: when the release fails, the batch returns as its lease lapses.
   */
  void release(Claim batch) {
    leases.drop(batch);
    source.release(batch);
  }

  /**
   * Makes sure the run still holds the batch before it is sent.
   *
   * @throws LeaseLostException when another claim took it over
   */
  void ensureHeld(Claim batch) {
    leases.ensureHeld(batch);
  }
}

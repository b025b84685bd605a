package com.meterit.sync.api;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The local queue of readings waiting to be sent: the gateway's Sync Database.
 *
 * <p>The queue hands out <em>batches</em>. A batch is formed once, from the oldest pending
 * readings, and recorded in a journal before it is returned, so before it can be sent. From then
 * on its readings go out only in that batch, under the same content-derived
 * {@linkplain UploadBatch#batchId() batch id}, until its outcome is settled: a crash, a restart, a
 * failed run or a lease that lapsed brings the same batch back whole, and a server that
 * deduplicates by {@code Idempotency-Key} never counts a reading twice. The one exception is a
 * definitive refusal (413, or a whole-batch 400/422): the server recorded nothing, so the engine
 * may {@linkplain #reform re-form} the batch into parts.
 *
 * <p>Each batch is held under a lease by one {@link Claim} at a time. The engine settles every
 * claim exactly once: {@link #settle} on the server's answer, {@link #release} otherwise, or
 * {@link #reform} after a definitive refusal. It {@linkplain #renew renews} the leases of the
 * claims it holds, so that a slow upload does not lose its batch to another worker.
 *
 * <p>Implementations must be thread-safe, and their settlement atomic. Failures are reported as
 * {@link ReadingSourceException}. A custom source proves all of this by running the contract
 * test, {@code com.meterit.sync.core.testing.ReadingSourceContractTest}, published in sync-core's
 * test jar (classifier {@code tests}): extend it and implement its hooks.
 */
public interface ReadingSource {

  /**
   * Claims the next batch under a lease: first a journaled batch that no live claim holds (it is
   * returned unchanged, {@linkplain Claim#resumed() resumed}); otherwise up to {@code maxReadings}
   * pending readings, oldest first, journaled as a new batch.
   *
   * @param maxReadings the most readings in a new batch, at least 1; a resumed batch may be larger
   * @return the claim; {@linkplain Claim#isEmpty() empty} when nothing is pending
   */
  Claim claim(int maxReadings);

  /**
   * Applies the server's answer to a batch, in one transaction: the readings listed in
   * {@code rejected} are quarantined with their reasons, every other reading of the batch is
   * marked synced, and the batch leaves the journal. Only the engine calls this, and only with
   * the server's answer.
   *
   * @param claim the claim that holds the batch
   * @param rejected the batch's readings the server refused for good; may be empty
   * @throws LeaseLostException when the claim no longer holds the batch; nothing was changed
   */
  void settle(Claim claim, List<Rejection> rejected);

  /**
   * {@linkplain #settle Settles} a batch and {@linkplain #claim claims} the next: a source may do
   * both in one transaction, so that a drain costs one commit per batch instead of two. The
   * engine calls it while it waits for a place in a full upload window. The default settles,
   * then claims.
   *
   * @param claim the claim that holds the batch to settle
   * @param rejected the batch's readings the server refused for good; may be empty
   * @param maxReadings the most readings in the next batch, at least 1
   * @return the next claim, as {@link #claim} returns it
   * @throws LeaseLostException when the claim no longer holds the batch; nothing was changed
   * @throws NextClaimFailedException when the batch was settled but the claim after it failed
   * @throws ReadingSourceException otherwise; nothing was changed
   */
  default Claim settleAndClaim(Claim claim, List<Rejection> rejected, int maxReadings) {
    settle(claim, rejected);
    return NextClaimFailedException.afterSettling(() -> claim(maxReadings));
  }

  /**
   * Gives the batch back unsettled. It stays journaled, unchanged, and the next claim (of any
   * worker) returns it before forming a new batch. Releasing a claim that no longer holds its
   * batch does nothing.
   */
  void release(Claim claim);

  /**
   * Replaces a batch the server refused outright, and so never recorded, by {@code parts}: each
   * part becomes a journaled batch of its own, held by a new claim under a fresh lease, in one
   * transaction. Readings of the batch that are in no part become pending again, free to join
   * any later batch.
   *
   * @param claim the claim that holds the refused batch
   * @param parts disjoint, non-empty subsets of the batch's readings, in sending order; may be
   *     empty to dissolve the batch
   * @return the claims of the parts, in the same order
   * @throws LeaseLostException when the claim no longer holds the batch; nothing was changed
   */
  List<Claim> reform(Claim claim, List<List<Reading>> parts);

  /**
   * Extends the leases of claims that still hold their batches.
   *
   * @return for each claim still held, by {@linkplain Claim#key() key}, when its lease now ends;
   *     a claim that is missing has lost its batch. The default renews nothing and reports every
   *     claim held until its lease ends, which suits a source whose leases cannot lapse.
   */
  default Map<String, Instant> renew(Collection<Claim> claims) {
    Map<String, Instant> held = new HashMap<>();
    for (Claim claim : claims) {
      held.put(claim.key(), claim.leaseExpiresAt());
    }
    return held;
  }

  /** The number of readings not yet synced nor quarantined, including claimed ones. */
  long pendingCount();

  /**
   * The pending count for a status view or a heartbeat, which must stay cheap however long the
   * backlog: counted while it is at most {@code exactUpTo}, and past that possibly an {@linkplain
   * PendingCount#isEstimate() estimate}. The default counts, with {@link #pendingCount()}.
   *
   * @param exactUpTo up to how many pending readings the answer must be exact, at least 0
   */
  default PendingCount pendingCount(long exactUpTo) {
    return PendingCount.exact(pendingCount());
  }

  /**
   * The timestamp of the oldest pending reading, from which the sync lag is derived. Empty when
   * nothing is pending.
   */
  default Optional<Instant> oldestPendingTimestamp() {
    return Optional.empty();
  }

  /**
   * Gives back the batches that an earlier process of this same worker left held, so that they
   * are sent again at once after a restart instead of when their leases lapse. They stay
   * journaled. The engine calls it when it starts; it must touch no other worker's batches.
   *
   * @return the number of batches given back
   */
  default int recoverClaims() {
    return 0;
  }
}

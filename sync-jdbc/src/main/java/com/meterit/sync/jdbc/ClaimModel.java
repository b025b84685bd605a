package com.meterit.sync.jdbc;

import com.meterit.sync.api.Claim;
import com.meterit.sync.api.NextClaimFailedException;
import com.meterit.sync.api.PendingCount;
import com.meterit.sync.api.Reading;
import com.meterit.sync.api.Rejection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How batches are claimed and held on one kind of database: the {@link
 * com.meterit.sync.api.ReadingSource} contract minus what every database does alike. {@link
 * TableLeases} (PostgreSQL) keeps holds in the journal, shared by workers in many processes;
 * {@link EmbeddedClaims} (H2, SQLite) keeps them in this process, which owns the embedded file.
 * Chosen by the {@link Dialect}. Each implementation also guards the queue for the work that
 * changes it outside the claims ({@link QueueGuard}). Implementations are thread-safe.
 */
interface ClaimModel {

  /**
   * As {@link com.meterit.sync.api.ReadingSource#claim}; rows that are not valid readings are
   * quarantined in the claim's transaction and added to {@code poisoned}. Never returns an empty
   * claim while rows that were only poisoned were found: it claims on.
   */
  Claim claim(int maxReadings, List<Rejection> poisoned);

  void settle(Claim claim, List<Rejection> rejected);

  /**
   * As {@link com.meterit.sync.api.ReadingSource#settleAndClaim}; rows found poisoned are added to
   * {@code poisoned}. The default settles, then claims, in two transactions.
   */
  default Claim settleAndClaim(Claim claim, List<Rejection> rejected, int max,
      List<Rejection> poisoned) {
    settle(claim, rejected);
    return NextClaimFailedException.afterSettling(() -> claim(max, poisoned));
  }

  void release(Claim claim);

  List<Claim> reform(Claim claim, List<List<Reading>> parts);

  Map<String, Instant> renew(Collection<Claim> claims);

  int recoverClaims();

  long pendingCount();

  /** As {@link com.meterit.sync.api.ReadingSource#pendingCount(long)}. */
  PendingCount pendingCount(long exactUpTo);

  Optional<Instant> oldestPendingTimestamp();

  /** Gives back what the model holds outside the database; the source is closing. */
  default void close() {}

  /**
   * Checks the parts of a re-formed batch, and returns them with the batch's own readings, each
   * part ascending by id: the order in which a batch is journaled and read back, so that its id
   * is the same when it is resumed.
   *
   * @throws IllegalArgumentException when a part is empty, or a reading is not in the batch or
   *     in two parts
   */
  static List<List<Reading>> checkParts(Claim claim, List<List<Reading>> parts) {
    Map<Long, Reading> byId = new HashMap<>();
    claim.readings().forEach(r -> byId.put(r.id(), r));
    Set<Long> seen = new HashSet<>();
    List<List<Reading>> checked = new ArrayList<>(parts.size());
    for (List<Reading> part : parts) {
      if (part.isEmpty()) {
        throw new IllegalArgumentException("a part of a re-formed batch must not be empty");
      }
      List<Reading> own = new ArrayList<>(part.size());
      for (Reading r : part) {
        Reading mine = byId.get(r.id());
        if (mine == null || !seen.add(r.id())) {
          throw new IllegalArgumentException("reading " + r.id() + " is not in " + claim
              + " or is in two parts");
        }
        own.add(mine);
      }
      own.sort(Comparator.comparingLong(Reading::id));
      checked.add(own);
    }
    return checked;
  }

  /** The batch's readings in none of the parts. */
  static List<Long> leftOut(Claim claim, List<List<Reading>> parts) {
    Set<Long> inParts = new HashSet<>();
    parts.forEach(p -> p.forEach(r -> inParts.add(r.id())));
    List<Long> left = new ArrayList<>();
    claim.readings().forEach(r -> {
      if (!inParts.contains(r.id())) {
        left.add(r.id());
      }
    });
    return left;
  }
}

package com.meterit.sync.jdbc;

import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Claims kept in this process, for an embedded database that one gateway process owns (H2,
 * SQLite). Claiming then costs no write at all, and a crash releases every claim at once because
 * it only ever lived in memory. Holds at most the readings in flight.
 *
 * <p>With nothing claimed, a claim reads the lowest pending rows. While claims are held, it reads
 * above the highest id held; once readings below that come back (released, re-queued, or their
 * lease expired), it reads from the lowest of them instead and skips the ids still held. Not
 * thread-safe: the source guards it.
 */
final class LocalClaims {
  private final TreeMap<Long, Long> leaseUntilById = new TreeMap<>();
  /** The lowest id given back below claims still held, or null when there is none. */
  private Long lowestReturned;

  /**
   * Forgets expired claims, then returns the id from which the next claim must read pending rows.
   */
  long floor(long nowMillis) {
    Iterator<Map.Entry<Long, Long>> entries = leaseUntilById.entrySet().iterator();
    while (entries.hasNext()) {
      Map.Entry<Long, Long> entry = entries.next();
      if (entry.getValue() <= nowMillis) {
        returned(entry.getKey());
        entries.remove();
      }
    }
    if (leaseUntilById.isEmpty()) {
      // Nothing held: read from the lowest pending row, wherever rows came back from.
      lowestReturned = null;
      return 0;
    }
    return lowestReturned != null ? lowestReturned : leaseUntilById.lastKey() + 1;
  }

  /** How many claimed ids lie at or above {@code floor}: rows a read from there must skip. */
  int claimedFrom(long floor) {
    return leaseUntilById.tailMap(floor, true).size();
  }

  boolean isClaimed(long id) {
    return leaseUntilById.containsKey(id);
  }

  /**
   * Records a claim read from {@code floor}.
   *
   * @param found the unclaimed pending rows the read found, claimed or quarantined
   * @param wanted how many it asked for
   * @param lastFound the highest id it found
   */
  void claimed(Collection<Long> ids, long leaseUntilMillis, int found, int wanted, long lastFound) {
    for (Long id : ids) {
      leaseUntilById.put(id, leaseUntilMillis);
    }
    if (lowestReturned != null) {
      // Fewer than wanted: nothing unclaimed is left from the floor up. Otherwise go on after it.
      lowestReturned = found < wanted ? null : lastFound + 1;
    }
  }

  /** Ids the server settled: forgotten. */
  void settled(Collection<Long> ids) {
    for (Long id : ids) {
      leaseUntilById.remove(id);
    }
  }

  /**
   * Ids that are pending again, given back for a later try or re-queued from quarantine:
   * claimable by the next claim.
   */
  void released(Collection<Long> ids) {
    for (Long id : ids) {
      leaseUntilById.remove(id);
      returned(id);
    }
  }

  /** Rows from {@code id} up may be pending again (a bulk re-queue): the next claim looks there. */
  void returned(long id) {
    if (lowestReturned == null || id < lowestReturned) {
      lowestReturned = id;
    }
  }
}

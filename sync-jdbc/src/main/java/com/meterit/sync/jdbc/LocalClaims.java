package com.meterit.sync.jdbc;

import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The queue state kept in this process, for an embedded database that one gateway process owns
 * (H2, SQLite): the claims, and the lowest id that may still be pending.
 *
 * <p>Claims live only here: claiming costs no write, and a crash gives every claim back at once.
 * The low-water mark lets every queue query walk the primary key from the first pending row, so
 * no status index has to be rewritten on each acknowledgement. It holds because ids only grow:
 * new readings land above it, and readings that become pending again below it (released,
 * expired, re-queued) lower it. Two things can still leave a pending row below it: a writer
 * whose transaction commits after a higher id was read, and statuses changed behind the
 * source's back. So the source walks the table for the lowest pending row at the first use, when
 * a claim finds the queue drained (at most once a lease), and at each purge.
 *
 * <p>With nothing claimed, a claim reads from the low-water mark. While claims are held, it reads
 * above the highest id held; once readings below that come back, it reads from the lowest of
 * them instead and skips the ids still held. Not thread-safe: the source guards it.
 */
final class LocalClaims {
  private final TreeMap<Long, Long> leaseUntilById = new TreeMap<>();
  /** The lowest id given back below claims still held, or null when there is none. */
  private Long lowestReturned;
  /** No pending reading has a lower id, except those held; -1 until computed. */
  private long lowWater = -1;

  boolean lowWaterKnown() {
    return lowWater >= 0;
  }

  long lowWater() {
    return Math.max(0, lowWater);
  }

  /** Sets the low-water mark from a scan of the table. */
  void setLowWater(long id) {
    lowWater = id;
  }

  /**
   * Lowers the mark to a scan's result, never raises it: rows released while the scan ran may lie
   * below what it found.
   */
  void lowerLowWater(long id) {
    if (lowWater < 0 || id < lowWater) {
      lowWater = id;
    }
  }

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
      lowestReturned = null;
      return lowWater();
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
   * @param found how many unclaimed pending rows the read took, valid or not
   * @param wanted how many it asked for
   * @param firstFound the lowest id it took, if any
   * @param lastFound the highest id it took, if any
   */
  void claimed(Collection<Long> ids, long leaseUntilMillis, long floor, int found, int wanted,
      long firstFound, long lastFound) {
    if (leaseUntilById.isEmpty() && floor == lowWater()) {
      // Read from the mark with nothing held: nothing below the first row found is pending.
      lowWater = found > 0 ? firstFound : floor;
    }
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

  /** Rows from {@code id} up may be pending again: the next claim looks there. */
  void returned(long id) {
    if (lowestReturned == null || id < lowestReturned) {
      lowestReturned = id;
    }
    lowerLowWater(id);
  }
}

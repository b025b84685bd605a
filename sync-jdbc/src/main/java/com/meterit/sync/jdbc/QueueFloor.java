package com.meterit.sync.jdbc;

import java.util.List;

/**
 * Where the next batch starts, for an embedded database that one gateway process owns (H2,
 * SQLite): the ids in journaled batches, which no new batch may take, and the lowest id that may
 * still be pending.
 *
 * <p>Rows of journaled batches stay pending in the table (holding them costs no write), so they
 * are <em>excluded</em> here, held or not, until their batch is settled, re-formed, or its
 * readings freed. The low-water mark lets every queue query walk the primary key from the first
 * pending row, so no status index has to be rewritten on each acknowledgement. It holds because
 * ids only grow: new readings land above it, and readings that become pending again below it
 * (freed by a re-formed batch, re-queued) lower it. Two things can still leave a pending row
 * below it: a writer whose transaction commits after a higher id was read, and statuses changed
 * behind the source's back. So the source walks the table for the lowest pending row at the
 * first use, when a claim finds the queue drained (at most once a lease), and at each purge.
 *
 * <p>With nothing excluded, a claim reads from the low-water mark. While ids are excluded, it
 * reads above the highest of them; once readings below that come back, it reads from the lowest
 * of them instead and skips the excluded ids. Ids travel as inclusive runs ({@link IdRangeCodec}),
 * so that nothing here boxes an id. Not thread-safe: the source guards it.
 */
final class QueueFloor {
  private final IdRangeSet excluded = new IdRangeSet();
  /** The lowest id given back below excluded ids, or null when there is none. */
  private Long lowestReturned;
  /** No pending reading has a lower id, except excluded ones; -1 until computed. */
  private long lowWater = -1;
  /** Every reading below it was settled by this process, unless given back since; -1 if none. */
  private long settledTo = -1;

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
   * Lowers the mark to a scan's result, never raises it: rows freed while the scan ran may lie
   * below what it found.
   */
  void lowerLowWater(long id) {
    if (lowWater < 0 || id < lowWater) {
      lowWater = id;
    }
    settledTo = Math.min(settledTo, id);
  }

  /** The id from which the next new batch must read pending rows. */
  long floor() {
    if (excluded.isEmpty()) {
      lowestReturned = null;
      return lowWater();
    }
    return lowestReturned != null ? lowestReturned : excluded.last() + 1;
  }

  /** How many excluded ids lie at or above {@code floor}: rows a read from there must skip. */
  int excludedFrom(long floor) {
    return (int) Math.min(Integer.MAX_VALUE, excluded.countFrom(floor));
  }

  boolean isExcluded(long id) {
    return excluded.contains(id);
  }

  /**
   * Adds the ids of batches journaled by an earlier process. Rows below them that are in no
   * batch must still be read, so the floor stays where it was.
   */
  void journaled(List<long[]> runs) {
    if (runs.isEmpty()) {
      return;
    }
    long before = floor();
    if (lowestReturned == null || before < lowestReturned) {
      lowestReturned = before;
    }
    excluded.addAll(runs);
  }

  /**
   * Records a new batch read from {@code floor}.
   *
   * @param found how many pending rows, not excluded, the read took, valid or not
   * @param wanted how many it asked for
   * @param firstFound the lowest id it took, if any
   * @param lastFound the highest id it took, if any
   */
  void claimed(List<long[]> runs, long floor, int found, int wanted, long firstFound,
      long lastFound) {
    if (excluded.isEmpty() && floor == lowWater()) {
      // Read from the mark with nothing excluded: nothing below the first row found is pending.
      lowWater = found > 0 ? firstFound : floor;
    }
    excluded.addAll(runs);
    if (lowestReturned != null) {
      // Fewer than wanted: nothing is left from the floor up. Otherwise go on after it.
      lowestReturned = found < wanted ? null : lastFound + 1;
    }
  }

  /** Ids of a settled batch: forgotten. */
  void settled(List<long[]> runs) {
    long before = floor();
    excluded.removeAll(runs);
    if (excluded.isEmpty() && before > settledTo) {
      // Nothing below the floor was pending but excluded ids, and they are settled now.
      settledTo = before;
    }
  }

  /**
   * Where a count of the pending readings starts, so that it does not walk every row a drain
   * synced: the low-water mark itself stays where a pipelined drain began (something is always
   * excluded during one), and claims read from it, so that a reading re-queued by another
   * process is claimed at the next run. Such a reading lies below this point and is counted
   * once it is claimed.
   */
  long countFrom() {
    if (excluded.isEmpty()) {
      return Math.max(lowWater(), settledTo);
    }
    return Math.min(floor(), excluded.first());
  }

  /**
   * Ids of a re-formed batch: those in its parts stay excluded, every other id of the batch is
   * claimable again. That includes ids that were in the journaled batch but not in the claim (a
   * row quarantined when the batch resumed), which an operator may re-queue.
   */
  void reformed(List<long[]> batch, List<long[]> parts) {
    IdRangeSet freed = new IdRangeSet();
    freed.addAll(batch);
    freed.removeAll(parts);
    excluded.removeAll(batch);
    excluded.addAll(parts);
    if (!freed.isEmpty()) {
      returned(freed.first());
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

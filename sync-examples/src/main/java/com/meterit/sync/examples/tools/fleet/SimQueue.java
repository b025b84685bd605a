package com.meterit.sync.examples.tools.fleet;

import com.meterit.sync.api.Claim;
import com.meterit.sync.api.LeaseLostException;
import com.meterit.sync.api.Reading;
import com.meterit.sync.api.ReadingSource;
import com.meterit.sync.api.Rejection;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.ToLongFunction;

/**
 * One gateway's Sync Database, in a few hundred bytes whatever its backlog: the readings are a
 * function of their id (meter, round, time, value), so the queue keeps only counters and the
 * journal of batches, as id ranges. It keeps the {@link ReadingSource} contract that the engine
 * relies on, as {@code SimQueueContractTest} proves: a journaled batch comes back unchanged until
 * it is settled, the oldest free batch first; a settlement is all or nothing; a stale claim
 * changes nothing; a refused batch may be re-formed into any parts, and what is in none is
 * pending again.
 *
 * <p>The meters are polled in a round: one reading every {@code period / meters}, so readings
 * appear continuously rather than 50 at once, as a collector polling meters one after the other
 * does. Thread-safe, as the interface requires: every method holds the queue's lock (the
 * simulation runs one event at a time, so the lock is never contended there).
 */
final class SimQueue implements ReadingSource {
  private static final String[] METER_IDS = new String[1000];

  static {
    for (int i = 0; i < METER_IDS.length; i++) {
      METER_IDS[i] = String.format("meter-%03d", i);
    }
  }

  /**
   * A journaled batch: the ids {@code from} (inclusive) to {@code to} (exclusive), or, for a part
   * of a re-formed batch or one that took freed ids, the ids listed in {@code ids}.
   */
  private static final class Batch {
    final long number;
    final long from;
    final long to;
    final long[] ids;
    long token;
    Instant leaseUntil = Instant.MIN;

    Batch(long number, long from, long to) {
      this.number = number;
      this.from = from;
      this.to = to;
      this.ids = null;
    }

    Batch(long number, long[] ids) {
      this.number = number;
      this.ids = ids;
      this.from = ids[0];
      this.to = ids[ids.length - 1] + 1;
    }

    int size() {
      return ids == null ? (int) (to - from) : ids.length;
    }

    long id(int i) {
      return ids == null ? from + i : ids[i];
    }

    boolean contains(long id) {
      return ids == null ? id >= from && id < to : Arrays.binarySearch(ids, id) >= 0;
    }
  }

  private final Clock clock;
  private final Duration lease;
  private final Instant firstPoll;
  private final long pollNanos;
  private final int meters;
  private final ToLongFunction<Instant> production;
  private final List<Batch> journal = new ArrayList<>(2);
  /** Ids below {@link #nextFree} in no batch and not settled: freed by a re-formed batch. */
  private final TreeSet<Long> freed = new TreeSet<>();
  private long nextFree = 1;
  private long settled;
  private long quarantined;
  private long batches;
  private long tokens;

  /**
   * @param firstPoll when the first meter is read; one reading follows every {@code poll}
   */
  SimQueue(Clock clock, Duration lease, Instant firstPoll, Duration poll, int meters) {
    this(clock, lease, firstPoll, poll, meters, null);
  }

  /**
   * @param production how many readings are written by an instant (ids 1 to that); null for one
   *     every {@code poll} from {@code firstPoll}
   */
  SimQueue(Clock clock, Duration lease, Instant firstPoll, Duration poll, int meters,
      ToLongFunction<Instant> production) {
    if (meters > METER_IDS.length) {
      throw new IllegalArgumentException("meters must be at most " + METER_IDS.length + ": " + meters);
    }
    this.clock = clock;
    this.lease = lease;
    this.firstPoll = firstPoll;
    this.pollNanos = poll.toNanos();
    this.meters = meters;
    this.production = production == null ? this::producedAt : production;
  }

  /** The readings written so far: ids 1 to this. */
  synchronized long produced() {
    return production.applyAsLong(clock.instant());
  }

  long producedAt(Instant at) {
    if (at.isBefore(firstPoll)) {
      return 0;
    }
    return Duration.between(firstPoll, at).toNanos() / pollNanos + 1;
  }

  synchronized long settled() {
    return settled;
  }

  /** The lowest id not settled yet, or produced() + 1 when every reading is settled. */
  synchronized long lowestUnsettled() {
    long lowest = freed.isEmpty() ? nextFree : Math.min(nextFree, freed.first());
    for (Batch b : journal) {
      lowest = Math.min(lowest, b.from);
    }
    return lowest;
  }

  @Override
  public synchronized Claim claim(int maxReadings) {
    if (maxReadings < 1) {
      throw new IllegalArgumentException("maxReadings must be at least 1: " + maxReadings);
    }
    Instant now = clock.instant();
    Batch free = null;
    for (Batch b : journal) {
      if (!b.leaseUntil.isAfter(now) && (free == null || b.from < free.from)) {
        free = b;
      }
    }
    if (free != null) {
      return hold(free, now, true);
    }
    long produced = production.applyAsLong(now);
    Batch batch;
    if (!freed.isEmpty()) {
      // Freed ids are older than any never claimed: they go first, oldest first.
      long[] ids = new long[(int) Math.min(maxReadings, freed.size() + Math.max(0,
          produced + 1 - nextFree))];
      int n = 0;
      while (n < ids.length && !freed.isEmpty()) {
        ids[n++] = freed.pollFirst();
      }
      while (n < ids.length) {
        ids[n++] = nextFree++;
      }
      batch = new Batch(++batches, ids);
    } else if (nextFree > produced) {
      return Claim.empty();
    } else {
      long to = Math.min(produced + 1, nextFree + maxReadings);
      batch = new Batch(++batches, nextFree, to);
      nextFree = to;
    }
    journal.add(batch);
    return hold(batch, now, false);
  }

  private Claim hold(Batch batch, Instant now, boolean resumed) {
    batch.token = ++tokens;
    batch.leaseUntil = now.plus(lease);
    List<Reading> readings = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      readings.add(reading(batch.id(i)));
    }
    return new Claim(batch.number + ":" + batch.token, readings, batch.leaseUntil, resumed);
  }

  /** The reading with this id: its meter, its poll time, a value rising 0.25 to 1.25 a round. */
  Reading reading(long id) {
    long index = id - 1;
    int meter = (int) (index % meters);
    long round = index / meters;
    Instant at = firstPoll.plusNanos(index * pollNanos);
    long thousandths = 1_000_000L + meter * 7_123L + round * 250L + (round * 31 + meter) % 1000;
    return Reading.of(id, METER_IDS[meter], at, BigDecimal.valueOf(thousandths, 3), "kWh");
  }

  @Override
  public synchronized void settle(Claim claim, List<Rejection> rejected) {
    Batch batch = held(claim);
    for (Rejection r : rejected) {
      if (!batch.contains(r.readingId())) {
        throw new IllegalArgumentException("reading " + r.readingId() + " is not in " + claim);
      }
    }
    quarantined += rejected.size();
    settled += batch.size() - rejected.size();
    journal.remove(batch);
  }

  @Override
  public synchronized void release(Claim claim) {
    Batch batch = find(claim);
    if (batch != null && batch.token == token(claim)) {
      batch.token = 0;
      batch.leaseUntil = Instant.MIN;
    }
  }

  /**
   * Replaces a refused batch by {@code parts}, each a batch of its own in id order; what is in
   * no part is pending again. The simulated server refuses nothing outright, so the engine asks
   * for this only when a test makes it.
   */
  @Override
  public synchronized List<Claim> reform(Claim claim, List<List<Reading>> parts) {
    Batch batch = held(claim);
    Set<Long> left = new HashSet<>();
    for (int i = 0; i < batch.size(); i++) {
      left.add(batch.id(i));
    }
    List<long[]> formed = new ArrayList<>();
    for (List<Reading> part : parts) {
      long[] ids = new long[part.size()];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = part.get(i).id();
        if (!left.remove(ids[i])) {
          throw new IllegalArgumentException("reading " + ids[i] + " is not in " + claim
              + " or is in two parts");
        }
      }
      Arrays.sort(ids);
      formed.add(ids);
    }
    journal.remove(batch);
    freed.addAll(left);
    Instant now = clock.instant();
    List<Claim> claims = new ArrayList<>();
    for (long[] ids : formed) {
      Batch part = new Batch(++batches, ids);
      journal.add(part);
      claims.add(hold(part, now, false));
    }
    return claims;
  }

  @Override
  public synchronized Map<String, Instant> renew(Collection<Claim> claims) {
    Instant until = clock.instant().plus(lease);
    Map<String, Instant> held = new HashMap<>();
    for (Claim claim : claims) {
      Batch batch = find(claim);
      if (batch != null && batch.token == token(claim)) {
        batch.leaseUntil = until;
        held.put(claim.key(), until);
      }
    }
    return held;
  }

  @Override
  public synchronized long pendingCount() {
    return produced() - settled - quarantined;
  }

  @Override
  public synchronized Optional<Instant> oldestPendingTimestamp() {
    long lowest = lowestUnsettled();
    return lowest > produced() ? Optional.empty() : Optional.of(reading(lowest).timestamp());
  }

  @Override
  public synchronized int recoverClaims() {
    int released = 0;
    for (Batch b : journal) {
      if (b.token != 0) {
        b.token = 0;
        b.leaseUntil = Instant.MIN;
        released++;
      }
    }
    return released;
  }

  private Batch held(Claim claim) {
    Batch batch = find(claim);
    if (batch == null || batch.token != token(claim)) {
      throw new LeaseLostException("batch " + claim.batch().batchId() + " is no longer held by "
          + claim.key());
    }
    return batch;
  }

  private Batch find(Claim claim) {
    if (claim.isEmpty()) {
      return null;
    }
    long number = Long.parseLong(claim.key().substring(0, claim.key().indexOf(':')));
    for (Batch b : journal) {
      if (b.number == number) {
        return b;
      }
    }
    return null;
  }

  private static long token(Claim claim) {
    return Long.parseLong(claim.key().substring(claim.key().indexOf(':') + 1));
  }
}

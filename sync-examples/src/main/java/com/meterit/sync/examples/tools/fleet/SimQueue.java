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
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One gateway's Sync Database, in a few hundred bytes whatever its backlog: the readings are a
 * function of their id (meter, round, time, value), so the queue keeps only counters and the
 * journal of batches, as id ranges. It keeps the {@link ReadingSource} contract that the engine
 * relies on: a journaled batch comes back unchanged until it is settled, the oldest free batch
 * first; a settlement is all or nothing; a stale claim changes nothing.
 *
 * <p>The meters are polled in a round: one reading every {@code period / meters}, so readings
 * appear continuously rather than 50 at once, as a collector polling meters one after the other
 * does. Not thread-safe: the simulation runs one event at a time.
 */
final class SimQueue implements ReadingSource {
  private static final String[] METER_IDS = new String[1000];

  static {
    for (int i = 0; i < METER_IDS.length; i++) {
      METER_IDS[i] = String.format("meter-%03d", i);
    }
  }

  private static final class Batch {
    final long number;
    final long from;
    final long to;
    long token;
    Instant leaseUntil = Instant.MIN;

    Batch(long number, long from, long to) {
      this.number = number;
      this.from = from;
      this.to = to;
    }
  }

  private final Clock clock;
  private final Duration lease;
  private final Instant firstPoll;
  private final long pollNanos;
  private final int meters;
  private final List<Batch> journal = new ArrayList<>(2);
  private long nextFree = 1;
  private long settled;
  private long quarantined;
  private long batches;
  private long tokens;

  /**
   * @param firstPoll when the first meter is read; one reading follows every {@code poll}
   */
  SimQueue(Clock clock, Duration lease, Instant firstPoll, Duration poll, int meters) {
    if (meters > METER_IDS.length) {
      throw new IllegalArgumentException("meters must be at most " + METER_IDS.length + ": " + meters);
    }
    this.clock = clock;
    this.lease = lease;
    this.firstPoll = firstPoll;
    this.pollNanos = poll.toNanos();
    this.meters = meters;
  }

  /** The readings written so far: ids 1 to this. */
  long produced() {
    return producedAt(clock.instant());
  }

  long producedAt(Instant at) {
    if (at.isBefore(firstPoll)) {
      return 0;
    }
    return Duration.between(firstPoll, at).toNanos() / pollNanos + 1;
  }

  long settled() {
    return settled;
  }

  /** The lowest id not settled yet, or produced() + 1 when every reading is settled. */
  long lowestUnsettled() {
    long lowest = nextFree;
    for (Batch b : journal) {
      lowest = Math.min(lowest, b.from);
    }
    return lowest;
  }

  @Override
  public Claim claim(int maxReadings) {
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
    long produced = producedAt(now);
    if (nextFree > produced) {
      return Claim.empty();
    }
    long to = Math.min(produced + 1, nextFree + maxReadings);
    Batch batch = new Batch(++batches, nextFree, to);
    nextFree = to;
    journal.add(batch);
    return hold(batch, now, false);
  }

  private Claim hold(Batch batch, Instant now, boolean resumed) {
    batch.token = ++tokens;
    batch.leaseUntil = now.plus(lease);
    List<Reading> readings = new ArrayList<>((int) (batch.to - batch.from));
    for (long id = batch.from; id < batch.to; id++) {
      readings.add(reading(id));
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
  public void settle(Claim claim, List<Rejection> rejected) {
    Batch batch = held(claim);
    for (Rejection r : rejected) {
      if (r.readingId() < batch.from || r.readingId() >= batch.to) {
        throw new IllegalArgumentException("reading " + r.readingId() + " is not in " + claim);
      }
    }
    quarantined += rejected.size();
    settled += batch.to - batch.from - rejected.size();
    journal.remove(batch);
  }

  @Override
  public void release(Claim claim) {
    Batch batch = find(claim);
    if (batch != null && batch.token == token(claim)) {
      batch.token = 0;
      batch.leaseUntil = Instant.MIN;
    }
  }

  /**
   * Re-forms a batch into parts that cover it, in order: all the engine asks for (halves after a
   * 413 or a whole-batch refusal). The simulated server refuses nothing outright, so this is here
   * for the contract's sake.
   */
  @Override
  public List<Claim> reform(Claim claim, List<List<Reading>> parts) {
    Batch batch = held(claim);
    long expected = batch.from;
    List<Batch> formed = new ArrayList<>();
    for (List<Reading> part : parts) {
      long first = part.get(0).id();
      long last = part.get(part.size() - 1).id();
      if (first != expected || last - first + 1 != part.size()) {
        throw new UnsupportedOperationException("the simulated queue re-forms a batch only into "
            + "consecutive parts that cover it: " + claim);
      }
      formed.add(new Batch(++batches, first, last + 1));
      expected = last + 1;
    }
    if (expected != batch.to) {
      throw new UnsupportedOperationException("the parts do not cover " + claim);
    }
    journal.remove(batch);
    Instant now = clock.instant();
    List<Claim> claims = new ArrayList<>();
    for (Batch part : formed) {
      journal.add(part);
      claims.add(hold(part, now, false));
    }
    return claims;
  }

  @Override
  public Map<String, Instant> renew(Collection<Claim> claims) {
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
  public long pendingCount() {
    return produced() - settled - quarantined;
  }

  @Override
  public Optional<Instant> oldestPendingTimestamp() {
    long lowest = lowestUnsettled();
    return lowest > produced() ? Optional.empty() : Optional.of(reading(lowest).timestamp());
  }

  @Override
  public int recoverClaims() {
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
    long number = Long.parseLong(claim.key().substring(0, claim.key().indexOf(':')));
    for (Iterator<Batch> it = journal.iterator(); it.hasNext(); ) {
      Batch b = it.next();
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

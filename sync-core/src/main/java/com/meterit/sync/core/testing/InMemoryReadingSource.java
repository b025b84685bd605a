package com.meterit.sync.core.testing;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A {@link ReadingSource} in memory, with a batch journal and leases, for tests and examples.
 * It keeps the full contract (batches come back whole until settled, settlement is atomic,
 * a lapsed lease lets the next claim take the batch over), but nothing survives the process, so
 * it is no queue for production. A restart is simulated by a new manager on the same source.
 * Thread-safe.
 */
public final class InMemoryReadingSource implements ReadingSource {
  /** The default lease of a claim: 5 minutes. */
  public static final Duration DEFAULT_LEASE = Duration.ofMinutes(5);

  private enum Status { PENDING, CLAIMED, SYNCED, QUARANTINED }

  private static final class Entry {
    final Reading reading;
    Status status = Status.PENDING;
    String reason;

    Entry(Reading reading) {
      this.reading = reading;
    }
  }

  /** A journaled batch; {@code token} names the claim that holds it, 0 when none does. */
  private static final class Batch {
    final long id;
    final List<Long> readingIds;
    long token;
    Instant leaseUntil = Instant.MIN;

    Batch(long id, List<Long> readingIds) {
      this.id = id;
      this.readingIds = readingIds;
    }
  }

  private final Clock clock;
  private final Duration lease;
  private final TreeMap<Long, Entry> entries = new TreeMap<>();
  private final TreeMap<Long, Batch> journal = new TreeMap<>();
  private long nextId = 1;
  private long nextBatchId = 1;
  private long nextToken = 1;
  private RuntimeException nextSettleFailure;

  /** A source on the system clock with the {@link #DEFAULT_LEASE}. */
  public InMemoryReadingSource() {
    this(Clock.systemUTC(), DEFAULT_LEASE);
  }

  /**
   * @param clock decides when leases lapse
   * @param lease how long a claim holds its batch unless renewed
   */
  public InMemoryReadingSource(Clock clock, Duration lease) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.lease = Objects.requireNonNull(lease, "lease");
  }

  /** Queues a new reading and returns it with its id. */
  public synchronized Reading add(String meterId, Instant timestamp, BigDecimal value, String unit) {
    Reading reading = Reading.of(nextId++, meterId, timestamp, value, unit);
    entries.put(reading.id(), new Entry(reading));
    return reading;
  }

  /** Queues {@code count} readings of a fictitious meter park, and returns them. */
  public synchronized List<Reading> addSample(int count) {
    List<Reading> added = new ArrayList<>(count);
    Instant start = Instant.parse("2026-01-01T00:00:00Z");
    for (int i = 0; i < count; i++) {
      added.add(add("meter-" + (i % 1000), start.plus(Duration.ofMinutes(15L * (i / 1000))),
          new BigDecimal(i).movePointLeft(3).add(BigDecimal.valueOf(1000)), "kWh"));
    }
    return added;
  }

  /**
   * Makes the next {@link #settle} throw {@code failure} and change nothing, as a database
   * outage would.
   */
  public synchronized void failNextSettle(RuntimeException failure) {
    this.nextSettleFailure = failure;
  }

  @Override
  public synchronized Claim claim(int maxReadings) {
    if (maxReadings < 1) {
      throw new IllegalArgumentException("maxReadings must be at least 1: " + maxReadings);
    }
    Instant now = clock.instant();
    // Like the database sources: the free journaled batch with the oldest readings first.
    Batch free = null;
    for (Batch batch : journal.values()) {
      if (!batch.leaseUntil.isAfter(now)
          && (free == null || batch.readingIds.get(0) < free.readingIds.get(0))) {
        free = batch;
      }
    }
    if (free != null) {
      return hold(free, now, true);
    }
    List<Long> ids = new ArrayList<>();
    for (Entry e : entries.values()) {
      if (ids.size() == maxReadings) {
        break;
      }
      if (e.status == Status.PENDING) {
        e.status = Status.CLAIMED;
        ids.add(e.reading.id());
      }
    }
    if (ids.isEmpty()) {
      return Claim.empty();
    }
    Batch batch = new Batch(nextBatchId++, ids);
    journal.put(batch.id, batch);
    return hold(batch, now, false);
  }

  private Claim hold(Batch batch, Instant now, boolean resumed) {
    batch.token = nextToken++;
    batch.leaseUntil = now.plus(lease);
    List<Reading> readings = new ArrayList<>(batch.readingIds.size());
    batch.readingIds.forEach(id -> readings.add(entries.get(id).reading));
    return new Claim(batch.id + ":" + batch.token, readings, batch.leaseUntil, resumed);
  }

  @Override
  public synchronized void settle(Claim claim, List<Rejection> rejected) {
    Batch batch = held(claim);
    if (nextSettleFailure != null) {
      RuntimeException failure = nextSettleFailure;
      nextSettleFailure = null;
      throw failure;
    }
    Map<Long, String> reasons = new HashMap<>();
    for (Rejection r : rejected) {
      if (!batch.readingIds.contains(r.readingId())) {
        throw new IllegalArgumentException("reading " + r.readingId() + " is not in " + claim);
      }
      reasons.put(r.readingId(), r.reason());
    }
    for (Long id : batch.readingIds) {
      Entry e = entries.get(id);
      e.reason = reasons.get(id);
      e.status = e.reason == null ? Status.SYNCED : Status.QUARANTINED;
    }
    journal.remove(batch.id);
  }

  @Override
  public synchronized void release(Claim claim) {
    Batch batch = journal.get(batchId(claim));
    if (batch != null && batch.token == token(claim)) {
      unhold(batch);
    }
  }

  private static void unhold(Batch batch) {
    batch.token = 0;
    batch.leaseUntil = Instant.MIN;
  }

  @Override
  public synchronized List<Claim> reform(Claim claim, List<List<Reading>> parts) {
    Batch batch = held(claim);
    List<Long> left = new ArrayList<>(batch.readingIds);
    List<Batch> formed = new ArrayList<>();
    for (List<Reading> part : parts) {
      List<Long> ids = new ArrayList<>();
      for (Reading r : part) {
        if (!left.remove(r.id())) {
          throw new IllegalArgumentException("reading " + r.id() + " is not in " + claim
              + " or is in two parts");
        }
        ids.add(r.id());
      }
      formed.add(new Batch(nextBatchId++, ids));
    }
    journal.remove(batch.id);
    left.forEach(id -> entries.get(id).status = Status.PENDING);
    Instant now = clock.instant();
    List<Claim> claims = new ArrayList<>();
    for (Batch part : formed) {
      journal.put(part.id, part);
      claims.add(hold(part, now, false));
    }
    return claims;
  }

  @Override
  public synchronized Map<String, Instant> renew(Collection<Claim> claims) {
    Instant until = clock.instant().plus(lease);
    Map<String, Instant> held = new HashMap<>();
    for (Claim claim : claims) {
      Batch batch = journal.get(batchId(claim));
      if (batch != null && batch.token == token(claim)) {
        batch.leaseUntil = until;
        held.put(claim.key(), until);
      }
    }
    return held;
  }

  private Batch held(Claim claim) {
    Batch batch = journal.get(batchId(claim));
    if (batch == null || batch.token != token(claim)) {
      throw new LeaseLostException("batch " + claim.batch().batchId() + " is no longer held by "
          + claim.key());
    }
    return batch;
  }

  private static long batchId(Claim claim) {
    return Long.parseLong(claim.key().substring(0, claim.key().indexOf(':')));
  }

  private static long token(Claim claim) {
    return Long.parseLong(claim.key().substring(claim.key().indexOf(':') + 1));
  }

  @Override
  public synchronized long pendingCount() {
    return entries.values().stream()
        .filter(e -> e.status == Status.PENDING || e.status == Status.CLAIMED)
        .count();
  }

  @Override
  public synchronized Optional<Instant> oldestPendingTimestamp() {
    return entries.values().stream()
        .filter(e -> e.status == Status.PENDING || e.status == Status.CLAIMED)
        .map(e -> e.reading.timestamp())
        .min(Instant::compareTo);
  }

  /** Gives back every held batch: one process owns this source, as one owns an embedded file. */
  @Override
  public synchronized int recoverClaims() {
    int released = 0;
    for (Batch batch : journal.values()) {
      if (batch.token != 0) {
        unhold(batch);
        released++;
      }
    }
    return released;
  }

  /** The number of readings in journaled batches, held or not. */
  public synchronized long claimedCount() {
    return entries.values().stream().filter(e -> e.status == Status.CLAIMED).count();
  }

  /** The number of journaled batches that a claim holds now. */
  public synchronized int heldBatches() {
    return (int) journal.values().stream().filter(b -> b.token != 0).count();
  }

  /** The number of journaled batches, held or not. */
  public synchronized int journaledBatches() {
    return journal.size();
  }

  /** The ids of the acknowledged readings, in id order. */
  public synchronized List<Long> syncedIds() {
    List<Long> ids = new ArrayList<>();
    entries.forEach((id, e) -> {
      if (e.status == Status.SYNCED) {
        ids.add(id);
      }
    });
    return ids;
  }

  /** The quarantined readings' ids and reasons, in id order. */
  public synchronized Map<Long, String> quarantined() {
    Map<Long, String> reasons = new LinkedHashMap<>();
    entries.forEach((id, e) -> {
      if (e.status == Status.QUARANTINED) {
        reasons.put(id, e.reason);
      }
    });
    return reasons;
  }

  /** Every reading ever added, in id order. */
  public synchronized List<Reading> all() {
    List<Reading> all = new ArrayList<>();
    entries.values().forEach(e -> all.add(e.reading));
    return all;
  }
}

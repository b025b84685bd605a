package com.meterit.sync.core.testing;

import com.meterit.sync.api.Claim;
import com.meterit.sync.api.Reading;
import com.meterit.sync.api.ReadingSource;
import com.meterit.sync.api.ReadingSourceException;
import com.meterit.sync.api.Rejection;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A {@link ReadingSource} in memory, with leases, for tests and examples. Nothing survives the
 * process, so it is no queue for production. Thread-safe.
 */
public final class InMemoryReadingSource implements ReadingSource {
  /** The default lease of a claim: 5 minutes. */
  public static final Duration DEFAULT_LEASE = Duration.ofMinutes(5);

  private enum Status { PENDING, CLAIMED, SYNCED, QUARANTINED }

  private static final class Entry {
    final Reading reading;
    Status status = Status.PENDING;
    Instant leaseUntil;
    String reason;

    Entry(Reading reading) {
      this.reading = reading;
    }
  }

  private final Clock clock;
  private final Duration lease;
  private final TreeMap<Long, Entry> entries = new TreeMap<>();
  private long nextId = 1;
  private RuntimeException nextAcknowledgeFailure;

  /** A source on the system clock with the {@link #DEFAULT_LEASE}. */
  public InMemoryReadingSource() {
    this(Clock.systemUTC(), DEFAULT_LEASE);
  }

  /**
   * @param clock decides when leases expire
   * @param lease how long a claim holds its readings
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

  /** Makes the next {@link #acknowledge} throw {@code failure}, as a database outage would. */
  public synchronized void failNextAcknowledge(RuntimeException failure) {
    this.nextAcknowledgeFailure = failure;
  }

  @Override
  public synchronized Claim claim(int maxReadings) {
    if (maxReadings < 1) {
      throw new IllegalArgumentException("maxReadings must be at least 1: " + maxReadings);
    }
    Instant now = clock.instant();
    Instant until = now.plus(lease);
    List<Reading> claimed = new ArrayList<>();
    for (Entry e : entries.values()) {
      if (claimed.size() == maxReadings) {
        break;
      }
      boolean expired = e.status == Status.CLAIMED && !e.leaseUntil.isAfter(now);
      if (e.status == Status.PENDING || expired) {
        e.status = Status.CLAIMED;
        e.leaseUntil = until;
        claimed.add(e.reading);
      }
    }
    return new Claim(claimed, until);
  }

  @Override
  public synchronized void acknowledge(Collection<Long> readingIds) {
    if (nextAcknowledgeFailure != null) {
      RuntimeException failure = nextAcknowledgeFailure;
      nextAcknowledgeFailure = null;
      throw failure;
    }
    for (Long id : readingIds) {
      entry(id).status = Status.SYNCED;
    }
  }

  @Override
  public synchronized void quarantine(Collection<Rejection> rejections) {
    for (Rejection r : rejections) {
      Entry e = entry(r.readingId());
      e.status = Status.QUARANTINED;
      e.reason = r.reason();
    }
  }

  @Override
  public synchronized void release(Collection<Long> readingIds) {
    for (Long id : readingIds) {
      Entry e = entry(id);
      if (e.status == Status.CLAIMED) {
        e.status = Status.PENDING;
        e.leaseUntil = null;
      }
    }
  }

  private Entry entry(long id) {
    Entry e = entries.get(id);
    if (e == null) {
      throw new ReadingSourceException("no reading with id " + id, null);
    }
    return e;
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

  @Override
  public synchronized int recoverClaims() {
    int released = 0;
    for (Entry e : entries.values()) {
      if (e.status == Status.CLAIMED) {
        e.status = Status.PENDING;
        e.leaseUntil = null;
        released++;
      }
    }
    return released;
  }

  /** The number of readings currently claimed. */
  public synchronized long claimedCount() {
    return entries.values().stream().filter(e -> e.status == Status.CLAIMED).count();
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

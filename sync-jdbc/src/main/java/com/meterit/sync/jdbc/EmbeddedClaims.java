package com.meterit.sync.jdbc;

import com.meterit.sync.api.Claim;
import com.meterit.sync.api.PendingCount;
import com.meterit.sync.api.Reading;
import com.meterit.sync.api.Rejection;
import com.meterit.sync.jdbc.EmbeddedHolds.Held;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * H2 and SQLite: one gateway process drains the embedded file, so batches are held in that
 * process. Forming a batch is one indexed read from the low-water mark and one small journal
 * INSERT, in one transaction; rows stay PENDING in the table, and {@link QueueFloor} keeps the
 * journaled ids out of new batches. A hold is a token and a lease end in memory ({@link
 * EmbeddedHolds}); a lapsed hold leaves its batch journaled and un-held, and the next claim returns
 * it. At first use the journal is loaded (an embedded database has one owner), so a restart sends every batch an
 * earlier process formed, unchanged, before any new one.
 *
 * <p>Lock order: the claims lock first, then a connection, never the other way round; paths that
 * need both (claiming, the queue floor, work through {@link #withQueue}) take the lock, then
 * borrow. Settling and re-forming mark their batch busy under the lock, release it, and only
 * then borrow a connection. No path borrows a second connection while holding one.
 *
 * <p>Holds and the look for late-committed rows are timed on monotonic time, since no other
 * process judges them: on the wall clock, a step forward lapsed every hold at once (a batch in
 * flight was handed out again) and a step back kept an abandoned batch, or a late reading, waiting
 * a day. The lease ends a claim reports, and the one written to the journal row, stay wall-clock
 * stamps.
 */
final class EmbeddedClaims implements ClaimModel, QueueGuard {
  /** The most a late-committed reading waits below the floor, unless the lease is shorter. */
  private static final long RESCAN_MILLIS = 10_000;

  private static final Logger log = LoggerFactory.getLogger(EmbeddedClaims.class);

  private final Jdbc jdbc;
  private final QueueRows queue;
  private final Statements sql;
  private final Journal journal;
  private final Clock clock;
  private final LongSupplier ticker;
  private final long leaseMillis;
  private final long leaseNanos;
  private final String worker;
  private final Object lock = new Object();
  private final QueueFloor local = new QueueFloor();
  private final EmbeddedHolds holds = new EmbeddedHolds();
  private boolean journalLoaded;
  /** This process's claim on the file, taken before the journal is loaded; null until then. */
  private DrainerLock drainer;
  /** When, on the ticker, an empty claim may walk the table again for late-committed rows. */
  private long nextRescanAt;

  /**
   * @param clock stamps the lease ends a claim reports and the journal keeps
   * @param ticker monotonic nanoseconds, on which holds and the rescan are timed
   */
  EmbeddedClaims(Jdbc jdbc, QueueRows queue, Journal journal, Clock clock, LongSupplier ticker,
      long leaseMillis, String worker) {
    this.jdbc = jdbc;
    this.queue = queue;
    this.sql = queue.sql;
    this.journal = journal;
    this.clock = clock;
    this.ticker = ticker;
    this.nextRescanAt = ticker.getAsLong();
    this.leaseMillis = leaseMillis;
    this.leaseNanos = TimeUnit.MILLISECONDS.toNanos(leaseMillis);
    this.worker = worker;
  }

  @Override
  public Claim claim(int max, List<Rejection> poisoned) {
    synchronized (lock) {
      long now = clock.millis();
      if (!journalLoaded) {
        jdbc.inTransaction("loading the batch journal", this::loadJournal);
      }
      long tick = ticker.getAsLong();
      holds.expireLapsed(tick);
      for (Held next = holds.nextUnheld(tick); next != null; next = holds.nextUnheld(tick)) {
        Claim resumed = resume(next, now, tick);
        if (resumed != null) {
          return resumed;
        }
      }
      while (true) {
        int found = poisoned.size();
        Claim claim = claimNew(max, now, tick, poisoned);
        if (claim.isEmpty() && poisoned.size() == found && tick - nextRescanAt >= 0) {
          // The queue looks drained. A writer that committed after a higher id was read leaves
          // rows below the floor; look for them, but not on every empty claim, since it walks
          // the table.
          nextRescanAt = tick + rescanNanos();
          long lowest = jdbc.inTransaction("finding the lowest pending reading", queue::lowestPending);
          if (lowest < local.floor()) {
            local.returned(lowest);
            claim = claimNew(max, now, tick, poisoned);
          }
        }
        if (!claim.isEmpty() || poisoned.size() == found) {
          return claim;
        }
      }
    }
  }

  /**
   * How long a late-committed reading may wait below the floor at most: ten seconds, or the
   * lease when that is shorter. An idle queue is claimed once a run, so this costs at most one
   * walk of the table per run.
   */
  private long rescanNanos() {
    return TimeUnit.MILLISECONDS.toNanos(Math.min(leaseMillis, RESCAN_MILLIS));
  }

  /** Holds the lock. */
  private Void loadJournal(Connection c) throws SQLException {
    if (drainer == null) {
      // Before the journal: no other process may form batches of this table beside this one.
      drainer = DrainerLock.take(c, sql.dialect, sql.rawTable);
    }
    knowLowWater(c);
    List<Journal.Batch> all = journal.all(c);
    for (Journal.Batch batch : all) {
      holds.add(new Held(batch));
      local.journaled(batch.ranges);
    }
    journalLoaded = true;
    if (!all.isEmpty()) {
      log.info("{} journaled batch(es) from an earlier run will be sent again first", all.size());
    }
    return null;
  }

  /**
   * Holds the lock.
   *
   * @return the claim, or null when the batch had nothing left to send or was set
   * aside
   */
  private Claim resume(Held held, long now, long tick) {
    List<Rejection> bad = new ArrayList<>();
    List<Reading> readings = jdbc.inTransaction("reading a journaled batch back", c -> {
      bad.clear();
      queue.beginWrite(c, journal);
      List<Reading> read = queue.readBatch(c, held.batch, Statements.PENDING, bad);
      if (read.isEmpty() && bad.isEmpty()) {
        journal.deleteHeld(c, held.batch.id, held.batch.token);
      }
      return read;
    });
    if (!bad.isEmpty()) {
      held.setAside(tick + leaseNanos);
      QueueRows.setAside(held.batch, bad);
      return null;
    }
    if (readings.isEmpty()) {
      holds.remove(held);
      local.settled(held.batch.ranges);
      log.error("Journaled {} has no pending readings left in {}; dropped from the journal",
          held.batch, sql.rawTable);
      return null;
    }
    held.token = Journal.newId();
    held.leaseUntil = tick + leaseNanos;
    Claim claim = new Claim(Journal.key(held.batch.id, held.token), readings,
        Instant.ofEpochMilli(now + leaseMillis), true);
    QueueRows.checkDigest(held.batch, claim);
    return claim;
  }

  /** Forms a batch of unclaimed pending rows from the floor up, journaled. Holds the lock. */
  private Claim claimNew(int max, long now, long tick, List<Rejection> poisoned) {
    long[] taken = {0, 0, 0, 0};  // count, first id, last id, floor
    long rowId = Journal.newId();
    long token = Journal.newId();
    List<Rejection> bad = new ArrayList<>();
    Journal.Batch[] journaled = {null};
    Claim claim = jdbc.inTransaction("claiming readings", c -> {
      queue.beginWrite(c, journal);
      knowLowWater(c);
      long floor = local.floor();
      taken[3] = floor;
      int skip = local.excludedFrom(floor);
      List<Reading> readings = new ArrayList<>(Math.min(max, 10_000));
      try (PreparedStatement select = c.prepareStatement(
          sql.pendingFrom(queue.rows.columns(c, "")))) {
        select.setFetchSize(Math.min(max + skip, 1000));
        select.setLong(1, floor);
        select.setInt(2, max + skip);
        try (ResultSet rs = select.executeQuery()) {
          queue.rows.read(rs, id -> {
            if (local.isExcluded(id) || taken[0] == max) {
              return false;
            }
            if (taken[0]++ == 0) {
              taken[1] = id;
            }
            taken[2] = id;
            return true;
          }, readings, bad);
        }
      }
      queue.quarantine(c, bad);
      if (readings.isEmpty()) {
        return Claim.empty();
      }
      Claim formed = new Claim(Journal.key(rowId, token), readings,
          Instant.ofEpochMilli(now + leaseMillis), false);
      journaled[0] = new Journal.Batch(rowId, formed.batch().batchId(), worker, token,
          IdRangeCodec.ofReadings(readings), readings.size());
      journal.insert(c, journaled[0], now + leaseMillis, now);
      return formed;
    });
    poisoned.addAll(bad);
    local.claimed(claim.isEmpty() ? List.of() : journaled[0].ranges, taken[3], (int) taken[0],
        max, taken[1], taken[2]);
    if (!claim.isEmpty()) {
      Held held = new Held(journaled[0]);
      held.token = token;
      held.leaseUntil = tick + leaseNanos;
      holds.add(held);
    }
    return claim;
  }

  /** Computes the low-water mark with one scan, the first time it is needed. Holds the lock. */
  private void knowLowWater(Connection c) throws SQLException {
    if (!local.lowWaterKnown()) {
      local.setLowWater(queue.lowestPending(c));
      nextRescanAt = ticker.getAsLong() + rescanNanos();
    }
  }

  /** Marks the claim's batch busy. @throws LeaseLostException when the claim does not hold it */
  private Held hold(Claim claim) {
    synchronized (lock) {
      return holds.markBusy(claim);
    }
  }

  @Override
  public void settle(Claim claim, List<Rejection> rejected) {
    Held held = hold(claim);
    long now = clock.millis();
    boolean settled = false;
    try {
      jdbc.inTransaction("settling a batch", c -> {
        if (!journal.deleteHeld(c, held.batch.id, held.batch.token)) {
          throw new IllegalStateException("the journal row of " + held.batch + " is missing");
        }
        queue.settle(c, claim, rejected, now);
        return null;
      });
      settled = true;
    } finally {
      synchronized (lock) {
        held.busy = false;
        if (settled) {
          holds.remove(held);
          local.settled(held.batch.ranges);
        }
      }
    }
  }

  @Override
  public void release(Claim claim) {
    if (claim.isEmpty()) {
      return;
    }
    long[] key = Journal.parseKey(claim);
    Journal.Batch batch;
    synchronized (lock) {
      Held held = holds.heldBy(key);
      if (held == null) {
        return;
      }
      held.token = 0;
      batch = held.batch;
    }
    jdbc.inTransaction("counting a failed attempt", c -> {
      queue.forEachRange(c, sql.countAttempts(Statements.PENDING), batch.ranges);
      return null;
    });
  }

  @Override
  public List<Claim> reform(Claim claim, List<List<Reading>> parts) {
    List<List<Reading>> checked = ClaimModel.checkParts(claim, parts);
    Held held = hold(claim);
    long now = clock.millis();
    long tick = ticker.getAsLong();
    List<Held> formed = new ArrayList<>(checked.size());
    List<Claim> claims = new ArrayList<>(checked.size());
    boolean done = false;
    try {
      jdbc.inTransaction("re-forming a batch", c -> {
        if (!journal.deleteHeld(c, held.batch.id, held.batch.token)) {
          throw new IllegalStateException("the journal row of " + held.batch + " is missing");
        }
        for (List<Reading> part : checked) {
          long rowId = Journal.newId();
          long token = Journal.newId();
          Claim partClaim = new Claim(Journal.key(rowId, token), part,
              Instant.ofEpochMilli(now + leaseMillis), false);
          Held partHeld = new Held(new Journal.Batch(rowId, partClaim.batch().batchId(), worker,
              token, IdRangeCodec.ofReadings(part), part.size()));
          partHeld.token = token;
          partHeld.leaseUntil = tick + leaseNanos;
          journal.insert(c, partHeld.batch, now + leaseMillis, now);
          formed.add(partHeld);
          claims.add(partClaim);
        }
        return null;
      });
      done = true;
    } finally {
      synchronized (lock) {
        held.busy = false;
        if (done) {
          holds.remove(held);
          List<long[]> kept = new ArrayList<>();
          for (Held part : formed) {
            holds.add(part);
            kept.addAll(part.batch.ranges);
          }
          // The journaled ranges, not the claim's readings: a row quarantined when the batch
          // resumed is in the first and not the second, and must not stay excluded for good.
          local.reformed(held.batch.ranges, kept);
        }
      }
    }
    return claims;
  }

  @Override
  public Map<String, Instant> renew(Collection<Claim> claims) {
    synchronized (lock) {
      return holds.renew(claims, ticker.getAsLong() + leaseNanos,
          Instant.ofEpochMilli(clock.millis() + leaseMillis));
    }
  }

  @Override
  public int recoverClaims() {
    // Holds of an earlier process lived in its memory; its journal is loaded at first use.
    return 0;
  }

  /** The low-water mark, computed first if need be: the lock, then a connection. */
  private long floor() {
    synchronized (lock) {
      if (!local.lowWaterKnown()) {
        jdbc.inTransaction("finding the lowest pending reading", c -> {
          knowLowWater(c);
          return null;
        });
      }
      return local.lowWater();
    }
  }

  @Override
  public long pendingCount() {
    // Journaled readings are PENDING in the table, so they are counted.
    long floor = floor();
    return jdbc.inTransaction("counting pending readings",
        c -> queue.count(c, Statements.PENDING, floor));
  }

  @Override
  public PendingCount pendingCount(long exactUpTo) {
    synchronized (lock) {
      return jdbc.inTransaction("counting pending readings", c -> {
        knowLowWater(c);
        return queue.boundedCount(c, local.countFrom(), 0, exactUpTo);
      });
    }
  }

  @Override
  public Optional<Instant> oldestPendingTimestamp() {
    // From where the bounded count starts, not the low-water mark: the heartbeat reads this,
    // and from the mark it would walk every row a pipelined drain synced.
    synchronized (lock) {
      return jdbc.inTransaction("reading the oldest pending reading", c -> {
        knowLowWater(c);
        return queue.oldest(c, Statements.PENDING, local.countFrom());
      });
    }
  }

  @Override
  public <T> T withQueue(String what, QueueWork<T> work) {
    synchronized (lock) {
      return jdbc.inTransaction(what, c -> {
        knowLowWater(c);
        return work.run(c, local.lowWater());
      });
    }
  }

  @Override
  public String notInFlight() {
    return journal.notJournaled(sql.idColumn);
  }

  @Override
  public void requeued(long fromId) {
    synchronized (lock) {
      local.returned(fromId);
    }
  }

  @Override
  public void reanchor() {
    synchronized (lock) {
      long lowest = jdbc.inTransaction("finding the lowest pending reading", queue::lowestPending);
      local.lowerLowWater(lowest);
    }
  }

  @Override
  public void close() {
    synchronized (lock) {
      if (drainer != null) {
        drainer.release();
        drainer = null;
      }
    }
  }

  @Override
  public String toString() {
    return "EmbeddedClaims{worker=" + worker + '}';
  }
}

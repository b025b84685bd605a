package com.meterit.sync.jdbc;

import com.meterit.sync.api.Claim;
import com.meterit.sync.api.LeaseLostException;
import com.meterit.sync.api.NextClaimFailedException;
import com.meterit.sync.api.PendingCount;
import com.meterit.sync.api.Reading;
import com.meterit.sync.api.Rejection;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL: batches held under leases in the journal, so that any number of workers, in
 * threads, processes or machines, drain one table together.
 *
 * <p>A new batch is claimed with {@code FOR UPDATE SKIP LOCKED}: its rows become CLAIMED and its
 * journal row, with this worker's id, a fresh token and the lease end, is written in the same
 * transaction. The lease lives only in the journal row, and the database's clock judges it, so
 * workers whose clocks disagree still agree on who holds what. Before forming a new batch, a
 * worker takes over the journaled batch whose lease lapsed or that was given back (lowest first
 * id first), and sends it unchanged. That look runs at the first claim, after this source gave
 * something back, and otherwise at most every quarter lease: a lease cannot lapse sooner. The
 * quarter is timed on monotonic time: on the wall clock, a step back of a day stopped the look for
 * a day, and a dead worker's batches waited that long.
 *
 * <p>Settling deletes the journal row only if the claim's token still holds it, in the
 * transaction that marks the readings; a worker whose batch was taken over changes nothing.
 */
final class TableLeases implements ClaimModel, QueueGuard {
  private static final Logger log = LoggerFactory.getLogger(TableLeases.class);

  private final Jdbc jdbc;
  private final QueueRows queue;
  private final Statements sql;
  private final Journal journal;
  private final Clock clock;
  private final LongSupplier ticker;
  private final long leaseMillis;
  private final String worker;
  /** Whether the next claim looks for lapsed or given-back batches whatever the time. */
  private volatile boolean lookNow = true;
  /** When to look for lapsed batches again, on the ticker, unless {@link #lookNow}. */
  private volatile long nextTakeoverAt;
  /**
   * Where this worker's next claim starts its index scan. Below it, rows are claimed or settled
   * (readings freed by a re-formed batch or re-queued lower it); a short claim resets it to 0.
   */
  private long sharedScanFrom;

  /**
   * @param clock stamps the lease ends a claim reports (the database's clock judges them)
   * @param ticker monotonic nanoseconds, on which the look for lapsed batches is timed
   */
  TableLeases(Jdbc jdbc, QueueRows queue, Journal journal, Clock clock, LongSupplier ticker,
      long leaseMillis, String worker) {
    this.jdbc = jdbc;
    this.queue = queue;
    this.sql = queue.sql;
    this.journal = journal;
    this.clock = clock;
    this.ticker = ticker;
    this.leaseMillis = leaseMillis;
    this.worker = worker;
  }

  @Override
  public Claim claim(int max, List<Rejection> poisoned) {
    // The local time before the statement: the database's lease ends later, never sooner.
    long now = clock.millis();
    long tick = ticker.getAsLong();
    if (takeoverDue(tick)) {
      // Cleared before the look, so that a batch given back meanwhile is looked for again.
      lookNow = false;
      boolean lookAgain = true;
      try {
        Claim resumed = takeOver(now);
        if (resumed != null) {
          return resumed;
        }
        nextTakeoverAt = tick + TimeUnit.MILLISECONDS.toNanos(Math.max(1000, leaseMillis / 4));
        lookAgain = false;
      } finally {
        if (lookAgain) {
          lookNow = true;
        }
      }
    }
    while (true) {
      int found = poisoned.size();
      long from = scanFrom();
      Claim claim = claimFrom(from, max, now, poisoned);
      if (claim.isEmpty() && poisoned.size() == found && from > 0) {
        // Nothing above where this worker reads: look once from the start before saying drained.
        claim = claimFrom(0, max, now, poisoned);
      }
      if (!claim.isEmpty() || poisoned.size() == found) {
        return claim;
      }
    }
  }

  private boolean takeoverDue(long tick) {
    return lookNow || tick - nextTakeoverAt >= 0;
  }

  private Claim takeOver(long now) {
    while (true) {
      long token = Journal.newId();
      Object[] taken = jdbc.inTransaction("taking over a journaled batch", c -> {
        Journal.Batch batch = journal.takeOver(c, worker, token, leaseMillis);
        if (batch == null) {
          return null;
        }
        List<Rejection> bad = new ArrayList<>();
        List<Reading> readings = queue.readBatch(c, batch, Statements.CLAIMED, bad);
        if (!bad.isEmpty()) {
          // Taken over and not sent: this worker's lease keeps it aside until it lapses.
          return new Object[] {batch, readings, bad};
        }
        if (readings.isEmpty()) {
          journal.deleteHeld(c, batch.id, token);
        } else {
          queue.forEachRange(c, sql.countAttempts(Statements.CLAIMED), batch.ranges);
        }
        return new Object[] {batch, readings, bad};
      });
      if (taken == null) {
        return null;
      }
      Journal.Batch batch = (Journal.Batch) taken[0];
      @SuppressWarnings("unchecked")
      List<Reading> readings = (List<Reading>) taken[1];
      @SuppressWarnings("unchecked")
      List<Rejection> bad = (List<Rejection>) taken[2];
      if (!bad.isEmpty()) {
        QueueRows.setAside(batch, bad);
        continue;
      }
      if (readings.isEmpty()) {
        log.error("Journaled {} has no pending readings left in {}; dropped from the journal",
            batch, sql.rawTable);
        continue;
      }
      Claim claim = new Claim(batch.key(), readings, Instant.ofEpochMilli(now + leaseMillis), true);
      QueueRows.checkDigest(batch, claim);
      log.info("Took over journaled {} ({} readings) to send it again unchanged", batch,
          readings.size());
      return claim;
    }
  }

  private Claim claimFrom(long from, int max, long now, List<Rejection> poisoned) {
    List<Rejection> bad = new ArrayList<>();
    Object[] result = jdbc.inTransaction("claiming readings", c -> form(c, from, max, now, bad));
    return formed(result, from, max, bad, poisoned);
  }

  /**
   * One transaction, one commit: settles the batch and forms the next from where this worker
   * reads. A look for lapsed batches that is due goes the two-transaction way, and so does a
   * claim that came back empty (the queue's end is near, or every row found was poisoned), so
   * that the order in which batches are handed out, and the end of the queue, stay those of
   * {@link #claim}.
   */
  @Override
  public Claim settleAndClaim(Claim claim, List<Rejection> rejected, int max,
      List<Rejection> poisoned) {
    long now = clock.millis();
    if (takeoverDue(ticker.getAsLong())) {
      settle(claim, rejected);
      return NextClaimFailedException.afterSettling(() -> claim(max, poisoned));
    }
    long[] key = Journal.parseKey(claim);
    long from = scanFrom();
    List<Rejection> bad = new ArrayList<>();
    Object[] result = jdbc.inTransaction("settling a batch and claiming the next", c -> {
      if (!journal.deleteHeld(c, key[0], key[1])) {
        throw lost(claim);
      }
      queue.settle(c, claim, rejected, now);
      return form(c, from, max, now, bad);
    });
    Claim next = formed(result, from, max, bad, poisoned);
    // Empty, because the queue's end is near or every row found was poisoned: claim() looks on,
    // and from the start, before it says the queue is drained.
    return next.isEmpty()
        ? NextClaimFailedException.afterSettling(() -> claim(max, poisoned))
        : next;
  }

  /** After a claim's transaction: the scan start moves, poisoned rows are reported. */
  private Claim formed(Object[] result, long from, int max, List<Rejection> bad,
      List<Rejection> poisoned) {
    poisoned.addAll(bad);
    Claim claim = (Claim) result[0];
    if (claim.size() + bad.size() < max) {
      // Short: look from the start next time, for rows other workers gave back or writers
      // committed late below where this worker has been reading.
      lowerScan(0);
    } else if (!claim.isEmpty()) {
      raiseScan(from, (Long) result[1]);
    }
    return claim;
  }

  /** Forms and journals a batch of pending rows from {@code from}, in the caller's transaction. */
  private Object[] form(Connection c, long from, int max, long now, List<Rejection> bad)
    throws SQLException {
    long rowId = Journal.newId();
    long token = Journal.newId();
    List<Reading> readings = new ArrayList<>(Math.min(max, 10_000));
    try (PreparedStatement claim = c.prepareStatement(
        sql.claimReturning(queue.rows.columns(c, "r.")))) {
      claim.setLong(1, from);
      claim.setInt(2, max);
      try (ResultSet rs = claim.executeQuery()) {
        queue.rows.read(rs, id -> true, readings, bad);
      }
    }
    queue.quarantine(c, bad);
    if (readings.isEmpty()) {
      return new Object[] {Claim.empty(), 0};
    }
    // RETURNING does not keep the subquery's order; a batch is always in id order.
    readings.sort(Comparator.comparingLong(Reading::id));
    Claim claim = new Claim(Journal.key(rowId, token), readings,
        Instant.ofEpochMilli(now + leaseMillis), false);
    journal.insert(c, new Journal.Batch(rowId, claim.batch().batchId(), worker, token,
        IdRangeCodec.ofReadings(readings), readings.size()), leaseMillis, now);
    return new Object[] {claim, readings.get(0).id()};
  }

  private synchronized long scanFrom() {
    return sharedScanFrom;
  }

  private synchronized void lowerScan(long id) {
    sharedScanFrom = Math.min(sharedScanFrom, id);
  }

  /** Moves the scan start up to a claim's first row, unless it was lowered meanwhile. */
  private synchronized void raiseScan(long expected, long id) {
    if (sharedScanFrom == expected && id > sharedScanFrom) {
      sharedScanFrom = id;
    }
  }

  @Override
  public void settle(Claim claim, List<Rejection> rejected) {
    long[] key = Journal.parseKey(claim);
    long now = clock.millis();
    jdbc.inTransaction("settling a batch", c -> {
      if (!journal.deleteHeld(c, key[0], key[1])) {
        throw lost(claim);
      }
      queue.settle(c, claim, rejected, now);
      return null;
    });
  }

  private static LeaseLostException lost(Claim claim) {
    return new LeaseLostException("batch " + claim.batch().batchId() + " is no longer held by "
        + "claim " + claim.key() + ": its lease lapsed and it was taken over, or it was settled");
  }

  @Override
  public void release(Claim claim) {
    if (claim.isEmpty()) {
      return;
    }
    long[] key = Journal.parseKey(claim);
    if (jdbc.inTransaction("releasing a batch", c -> journal.release(c, key[0], key[1]))) {
      lookNow = true;
    }
  }

  @Override
  public List<Claim> reform(Claim claim, List<List<Reading>> parts) {
    long[] key = Journal.parseKey(claim);
    List<List<Reading>> checked = ClaimModel.checkParts(claim, parts);
    List<Long> left = ClaimModel.leftOut(claim, checked);
    long now = clock.millis();
    List<Claim> claims = jdbc.inTransaction("re-forming a batch", c -> {
      if (!journal.deleteHeld(c, key[0], key[1])) {
        throw lost(claim);
      }
      List<Claim> parted = new ArrayList<>(checked.size());
      for (List<Reading> part : checked) {
        long rowId = Journal.newId();
        long token = Journal.newId();
        Claim partClaim = new Claim(Journal.key(rowId, token), part,
            Instant.ofEpochMilli(now + leaseMillis), false);
        List<Long> ids = new ArrayList<>(part.size());
        part.forEach(r -> ids.add(r.id()));
        journal.insert(c, new Journal.Batch(rowId, partClaim.batch().batchId(), worker, token,
            IdRangeCodec.of(ids), part.size()), leaseMillis, now);
        parted.add(partClaim);
      }
      queue.forEachRange(c, sql.unclaimRange(), IdRangeCodec.of(left));
      return parted;
    });
    if (!left.isEmpty()) {
      lowerScan(left.get(0));
    }
    return claims;
  }

  @Override
  public Map<String, Instant> renew(Collection<Claim> claims) {
    List<Claim> live = new ArrayList<>(claims.size());
    List<long[]> keys = new ArrayList<>(claims.size());
    for (Claim claim : claims) {
      if (!claim.isEmpty()) {
        live.add(claim);
        keys.add(Journal.parseKey(claim));
      }
    }
    Map<String, Instant> held = new HashMap<>();
    if (live.isEmpty()) {
      return held;
    }
    long now = clock.millis();
    boolean[] renewed = jdbc.inTransaction("renewing leases",
        c -> journal.renew(c, keys, leaseMillis));
    for (int i = 0; i < live.size(); i++) {
      if (renewed[i]) {
        held.put(live.get(i).key(), Instant.ofEpochMilli(now + leaseMillis));
      }
    }
    return held;
  }

  @Override
  public int recoverClaims() {
    int recovered = jdbc.inTransaction("giving back this worker's batches",
        c -> journal.recover(c, worker));
    if (recovered > 0) {
      lookNow = true;
      log.info("{} batch(es) that worker {} held before a restart will be sent again first",
          recovered, worker);
    }
    return recovered;
  }

  @Override
  public long pendingCount() {
    return jdbc.inTransaction("counting pending readings",
        c -> queue.countUnsettled(c, 0));
  }

  @Override
  public PendingCount pendingCount(long exactUpTo) {
    return jdbc.inTransaction("counting pending readings", c -> {
      // Claimed readings are journaled batches: a few per worker, counted, never estimated.
      long claimed = queue.countUpTo(c, Statements.CLAIMED, 0, exactUpTo + 1);
      return queue.boundedCount(c, queue.lowestPending(c), claimed, exactUpTo);
    });
  }

  @Override
  public Optional<Instant> oldestPendingTimestamp() {
    return jdbc.inTransaction("reading the oldest pending reading", c -> {
      Optional<Instant> claimed = queue.oldest(c, Statements.CLAIMED, 0);
      Optional<Instant> pending = queue.oldest(c, Statements.PENDING, 0);
      if (claimed.isPresent() && pending.isPresent()) {
        return claimed.get().isBefore(pending.get()) ? claimed : pending;
      }
      return claimed.isPresent() ? claimed : pending;
    });
  }

  @Override
  public <T> T withQueue(String what, QueueWork<T> work) {
    return jdbc.inTransaction(what, c -> work.run(c, 0));
  }

  @Override
  public String notInFlight() {
    // Journaled readings are CLAIMED here, never PENDING.
    return "";
  }

  @Override
  public void requeued(long fromId) {
    lowerScan(fromId);
  }

  @Override
  public void reanchor() {
    // Partial indexes serve every queue query; there is no mark to re-anchor.
  }

  @Override
  public String toString() {
    return "TableLeases{worker=" + worker + '}';
  }
}

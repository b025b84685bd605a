package com.meterit.sync.jdbc;

import com.meterit.sync.api.Claim;
import com.meterit.sync.api.ConfigurationException;
import com.meterit.sync.api.Reading;
import com.meterit.sync.api.ReadingSource;
import com.meterit.sync.api.ReadingSourceException;
import com.meterit.sync.api.Rejection;
import com.meterit.sync.api.SyncListener;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongPredicate;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ReadingSource} on any {@link DataSource} to H2 2.x, PostgreSQL or SQLite: the
 * gateway's Sync Database is the queue, so nothing is lost when the link or the process goes
 * down.
 *
 * <p>Writers, in any language, fill the readings table with a plain {@code INSERT INTO
 * meter_readings (meter_id, read_at, value, unit, quality) VALUES (...)}. Acknowledging,
 * quarantining and releasing are set-based updates over id ranges, one transaction each. A row
 * that cannot be read as a valid {@link Reading} is quarantined at claim time, with what is wrong
 * with it, and the rest flows.
 *
 * <p>Claims differ by database. On PostgreSQL a claim is a lease written into the table in one
 * statement ({@code FOR UPDATE SKIP LOCKED}), so any number of workers, in threads, processes or
 * machines, can drain one table together; give each process its own
 * {@linkplain Builder#setOwner owner}, because a restarting owner takes back its own leases.
 * H2 and SQLite are embedded databases that one gateway process drains, so there a claim is held
 * in this source's memory: claiming is a single indexed read, and a crash gives every claim back
 * at once. Use one source per H2 or SQLite database.
 *
 * <p>Thread-safe.
 */
public final class JdbcReadingSource implements ReadingSource, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(JdbcReadingSource.class);

  /** The default lease of a claim: 5 minutes. A crashed claim comes back after it. */
  public static final Duration DEFAULT_LEASE = Duration.ofMinutes(5);
  /** The default owner of leases: {@value}. */
  public static final String DEFAULT_OWNER = "meter-sync";
  /** The environment variable of the JDBC URL. */
  public static final String SYNC_DB_URL = "SYNC_DB_URL";
  /** The environment variable of the database user. */
  public static final String SYNC_DB_USER = "SYNC_DB_USER";
  /** The environment variable of the database password. */
  public static final String SYNC_DB_PASSWORD = "SYNC_DB_PASSWORD";
  /** The default Sync Database: an H2 file under {@code ./data}. */
  public static final String DEFAULT_DB_URL =
      "jdbc:h2:file:./data/meter-sync;NON_KEYWORDS=VALUE;DB_CLOSE_DELAY=-1";

  private final Jdbc jdbc;
  private final Statements sql;
  private final Clock clock;
  private final Duration lease;
  private final String owner;
  private final RetentionPolicy retention;
  private final SyncListener listener;
  private final JdbcSyncHistory history;
  private final String description;
  private final PooledDataSource ownedPool;
  /** The claims of this process, on a database it owns; null where claims are leases in the table. */
  private final LocalClaims localClaims;
  private volatile long nextReapAtMillis;
  /** When an empty local claim may walk the table again for late-committed rows. */
  private long nextRescanAtMillis;
  /**
   * PostgreSQL: where this worker's next claim starts its index scan. Below it, rows are claimed,
   * settled or given back by this worker (which lowers it); a short claim resets it to 0.
   */
  private long sharedScanFrom;

  private JdbcReadingSource(Builder b, Dialect dialect) {
    this.jdbc = new Jdbc(b.dataSource);
    this.ownedPool = b.dataSource instanceof PooledDataSource ? (PooledDataSource) b.dataSource : null;
    this.localClaims = dialect.sharedClaims() ? null : new LocalClaims();
    this.sql = new Statements(dialect, b.table);
    this.clock = b.clock;
    this.lease = b.lease;
    this.owner = b.owner;
    this.retention = b.retention;
    this.listener = b.listener;
    this.history = new JdbcSyncHistory(jdbc, sql);
    this.description = "JdbcReadingSource{dialect=" + dialect + ", table=" + b.table.table
        + ", owner=" + owner + ", lease=" + lease + '}';
  }

  /** Starts building a source on {@code dataSource}, the host's own (pooled) DataSource. */
  public static Builder builder(DataSource dataSource) {
    return new Builder(dataSource);
  }

  /**
   * Starts building a source on a JDBC URL, with a small built-in connection pool that
   * {@link #close()} closes. The driver must be on the classpath.
   *
   * @param user the database user, or null
   * @param password the password, or null; never logged
   */
  public static Builder builder(String jdbcUrl, String user, String password) {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    return new Builder(new PooledDataSource(jdbcUrl, user, password));
  }

  /**
   * A source on {@code SYNC_DB_URL} (default {@link #DEFAULT_DB_URL}), {@code SYNC_DB_USER} and
   * {@code SYNC_DB_PASSWORD}, with a small built-in connection pool: the Java side of the
   * original {@code createDatabaseFromEnv}. {@code GATEWAY_ID}, when set, owns the leases, so a
   * restarted gateway takes its claims back at once. It connects once to recognize the database.
   *
   * @throws ConfigurationException naming {@code SYNC_DB_URL} when it is malformed, unsupported
   *     or unreachable
   */
  public static JdbcReadingSource fromEnv() {
    return fromEnv(System.getenv());
  }

  /** As {@link #fromEnv()}, from the given variables. */
  public static JdbcReadingSource fromEnv(Map<String, String> env) {
    String url = env.getOrDefault(SYNC_DB_URL, "").isBlank() ? DEFAULT_DB_URL : env.get(SYNC_DB_URL).trim();
    if (!url.startsWith("jdbc:")) {
      throw new ConfigurationException(SYNC_DB_URL,
          SYNC_DB_URL + " must be a JDBC URL starting with jdbc: '" + PooledDataSource.mask(url) + "'");
    }
    Builder builder = builder(url, env.get(SYNC_DB_USER), env.get(SYNC_DB_PASSWORD));
    try {
      String gatewayId = env.get("GATEWAY_ID");
      if (gatewayId != null && !gatewayId.isBlank() && gatewayId.trim().length() <= 64) {
        builder.setOwner(gatewayId.trim());
      }
      return builder.build();
    } catch (ReadingSourceException | UnsupportedDatabaseException e) {
      ((PooledDataSource) builder.dataSource).close();
      throw new ConfigurationException(SYNC_DB_URL, SYNC_DB_URL + " "
          + PooledDataSource.mask(url) + " is not usable: " + e.getMessage());
    }
  }

  /**
   * Creates the readings table, meter-sync's columns and indexes, and the history table, where
   * missing. Idempotent and versioned; safe to call on every start.
   */
  public void createSchema() {
    jdbc.inTransaction("creating the schema", c -> {
      Schema.create(c, sql);
      return null;
    });
  }

  /** The sync history kept in this database, for {@code SyncManagerBuilder.setHistory}. */
  public JdbcSyncHistory history() {
    return history;
  }

  @Override
  public Claim claim(int maxReadings) {
    if (maxReadings < 1) {
      throw new IllegalArgumentException("maxReadings must be at least 1: " + maxReadings);
    }
    long now = clock.millis();
    long leaseUntil = now + lease.toMillis();
    List<Rejection> poisoned = new ArrayList<>();
    List<Reading> readings = localClaims == null
        ? claimShared(maxReadings, now, leaseUntil, poisoned)
        : claimLocal(maxReadings, now, leaseUntil, poisoned);
    if (!poisoned.isEmpty()) {
      log.warn("Quarantined {} unreadable row(s) of {}; first: id {}: {}", poisoned.size(),
          sql.rawTable, poisoned.get(0).readingId(), poisoned.get(0).reason());
      notifyRejected(poisoned);
    }
    return new Claim(readings, Instant.ofEpochMilli(leaseUntil));
  }

  private List<Reading> claimShared(int max, long now, long leaseUntil, List<Rejection> poisoned) {
    if (now >= nextReapAtMillis) {
      reapExpiredLeases(now);
    }
    long from = sharedScanFrom;
    List<Reading> claimed = claimSharedFrom(from, max, leaseUntil, poisoned);
    if (claimed.isEmpty() && poisoned.isEmpty() && from > 0) {
      // Nothing above where this worker reads: look once from the start before saying drained.
      claimed = claimSharedFrom(0, max, leaseUntil, poisoned);
    }
    return claimed;
  }

  private List<Reading> claimSharedFrom(long from, int max, long leaseUntil,
      List<Rejection> poisoned) {
    long claimId = ThreadLocalRandom.current().nextLong();
    List<Reading> claimed = jdbc.inTransaction("claiming readings", c -> {
      List<Reading> rows = new ArrayList<>(Math.min(max, 10_000));
      try (PreparedStatement claim = c.prepareStatement(sql.claimReturning())) {
        claim.setLong(1, from);
        claim.setInt(2, max);
        claim.setLong(3, claimId);
        claim.setString(4, owner);
        claim.setLong(5, leaseUntil);
        try (ResultSet rs = claim.executeQuery()) {
          readRows(rs, rows, poisoned);
        }
      }
      if (!poisoned.isEmpty()) {
        quarantine(c, poisoned);
      }
      return rows;
    });
    // RETURNING does not keep the subquery's order.
    claimed.sort(Comparator.comparingLong(Reading::id));
    if (claimed.size() + poisoned.size() < max) {
      // Short: look from the start next time, for rows other workers gave back or writers
      // committed late below where this worker has been reading.
      lowerSharedScan(0);
    } else if (!claimed.isEmpty()) {
      raiseSharedScan(from, claimed.get(0).id());
    }
    return claimed;
  }

  private List<Reading> claimLocal(int max, long now, long leaseUntil, List<Rejection> poisoned) {
    // One claim, settlement or release at a time on this process's queue state.
    synchronized (localClaims) {
      List<Reading> claimed = claimLocalFrom(localClaims.floor(now), max, leaseUntil, poisoned);
      if (claimed.isEmpty() && poisoned.isEmpty() && now >= nextRescanAtMillis) {
        // The queue looks drained. A writer that committed after a higher id was read leaves
        // rows below the floor; look for them, at most once a lease, since it walks the table.
        nextRescanAtMillis = now + lease.toMillis();
        long lowest = jdbc.inTransaction("finding the lowest pending reading", this::scanLowWater);
        if (lowest < localClaims.floor(now)) {
          localClaims.returned(lowest);
          claimed = claimLocalFrom(localClaims.floor(now), max, leaseUntil, poisoned);
        }
      }
      return claimed;
    }
  }

  /** Claims the unclaimed pending rows from {@code floor} up. Holds the lock. */
  private List<Reading> claimLocalFrom(long floorId, int max, long leaseUntil,
      List<Rejection> poisoned) {
    long[] taken = {0, 0, 0};  // count, first id, last id
    long[] floor = {floorId};
    List<Reading> claimed = jdbc.inTransaction("claiming readings", c -> {
      if (!localClaims.lowWaterKnown()) {
        localClaims.setLowWater(scanLowWater(c));
        nextRescanAtMillis = clock.millis() + lease.toMillis();
        floor[0] = Math.max(floor[0], localClaims.lowWater());
      }
      int skip = localClaims.claimedFrom(floor[0]);
      List<Reading> rows = new ArrayList<>(Math.min(max, 10_000));
      try (PreparedStatement select = c.prepareStatement(sql.pendingFrom())) {
        select.setFetchSize(Math.min(max + skip, 1000));
        select.setLong(1, floor[0]);
        select.setInt(2, max + skip);
        try (ResultSet rs = select.executeQuery()) {
          readRows(rs, rows, poisoned, id -> {
            if (localClaims.isClaimed(id) || taken[0] == max) {
              return false;
            }
            if (taken[0]++ == 0) {
              taken[1] = id;
            }
            taken[2] = id;
            return true;
          });
        }
      }
      if (!poisoned.isEmpty()) {
        quarantine(c, poisoned);
      }
      return rows;
    });
    List<Long> ids = new ArrayList<>(claimed.size());
    claimed.forEach(r -> ids.add(r.id()));
    localClaims.claimed(ids, leaseUntil, floor[0], (int) taken[0], max, taken[1], taken[2]);
    return claimed;
  }

  /** Computes the low-water mark with one scan, the first time it is needed. Holds the lock. */
  private void knowLowWater(Connection c) throws SQLException {
    if (!localClaims.lowWaterKnown()) {
      localClaims.setLowWater(scanLowWater(c));
    }
  }

  private long scanLowWater(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery(sql.lowestPending())) {
        if (rs.next()) {
          return rs.getLong(1);
        }
      }
      // Nothing pending: the next reading will be written above every id there is.
      try (ResultSet rs = s.executeQuery(sql.highestId())) {
        rs.next();
        return rs.getLong(1) + 1;
      }
    }
  }

  /** The id from which queue queries read: the low-water mark, or 0 where indexes serve. */
  private long queueFloor(Connection c) throws SQLException {
    if (localClaims == null) {
      return 0;
    }
    synchronized (localClaims) {
      knowLowWater(c);
      return localClaims.lowWater();
    }
  }

  private void readRows(ResultSet rs, List<Reading> claimed, List<Rejection> poisoned)
      throws SQLException {
    readRows(rs, claimed, poisoned, id -> true);
  }

  /** Reads the rows that {@code take} accepts: valid ones into claimed, the others poisoned. */
  private void readRows(ResultSet rs, List<Reading> claimed, List<Rejection> poisoned,
      LongPredicate take) throws SQLException {
    Dialect dialect = sql.dialect;
    boolean timestampColumn = dialect.isTimestampColumn(rs, 3);
    while (rs.next()) {
      long id = rs.getLong(1);
      if (!take.test(id)) {
        continue;
      }
      try {
        claimed.add(new Reading(id, rs.getString(2), dialect.readTimestamp(rs, 3, timestampColumn),
            dialect.readValue(rs, 4), rs.getString(5), rs.getString(6)));
      } catch (IllegalArgumentException | NullPointerException e) {
        poisoned.add(new Rejection(id, "invalid reading in the Sync Database: "
            + (e instanceof NullPointerException ? e.getMessage() + " is missing" : e.getMessage())));
      }
    }
  }

  private synchronized void lowerSharedScan(long id) {
    sharedScanFrom = Math.min(sharedScanFrom, id);
  }

  /** Moves the scan start up to a claim's first row, unless it was lowered meanwhile. */
  private synchronized void raiseSharedScan(long expected, long id) {
    if (sharedScanFrom == expected && id > sharedScanFrom) {
      sharedScanFrom = id;
    }
  }

  private void reapExpiredLeases(long now) {
    int reaped = jdbc.inTransaction("releasing expired leases", c -> {
      try (PreparedStatement reap = c.prepareStatement(sql.reapExpiredLeases())) {
        reap.setLong(1, now);
        return reap.executeUpdate();
      }
    });
    // Leases cannot expire faster than a quarter of their length apart; no need to look sooner.
    nextReapAtMillis = now + Math.max(1000, lease.toMillis() / 4);
    if (reaped > 0) {
      lowerSharedScan(0);
      log.info("{} readings whose lease expired are claimable again", reaped);
    }
  }

  @Override
  public void acknowledge(Collection<Long> readingIds) {
    if (readingIds.isEmpty()) {
      return;
    }
    long now = clock.millis();
    jdbc.inTransaction("acknowledging readings", c -> {
      try (PreparedStatement ack = c.prepareStatement(sql.acknowledgeRange())) {
        for (long[] range : IdRanges.of(readingIds)) {
          ack.setLong(1, now);
          ack.setLong(2, range[0]);
          ack.setLong(3, range[1]);
          ack.addBatch();
        }
        return ack.executeBatch();
      }
    });
    if (localClaims != null) {
      synchronized (localClaims) {
        localClaims.settled(readingIds);
      }
    }
  }

  @Override
  public void quarantine(Collection<Rejection> rejections) {
    if (rejections.isEmpty()) {
      return;
    }
    jdbc.inTransaction("quarantining readings", c -> {
      quarantine(c, rejections);
      return null;
    });
    if (localClaims != null) {
      List<Long> ids = new ArrayList<>(rejections.size());
      rejections.forEach(r -> ids.add(r.readingId()));
      synchronized (localClaims) {
        localClaims.settled(ids);
      }
    }
  }

  private void quarantine(Connection c, Collection<Rejection> rejections) throws SQLException {
    try (PreparedStatement update = c.prepareStatement(sql.quarantine())) {
      for (Rejection r : rejections) {
        update.setString(1, r.reason());
        update.setLong(2, r.readingId());
        update.addBatch();
      }
      update.executeBatch();
    }
  }

  @Override
  public void release(Collection<Long> readingIds) {
    if (readingIds.isEmpty()) {
      return;
    }
    List<long[]> ranges = IdRanges.of(readingIds);
    if (localClaims != null) {
      // Claimable again at once, even if counting the attempt below fails.
      synchronized (localClaims) {
        localClaims.released(readingIds);
      }
    } else {
      lowerSharedScan(ranges.get(0)[0]);
    }
    jdbc.inTransaction("releasing readings", c -> {
      String statement = localClaims == null ? sql.releaseRange() : sql.countFailedAttempts();
      try (PreparedStatement release = c.prepareStatement(statement)) {
        for (long[] range : ranges) {
          release.setLong(1, range[0]);
          release.setLong(2, range[1]);
          if (localClaims == null) {
            release.setString(3, owner);
          }
          release.addBatch();
        }
        return release.executeBatch();
      }
    });
  }

  @Override
  public long pendingCount() {
    return jdbc.inTransaction("counting pending readings", this::pendingCount);
  }

  private long pendingCount(Connection c) throws SQLException {
    long floor = queueFloor(c);
    // Claims are rows of their own status only where they are leases in the table.
    return count(c, Statements.PENDING, floor)
        + (localClaims == null ? count(c, Statements.CLAIMED, 0) : 0);
  }

  private long count(Connection c, int status, long floor) throws SQLException {
    try (PreparedStatement count = c.prepareStatement(sql.count(status))) {
      count.setLong(1, floor);
      try (ResultSet rs = count.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  @Override
  public Optional<Instant> oldestPendingTimestamp() {
    return jdbc.inTransaction("reading the oldest pending reading", c -> {
      long floor = queueFloor(c);
      Instant oldest = null;
      int[] statuses = localClaims == null
          ? new int[] {Statements.CLAIMED, Statements.PENDING} : new int[] {Statements.PENDING};
      for (int status : statuses) {
        try (PreparedStatement select = c.prepareStatement(sql.oldestReadAt(status))) {
          select.setLong(1, status == Statements.PENDING ? floor : 0);
          try (ResultSet rs = select.executeQuery()) {
            if (rs.next()) {
              Instant at = safeTimestamp(rs);
              if (at != null && (oldest == null || at.isBefore(oldest))) {
                oldest = at;
              }
            }
          }
        }
      }
      return Optional.ofNullable(oldest);
    });
  }

  private Instant safeTimestamp(ResultSet rs) throws SQLException {
    try {
      return sql.dialect.readTimestamp(rs, 1, sql.dialect.isTimestampColumn(rs, 1));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  @Override
  public int recoverClaims() {
    if (localClaims != null) {
      // Claims of an earlier process lived in that process's memory: nothing to release.
      return 0;
    }
    int released = jdbc.inTransaction("releasing earlier claims", c -> {
      try (PreparedStatement release = c.prepareStatement(sql.releaseOwnersClaims())) {
        release.setString(1, owner);
        return release.executeUpdate();
      }
    });
    if (released > 0) {
      lowerSharedScan(0);
    }
    return released;
  }

  /**
   * The quarantined readings, oldest first, for an operator to inspect.
   *
   * @param limit the most to return, at least 1
   */
  public List<QuarantinedReading> listQuarantined(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1: " + limit);
    }
    return jdbc.inTransaction("listing quarantined readings", c -> {
      List<QuarantinedReading> list = new ArrayList<>();
      try (PreparedStatement select = c.prepareStatement(sql.listQuarantined())) {
        select.setInt(1, limit);
        try (ResultSet rs = select.executeQuery()) {
          while (rs.next()) {
            list.add(new QuarantinedReading(rs.getLong(1), rs.getString(2), rs.getString(3),
                rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getInt(8)));
          }
        }
      }
      return list;
    });
  }

  /** The number of quarantined readings, for an operator's status view. */
  public long quarantinedCount() {
    return jdbc.inTransaction("counting quarantined readings",
        c -> count(c, Statements.QUARANTINED, 0));
  }

  /**
   * Puts quarantined readings back in the queue, for example after an operator fixed a meter's
   * mapping on the server.
   *
   * @return the number re-queued
   */
  public int requeueQuarantined(Collection<Long> readingIds) {
    int count = jdbc.inTransaction("re-queuing quarantined readings", c -> {
      int requeued = 0;
      try (PreparedStatement update = c.prepareStatement(sql.requeue())) {
        for (long id : readingIds) {
          update.setLong(1, id);
          requeued += update.executeUpdate();
        }
      }
      return requeued;
    });
    if (localClaims != null) {
      synchronized (localClaims) {
        localClaims.released(readingIds);
      }
    } else {
      lowerSharedScan(0);
    }
    return count;
  }

  /** Puts every quarantined reading back in the queue. @return the number re-queued */
  public int requeueAllQuarantined() {
    int count = jdbc.inTransaction("re-queuing quarantined readings", c -> {
      try (Statement s = c.createStatement()) {
        return s.executeUpdate(sql.requeueAll());
      }
    });
    if (count > 0) {
      if (localClaims != null) {
        synchronized (localClaims) {
          localClaims.returned(0);
        }
      } else {
        lowerSharedScan(0);
      }
    }
    return count;
  }

  /**
   * Applies the retention policy once: deletes synced readings and history past their retention,
   * a chunk per transaction so the table is never locked for long, then enforces the pending cap.
   * Never deletes an unsynced reading. Call it on a schedule, for example hourly.
   */
  public PurgeResult purge() {
    long now = clock.millis();
    long readingsCutoff = now - retention.syncedRetention().toMillis();
    long purged = purgeInChunks(Statements.SYNCED, readingsCutoff)
        + purgeInChunks(Statements.DROPPED, readingsCutoff);
    long runsPurged = jdbc.inTransaction("purging sync history", c -> {
      try (PreparedStatement delete = c.prepareStatement(sql.purgeRuns())) {
        delete.setLong(1, now - retention.historyRetention().toMillis());
        return (long) delete.executeUpdate();
      }
    });
    if (localClaims != null) {
      // Re-anchor the low-water mark, in case statuses were changed behind this source's back.
      long lowest = jdbc.inTransaction("finding the lowest pending reading", this::scanLowWater);
      synchronized (localClaims) {
        localClaims.lowerLowWater(lowest);
      }
    }
    long pending = pendingCount();
    long dropped = 0;
    long cap = retention.maxPendingReadings();
    if (cap > 0 && pending > cap) {
      if (retention.overflowPolicy() == OverflowPolicy.DROP_OLDEST) {
        dropped = dropOldest(pending - cap, cap, now);
        pending -= dropped;
      } else {
        long over = pending;
        log.warn("{} readings are pending, above the cap of {}; nothing is dropped (policy WARN)",
            over, cap);
        notify(l -> l.onBacklogOverCap(over, cap));
      }
    }
    if (purged > 0 || runsPurged > 0) {
      log.debug("Purged {} synced readings and {} history rows", purged, runsPurged);
    }
    return new PurgeResult(purged, runsPurged, dropped, pending);
  }

  private long purgeInChunks(int status, long cutoff) {
    long total = 0;
    while (true) {
      int deleted = jdbc.inTransaction("purging synced readings", c -> {
        try (PreparedStatement delete = c.prepareStatement(sql.purgeChunk(status))) {
          delete.setLong(1, cutoff);
          delete.setInt(2, retention.chunkSize());
          return delete.executeUpdate();
        }
      });
      total += deleted;
      if (deleted < retention.chunkSize()) {
        return total;
      }
    }
  }

  private long dropOldest(long excess, long cap, long now) {
    String reason = "dropped unsent: more than " + cap + " readings were pending (policy DROP_OLDEST)";
    long dropped = 0;
    while (dropped < excess) {
      int chunk = (int) Math.min(retention.chunkSize(), excess - dropped);
      int n = jdbc.inTransaction("dropping the oldest pending readings", c -> {
        try (PreparedStatement update = c.prepareStatement(sql.dropOldest())) {
          update.setLong(1, now);
          update.setString(2, reason);
          update.setLong(3, queueFloor(c));
          update.setInt(4, chunk);
          return update.executeUpdate();
        }
      });
      if (n == 0) {
        break;
      }
      dropped += n;
    }
    long lost = dropped;
    log.error("LOSS: dropped {} unsent readings, the oldest first, to keep the queue at {}",
        lost, cap);
    notify(l -> l.onReadingsDropped(lost, reason));
    return lost;
  }

  private void notifyRejected(List<Rejection> poisoned) {
    notify(l -> l.onReadingsRejected(List.copyOf(poisoned)));
  }

  private void notify(java.util.function.Consumer<SyncListener> event) {
    if (listener == null) {
      return;
    }
    try {
      event.accept(listener);
    } catch (RuntimeException e) {
      log.warn("Listener {} failed; ignored", listener, e);
    }
  }

  /**
   * Closes the connections of the pool that {@link #fromEnv()} created. A source built on the
   * host's DataSource leaves it alone. Idempotent.
   */
  @Override
  public void close() {
    if (ownedPool != null) {
      ownedPool.close();
    }
  }

  @Override
  public String toString() {
    return description;
  }

  /** Builds a {@link JdbcReadingSource}. Not thread-safe. */
  public static final class Builder {
    private final DataSource dataSource;
    private ReadingsTable table = ReadingsTable.defaults();
    private Clock clock = Clock.systemUTC();
    private Duration lease = DEFAULT_LEASE;
    private String owner = DEFAULT_OWNER;
    private RetentionPolicy retention = RetentionPolicy.defaults();
    private SyncListener listener;

    Builder(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /** The table and columns to use. Default {@link ReadingsTable#defaults()}. */
    public Builder setTable(ReadingsTable table) {
      this.table = Objects.requireNonNull(table, "table");
      return this;
    }

    /** The clock for leases and retention. Default: the UTC system clock. */
    public Builder setClock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * How long a claim holds its readings, from 1 second to 24 hours. Default
     * {@link #DEFAULT_LEASE}. Longer than the slowest upload with its retries.
     */
    public Builder setLease(Duration lease) {
      Objects.requireNonNull(lease, "lease");
      if (lease.compareTo(Duration.ofSeconds(1)) < 0 || lease.compareTo(Duration.ofHours(24)) > 0) {
        throw new IllegalArgumentException("lease must be between PT1S and PT24H: " + lease);
      }
      this.lease = lease;
      return this;
    }

    /**
     * Who holds the leases this source takes, at most 64 characters. Default
     * {@value #DEFAULT_OWNER}. Processes that drain one table together need distinct owners,
     * because {@link #recoverClaims()} releases every lease of its owner.
     */
    public Builder setOwner(String owner) {
      Objects.requireNonNull(owner, "owner");
      if (owner.isBlank() || owner.length() > 64) {
        throw new IllegalArgumentException("owner must be 1 to 64 characters: '" + owner + "'");
      }
      this.owner = owner;
      return this;
    }

    /** Retention and the pending cap. Default {@link RetentionPolicy#defaults()}. */
    public Builder setRetention(RetentionPolicy retention) {
      this.retention = Objects.requireNonNull(retention, "retention");
      return this;
    }

    /**
     * Told of rows quarantined at claim time, of a backlog over the cap and of dropped readings.
     * Pass the same listener as to the SyncManager.
     */
    public Builder setListener(SyncListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Connects once to recognize the database.
     *
     * @throws UnsupportedDatabaseException when it is not H2 2.x, PostgreSQL or SQLite
     * @throws ReadingSourceException when the database cannot be reached
     */
    public JdbcReadingSource build() {
      Dialect dialect = new Jdbc(dataSource).inTransaction("connecting", Dialect::detect);
      return new JdbcReadingSource(this, dialect);
    }
  }
}

package com.meterit.sync.jdbc;

import com.meterit.sync.api.Claim;
import com.meterit.sync.api.ConfigurationException;
import com.meterit.sync.api.LeaseLostException;
import com.meterit.sync.api.PendingCount;
import com.meterit.sync.api.Reading;
import com.meterit.sync.api.ReadingSource;
import com.meterit.sync.api.ReadingSourceException;
import com.meterit.sync.api.Rejection;
import com.meterit.sync.api.SyncListener;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ReadingSource} on any {@link DataSource} to H2 2.x, PostgreSQL or SQLite: the
 * gateway's Sync Database is the queue, so nothing is lost when the link or the process goes
 * down.
 *
 * <p>Writers, in any language, fill the readings table with a plain {@code INSERT INTO
 * meter_readings (meter_id, read_at, value, unit, quality) VALUES (...)}. A row that cannot be
 * read as a valid {@link Reading} (a NaN, an unparsable timestamp, a value longer than its
 * limit) is quarantined alone at claim time, with what is wrong with it, and the rest flows.
 * Text columns are read as bounded prefixes, so a huge value costs no memory.
 *
 * <h2>The batch journal</h2>
 * Every batch is recorded in the journal table ({@link ReadingsTable#JOURNAL_SUFFIX}) in the
 * transaction that forms it, so before it can be sent: its reading ids as ranges, its batch id,
 * and who holds it until when. From then on its readings go out only in that batch until it is
 * {@linkplain #settle settled} (one transaction: the rejected quarantined, the rest synced, the
 * journal row deleted). A crash, a restart, a released claim or a lapsed lease brings the same
 * batch back whole, under the same batch id; only {@link #reform} after a definitive refusal
 * changes it.
 *
 * <h2>Claims by database</h2>
 * On PostgreSQL, holds are leases in the journal, judged by the database's clock, so any number
 * of workers, in threads, processes or machines, drain one table together ({@code FOR UPDATE
 * SKIP LOCKED}); give each its own {@linkplain JdbcReadingSourceBuilder#setWorkerId worker id},
 * because {@link #recoverClaims()} gives back every batch of its worker. H2 and SQLite are
 * embedded databases that one gateway process drains, so there a hold lives in this source's
 * memory, a new batch costs one read and one small journal INSERT, and the journal is loaded at
 * first use: a restart sends every journaled batch again first. Use one source per H2 or SQLite
 * database.
 *
 * <h2>Durability</h2>
 * A settlement or a journal row must survive a crash of the process before the next send.
 * PostgreSQL and SQLite (in its default synchronous modes) write each commit before it returns.
 * SQLite survives a power cut too with the settings this library gives every connection it
 * opens ({@link SqliteSettings#PRAGMAS}); set them on your own SQLite DataSource. H2 writes
 * commits lazily by default, about a second later; {@link #H2_FILE_URL} sets {@code
 * WRITE_DELAY=0}, which writes every commit to the file before it returns: it survives a killed
 * process, though not a power cut (H2 forces its file to the disk only when it closes it). Set
 * it in your own H2 URL too.
 *
 * <h2>Threads and locks</h2>
 * Thread-safe. Where holds live in the process, one lock guards them, and it is always taken
 * <em>before</em> a connection is borrowed, never while one is held; no path holds two
 * connections. So even a pool of one connection cannot deadlock.
 */
public final class JdbcReadingSource implements ReadingSource, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(JdbcReadingSource.class);

  /** The default lease of a claim: 5 minutes. A batch whose worker died comes back after it. */
  public static final Duration DEFAULT_LEASE = Duration.ofMinutes(5);
  /** The shortest lease: 5 seconds. */
  public static final Duration MIN_LEASE = Duration.ofSeconds(5);
  /** The longest lease: 24 hours. */
  public static final Duration MAX_LEASE = Duration.ofHours(24);
  /** The longest worker id: {@value}. */
  public static final int MAX_WORKER_ID_LENGTH = 64;
  /** The worker id when the host name is unknown: {@value}. */
  public static final String DEFAULT_WORKER_ID = "meter-sync";
  /** The environment variable of the JDBC URL. */
  public static final String SYNC_DB_URL = "SYNC_DB_URL";
  /** The environment variable of the database user. */
  public static final String SYNC_DB_USER = "SYNC_DB_USER";
  /** The environment variable of the database password. */
  public static final String SYNC_DB_PASSWORD = "SYNC_DB_PASSWORD";
  /** The environment variable of the worker id that holds leases. */
  public static final String SYNC_WORKER_ID = "SYNC_WORKER_ID";
  /** The environment variable of the lease length, in whole seconds. */
  public static final String SYNC_LEASE_SECONDS = "SYNC_LEASE_SECONDS";
  /**
   * The environment variable of the unit of reading times a collector writes as a bare number
   * ({@code seconds}, {@code millis}, {@code micros} or {@code nanos} since 1970); see {@link
   * ReadingsTable.Builder#setNumericTimestampUnit}.
   */
  public static final String SYNC_READ_AT_UNIT = "SYNC_READ_AT_UNIT";
  /**
   * The default Sync Database: an SQLite file under {@code ./data}, {@value}. Every connection
   * the library opens to it runs {@link SqliteSettings#PRAGMAS} (WAL, {@code synchronous=FULL},
   * a 5 s busy timeout), which keep each commit through a power cut and let collectors in other
   * processes insert while it drains; a missing file and directory are created {@code 0600} and
   * {@code 0700}.
   */
  public static final String DEFAULT_DB_URL = "jdbc:sqlite:./data/meter-sync.db";
  /**
   * The H2 file that was the default Sync Database before SQLite, {@value}, for a host that
   * keeps its H2 queue. {@code WRITE_DELAY=0} writes each commit to the file before it returns
   * (H2's default is up to 500 ms later), so a killed process loses no settlement; H2 forces its
   * file to the disk only when it closes the store, so it is <em>not</em> power-safe. {@code
   * CACHE_SIZE=4096} keeps H2's page cache at 4 MiB: a queue touches few pages at a time, and a
   * larger cache in a gateway's small heap only makes the collector work harder (a 1M drain under
   * {@code -Xmx64m}: 78,000 readings/s with H2's default cache, 104,000 with this one;
   * docs/benchmarks.md). One process opens it at a time.
   */
  public static final String H2_FILE_URL = "jdbc:h2:file:./data/meter-sync;NON_KEYWORDS=VALUE"
      + ";DB_CLOSE_DELAY=-1;WRITE_DELAY=0;CACHE_SIZE=4096";

  private final Jdbc jdbc;
  private final Statements sql;
  private final Journal journal;
  private final ClaimModel claims;
  private final Quarantine quarantine;
  private final Retention retention;
  private final SyncListener listener;
  private final JdbcSyncHistory history;
  private final String description;
  private final Supplier<DataSource> reopener;
  private final Object poolLock = new Object();
  // Guarded by poolLock.
  private AutoCloseable ownedPool;
  private boolean closed;
  private final RowReader rows;

  JdbcReadingSource(JdbcReadingSourceBuilder b, Dialect dialect, String workerId) {
    this.jdbc = new Jdbc(b.dataSource, dialect);
    this.ownedPool = b.ownedPool;
    this.reopener = b.reopener;
    this.sql = new Statements(dialect, b.table);
    this.journal = new Journal(dialect, b.table);
    this.rows = new RowReader(dialect, b.table);
    QueueRows queue = new QueueRows(sql, rows);
    long leaseMillis = b.lease.toMillis();
    QueueGuard queueGuard;
    if (dialect.sharedClaims()) {
      TableLeases leases =
          new TableLeases(jdbc, queue, journal, b.clock, b.ticker, leaseMillis, workerId);
      this.claims = leases;
      queueGuard = leases;
    } else {
      EmbeddedClaims local =
          new EmbeddedClaims(jdbc, queue, journal, b.clock, b.ticker, leaseMillis, workerId);
      this.claims = local;
      queueGuard = local;
    }
    this.listener = b.listener;
    this.retention = new Retention(jdbc, sql, queueGuard, claims::pendingCount, b.retention,
        b.clock, this::notify);
    this.history = new JdbcSyncHistory(jdbc, sql);
    this.quarantine = new Quarantine(jdbc, sql, queue.rows, queueGuard,
        journal.notJournaled(sql.idColumn));
    this.description = "JdbcReadingSource{dialect=" + dialect + ", table=" + b.table.table
        + ", workerId=" + workerId + ", lease=" + b.lease + '}';
  }

  /** Starts building a source on {@code dataSource}, the host's own (pooled) DataSource. */
  public static JdbcReadingSourceBuilder builder(DataSource dataSource) {
    return new JdbcReadingSourceBuilder(dataSource);
  }

  /**
   * Starts building a source on a JDBC URL, with a small HikariCP pool (at most 8 connections, 1
   * kept idle, each validated after it sat idle and retired after 30 minutes) that {@link
   * #close()} closes. Opens the pool's first connection. HikariCP (an optional dependency of
   * sync-jdbc) and the driver must be on the class path.
   *
   * @param user the database user, or null
   * @param password the password, or null; never logged
   * @throws ConfigurationException naming {@code HikariCP} when it is not on the class path
   * @throws ReadingSourceException when the first connection fails
   */
  public static JdbcReadingSourceBuilder builder(String jdbcUrl, String user, String password) {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    DataSource pool = ConnectionPool.open(jdbcUrl, user, password);
    JdbcReadingSourceBuilder builder = new JdbcReadingSourceBuilder(pool);
    builder.ownedPool = (AutoCloseable) pool;
    builder.reopener = () -> ConnectionPool.open(jdbcUrl, user, password);
    return builder;
  }

  /**
   * The JDBC URL that {@link #fromEnv(Map)} opens: {@code SYNC_DB_URL}, or {@link
   * #DEFAULT_DB_URL} when it is unset or blank.
   *
   * @throws ConfigurationException naming {@code SYNC_DB_URL} when it is unset and the file of
   *     the former default, H2's {@code ./data/meter-sync.mv.db}, is there: starting an empty
   *     SQLite queue beside it would strand its readings. The message says how to keep H2 or
   *     move the readings over.
   */
  public static String databaseUrl(Map<String, String> env) {
    return EnvSettings.url(Objects.requireNonNull(env, "env"));
  }

  /**
   * A source on {@code SYNC_DB_URL} (default {@link #DEFAULT_DB_URL}; see {@link
   * #databaseUrl}), {@code SYNC_DB_USER} and
   * {@code SYNC_DB_PASSWORD}, with a small HikariCP pool (see {@link #builder(String, String,
   * String)}; HikariCP must be on the class path): the Java side of the original {@code
   * createDatabaseFromEnv}. {@code SYNC_WORKER_ID} (default: see {@link
   * JdbcReadingSourceBuilder#setWorkerId}) holds the leases, and {@code SYNC_LEASE_SECONDS}
   * (whole seconds, 5 to 86400, default 300) sets their length. {@code GATEWAY_ID} plays no part
   * here: it names the gateway to the server, while several workers of one gateway need distinct
   * worker ids. It connects once to recognize the database.
   *
   * @throws ConfigurationException naming the variable when {@code SYNC_DB_URL} is malformed,
   *     unsupported or unreachable, or another variable is invalid; naming {@code HikariCP}
   *     when HikariCP is not on the class path
   */
  public static JdbcReadingSource fromEnv() {
    return fromEnv(System.getenv());
  }

  /** As {@link #fromEnv()}, from the given variables. */
  public static JdbcReadingSource fromEnv(Map<String, String> env) {
    return EnvSettings.source(Objects.requireNonNull(env, "env"));
  }

  /**
   * Creates the readings table, meter-sync's columns and indexes, and the history table, where
   * missing. Idempotent and versioned; safe to call on every start. On a schema already complete
   * at this version it runs no DDL, so a worker that starts beside running ones takes no lock on
   * their tables; on PostgreSQL, workers preparing an empty database take turns.
   */
  public void createSchema() {
    jdbc.inTransaction("creating the schema", c -> {
      // Before any column is added: on H2 that rewrites every row, huge ones too.
      rows.refuseUnboundedColumns(c);
      Schema.create(c, sql, journal);
      return null;
    });
  }

  /** The DataSource this source borrows its connections from, for tests. */
  DataSource dataSource() {
    return jdbc.dataSource();
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
    List<Rejection> poisoned = new ArrayList<>();
    try {
      return claims.claim(maxReadings, poisoned);
    } finally {
      toldPoisoned(poisoned);
    }
  }

  private void toldPoisoned(List<Rejection> poisoned) {
    if (!poisoned.isEmpty()) {
      log.warn("Quarantined {} unreadable row(s) of {}; first: id {}: {}", poisoned.size(),
          sql.rawTable, poisoned.get(0).readingId(), poisoned.get(0).reason());
      notify(l -> l.onReadingsRejected(List.copyOf(poisoned)));
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Rejections of readings that are not in the batch are ignored, with a warning.
   *
   * @throws LeaseLostException when the claim no longer holds the batch; nothing was changed
   * @throws ReadingSourceException when the database failed; nothing was changed, and the claim
   *     still holds the batch
   */
  @Override
  public void settle(Claim claim, List<Rejection> rejected) {
    Objects.requireNonNull(rejected, "rejected");
    if (Objects.requireNonNull(claim, "claim").isEmpty()) {
      throw new IllegalArgumentException("an empty claim has no batch to settle");
    }
    claims.settle(claim, rejected);
  }

  /**
   * {@inheritDoc}
   *
   * <p>On PostgreSQL one transaction, one commit, settles the batch and journals the next, unless
   * a look for lapsed batches is due or the queue's end is near: then two. On H2 and SQLite it
   * settles, then claims.
   *
   * @throws com.meterit.sync.api.NextClaimFailedException when the batch was settled in a
   *     transaction of its own and the claim after it failed
   * @throws ReadingSourceException when the database failed otherwise; nothing was changed, and
   *     the claim still holds the batch
   */
  @Override
  public Claim settleAndClaim(Claim claim, List<Rejection> rejected, int maxReadings) {
    Objects.requireNonNull(rejected, "rejected");
    if (Objects.requireNonNull(claim, "claim").isEmpty()) {
      throw new IllegalArgumentException("an empty claim has no batch to settle");
    }
    if (maxReadings < 1) {
      throw new IllegalArgumentException("maxReadings must be at least 1: " + maxReadings);
    }
    List<Rejection> poisoned = new ArrayList<>();
    try {
      return claims.settleAndClaim(claim, rejected, maxReadings, poisoned);
    } finally {
      toldPoisoned(poisoned);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>The released claim no longer holds the batch: settling it afterwards throws {@link
   * LeaseLostException}.
   */
  @Override
  public void release(Claim claim) {
    claims.release(Objects.requireNonNull(claim, "claim"));
  }

  /**
   * {@inheritDoc}
   *
   * <p>Each part's readings are sent in id order, the order in which a journaled batch is read
   * back, so that a part keeps its batch id if it is resumed.
   *
   * @throws IllegalArgumentException when a part is empty, or holds a reading that is not in the
   *     batch or is in another part
   */
  @Override
  public List<Claim> reform(Claim claim, List<List<Reading>> parts) {
    Objects.requireNonNull(parts, "parts");
    if (Objects.requireNonNull(claim, "claim").isEmpty()) {
      throw new IllegalArgumentException("an empty claim has no batch to re-form");
    }
    return claims.reform(claim, parts);
  }

  @Override
  public Map<String, Instant> renew(Collection<Claim> claimsToRenew) {
    return claims.renew(Objects.requireNonNull(claimsToRenew, "claims"));
  }

  /** {@inheritDoc} Journaled readings count: they are not synced yet. */
  @Override
  public long pendingCount() {
    return claims.pendingCount();
  }

  /**
   * {@inheritDoc}
   *
   * <p>Walks at most {@code exactUpTo + 1} pending rows. Past that, the estimate is the span of
   * ids from the lowest pending reading to the highest id: exact when the backlog's ids are
   * consecutive, high by the gaps and by the quarantined readings among them.
   */
  @Override
  public PendingCount pendingCount(long exactUpTo) {
    if (exactUpTo < 0) {
      throw new IllegalArgumentException("exactUpTo must not be negative: " + exactUpTo);
    }
    return claims.pendingCount(exactUpTo);
  }

  @Override
  public Optional<Instant> oldestPendingTimestamp() {
    return claims.oldestPendingTimestamp();
  }

  /**
   * {@inheritDoc}
   *
   * <p>On PostgreSQL, makes every batch journaled under this source's worker id due at once. On
   * H2 and SQLite it returns 0: holds lived in the earlier process's memory, and the journal is
   * loaded, every batch due, at the first claim.
   */
  @Override
  public int recoverClaims() {
    return claims.recoverClaims();
  }

  /**
   * The quarantined readings, oldest first, for an operator to inspect. Each column is shown as
   * stored, cut to {@value Statements#LISTED_LENGTH} characters (the length follows a longer one).
   *
   * @param limit the most to return, at least 1
   */
  public List<QuarantinedReading> listQuarantined(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1: " + limit);
    }
    return quarantine.list(limit);
  }

  /** The number of quarantined readings, for an operator's status view. */
  public long quarantinedCount() {
    return quarantine.count();
  }

  /**
   * Puts quarantined readings back in the queue, for example after an operator fixed a meter's
   * mapping on the server. A reading that lies within a batch still journaled (it was found
   * unreadable while that batch was taken over) stays quarantined until the batch is settled,
   * so that it can never go out in two batches; re-queue it again then.
   *
   * @return the number re-queued
   */
  public int requeueQuarantined(Collection<Long> readingIds) {
    return quarantine.requeue(Objects.requireNonNull(readingIds, "readingIds"));
  }

  /**
   * Puts every quarantined reading back in the queue.
   *
   * @return the number re-queued
   */
  public int requeueAllQuarantined() {
    return quarantine.requeueAll();
  }

  /**
   * Applies the retention policy once: deletes synced readings and history past their retention,
   * a chunk per transaction so the table is never locked for long, then enforces the pending cap.
   * Never deletes an unsynced reading, and {@link OverflowPolicy#DROP_OLDEST} never drops a
   * reading of a journaled batch: it may be on its way to the server. Call it on a schedule, for
   * example hourly.
   */
  public PurgeResult purge() {
    return retention.purge();
  }

  private void notify(Consumer<SyncListener> event) {
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
   * Closes the pool that {@link #fromEnv()} or {@link #builder(String, String, String)} opened
   * and opens a fresh one, for a database that was closed under it or failed: the old pool's
   * connections may all be dead, and a pool does not always see it. What this source holds (its
   * claims, the journal's batches, the drainer lock) stays as it was, so a batch in flight is
   * still settled or sent again unchanged. A source on the host's DataSource cannot reopen it.
   *
   * @return true when a fresh pool connected; false when the DataSource is the host's, or the
   *     source is closed
   * @throws ReadingSourceException when the fresh pool cannot connect, with its {@link
   *     com.meterit.sync.api.StoreFault}; the old pool is then kept
   */
  public boolean reopen() {
    if (reopener == null) {
      return false;
    }
    synchronized (poolLock) {
      if (closed) {
        return false;
      }
      // The fresh pool first: when it cannot connect, the old one stays, so the runs meanwhile
      // fail with the database's own reason (a full disk, say), not with "pool closed".
      DataSource fresh = reopener.get();
      AutoCloseable old = ownedPool;
      ownedPool = (AutoCloseable) fresh;
      jdbc.replace(fresh);
      closeQuietly(old);
      return true;
    }
  }

  /**
   * Closes the connections of the pool that {@link #fromEnv()} created, and gives up what the
   * source holds in this process (on H2 and SQLite, the drainer lock). A source built on the
   * host's DataSource leaves it alone. Idempotent.
   */
  @Override
  public void close() {
    claims.close();
    synchronized (poolLock) {
      closed = true;
      closeQuietly(ownedPool);
      ownedPool = null;
    }
  }

  static void closeQuietly(AutoCloseable pool) {
    if (pool == null) {
      return;
    }
    try {
      pool.close();
    } catch (Exception e) {
      log.warn("Closing the connection pool failed", e);
    }
  }

  @Override
  public String toString() {
    return description;
  }
}

package com.meterit.sync.jdbc;

import com.meterit.sync.api.SyncListener;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import javax.sql.DataSource;

/** Builds a {@link JdbcReadingSource}: see {@link JdbcReadingSource#builder}. Not thread-safe. */
public final class JdbcReadingSourceBuilder {
  final DataSource dataSource;
  /** The pool that builder(jdbcUrl, ...) opened, which the source closes; else null. */
  AutoCloseable ownedPool;
  /** Opens a fresh pool like the owned one, for {@link JdbcReadingSource#reopen()}; or null. */
  Supplier<DataSource> reopener;
  ReadingsTable table = ReadingsTable.defaults();
  Clock clock = Clock.systemUTC();
  /** Monotonic nanoseconds, as {@link System#nanoTime()}: see {@link #setTicker}. */
  LongSupplier ticker = System::nanoTime;
  Duration lease = JdbcReadingSource.DEFAULT_LEASE;
  private String workerId;
  RetentionPolicy retention = RetentionPolicy.defaults();
  SyncListener listener;

  JdbcReadingSourceBuilder(DataSource dataSource) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
  }

  /** The table and columns to use. Default {@link ReadingsTable#defaults()}. */
  public JdbcReadingSourceBuilder setTable(ReadingsTable table) {
    this.table = Objects.requireNonNull(table, "table");
    return this;
  }

  /**
   * The wall clock that stamps the lease ends a claim reports, settlements, and retention's
   * cut-offs. Default: the UTC system clock. It times no wait: holds in this process (H2,
   * SQLite) and the look for lapsed batches run on monotonic time, and on PostgreSQL the
   * database's clock judges whether a lease lapsed.
   */
  public JdbcReadingSourceBuilder setClock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /**
   * Test seam: the monotonic time, in nanoseconds from an arbitrary origin, that this source's own
   * waits are measured on (how long a hold lasts in this process, when to look again for lapsed
   * batches or late-committed rows), so that a step of the wall clock neither stretches nor cuts
   * one. Default {@link System#nanoTime()}. Package-private: a host has nothing to choose here; a
   * test that moves a {@code ManualClock} passes its {@code nanos}.
   */
  JdbcReadingSourceBuilder setTicker(LongSupplier nanos) {
    this.ticker = Objects.requireNonNull(nanos, "ticker");
    return this;
  }

  /**
   * How long a claim holds its batch unless renewed, from {@link JdbcReadingSource#MIN_LEASE}
   * to {@link JdbcReadingSource#MAX_LEASE}. Default {@link JdbcReadingSource#DEFAULT_LEASE}.
   * Longer than the slowest upload with its retries, or the engine must {@linkplain
   * JdbcReadingSource#renew renew} it.
   */
  public JdbcReadingSourceBuilder setLease(Duration lease) {
    Objects.requireNonNull(lease, "lease");
    if (lease.compareTo(JdbcReadingSource.MIN_LEASE) < 0
        || lease.compareTo(JdbcReadingSource.MAX_LEASE) > 0) {
      throw new IllegalArgumentException("lease must be between " + JdbcReadingSource.MIN_LEASE
          + " and " + JdbcReadingSource.MAX_LEASE + ": " + lease);
    }
    this.lease = lease;
    return this;
  }

  /**
   * Who holds the batches this source claims, 1 to 64 characters. Default: this host's name
   * (the {@code HOSTNAME} or {@code COMPUTERNAME} variable, else what the network stack
   * reports, cut to 64 characters), or {@value JdbcReadingSource#DEFAULT_WORKER_ID} when it is
   * unknown; stable across restarts on one host. Workers that drain one PostgreSQL table
   * together need distinct ids (two on one host: set them), because {@link
   * JdbcReadingSource#recoverClaims()} gives back every batch of its worker id. It is not the
   * gateway id sent to the server.
   */
  public JdbcReadingSourceBuilder setWorkerId(String workerId) {
    Objects.requireNonNull(workerId, "workerId");
    if (workerId.isBlank() || workerId.length() > JdbcReadingSource.MAX_WORKER_ID_LENGTH) {
      throw new IllegalArgumentException("workerId must be 1 to "
          + JdbcReadingSource.MAX_WORKER_ID_LENGTH + " characters: '" + workerId + "'");
    }
    this.workerId = workerId;
    return this;
  }

  /** Retention and the pending cap. Default {@link RetentionPolicy#defaults()}. */
  public JdbcReadingSourceBuilder setRetention(RetentionPolicy retention) {
    this.retention = Objects.requireNonNull(retention, "retention");
    return this;
  }

  /**
   * Told of rows quarantined at claim time, of a backlog over the cap and of dropped readings.
   * Pass the same listener as to the SyncManager.
   */
  public JdbcReadingSourceBuilder setListener(SyncListener listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
    return this;
  }

  /**
   * Connects once to recognize the database. On SQLite it also reads the journal mode, the
   * synchronous level and the busy timeout, and warns once when they are not {@link
   * SqliteSettings#PRAGMAS power-safe}.
   *
   * @throws UnsupportedDatabaseException when it is not H2 2.x, PostgreSQL or SQLite
   * @throws ReadingSourceException when the database cannot be reached
   */
  public JdbcReadingSource build() {
    Dialect dialect;
    try {
      dialect = new Jdbc(dataSource, null).inTransaction("connecting", c -> {
        Dialect detected = Dialect.detect(c);
        if (detected == Dialect.SQLITE) {
          SqliteSettings.warnIfNotPowerSafe(c);
        }
        return detected;
      });
    } catch (RuntimeException e) {
      JdbcReadingSource.closeQuietly(ownedPool);
      throw e;
    }
    return new JdbcReadingSource(this, dialect,
        workerId != null ? workerId : EnvSettings.hostWorkerId());
  }
}

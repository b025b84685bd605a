package com.meterit.sync.examples.tools.bench;

import com.meterit.sync.jdbc.JdbcReadingSource;
import com.meterit.sync.jdbc.ReadingsTable;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** The backlog a measurement drains: realistic readings, queued the way a writer queues them. */
final class BenchBacklog {
  private BenchBacklog() {}

  /** The brief's realistic readings: 1,000 meters, 15-minute steps, rising 3-decimal values. */
  static final class Readings {
    static final int METERS = 1000;
    private final long[] thousandths = new long[METERS];
    private final Instant start = Instant.parse("2026-01-01T00:00:00Z");
    private long next;

    Readings() {
      for (int m = 0; m < METERS; m++) {
        thousandths[m] = 10_000_000L + m * 7_123L;
      }
    }

    /** Fills the next reading's fields; returns its meter index. */
    int advance() {
      int meter = (int) (next % METERS);
      long step = next / METERS;
      thousandths[meter] += 250 + (meter * 31L + step * 17L) % 1000;
      next++;
      return meter;
    }

    String meterId(int meter) {
      return String.format("meter-%04d", meter);
    }

    Instant time() {
      return start.plus(Duration.ofMinutes(15 * ((next - 1) / METERS)));
    }

    BigDecimal value(int meter) {
      return BigDecimal.valueOf(thousandths[meter], 3);
    }
  }

  /** The table {@code name}, with its history table beside it. */
  static ReadingsTable table(String name) {
    return ReadingsTable.builder().setTable(name).setHistoryTable(name + "_runs").build();
  }

  /** Creates the schema, queues {@code count} readings and settles the load's writes. */
  static void populate(String url, ReadingsTable names, String table, long count)
      throws Exception {
    populate(url, names, table, count, "bench");
  }

  /**
   * As above, with the readings of {@code data}: {@code bench} ({@link Readings}) or {@code
   * realistic} ({@link RealisticReadings}, seed {@value #REALISTIC_SEED}).
   */
  static void populate(String url, ReadingsTable names, String table, long count, String data)
      throws Exception {
    try (JdbcReadingSource source =
        JdbcReadingSource.builder(url, null, null).setTable(names).build()) {
      source.createSchema();
    }
    if (data.equals("realistic")) {
      append(url, table, new RealisticReadings(REALISTIC_SEED), count);
    } else if (data.equals("bench")) {
      append(url, table, new Readings(), count);
    } else {
      throw new IllegalArgumentException("data must be bench or realistic: " + data);
    }
    try (Connection c = DriverManager.getConnection(url)) {
      try (Statement s = c.createStatement()) {
        // Settle the writes of the load, so the drain does not pay for them.
        s.execute(isPostgres(url) ? "VACUUM ANALYZE " + table
            : isSqlite(url) ? "PRAGMA wal_checkpoint(TRUNCATE)" : "CHECKPOINT SYNC");
      }
    }
  }

  /** Appends {@code count} readings from {@code readings} to a queue, committing every 10,000. */
  static void append(String url, String table, Readings readings, long count) throws Exception {
    boolean postgres = isPostgres(url);
    boolean sqlite = isSqlite(url);
    try (Connection c = DriverManager.getConnection(url)) {
      c.setAutoCommit(false);
      try (PreparedStatement insert = c.prepareStatement(
          "INSERT INTO " + table + " (meter_id, read_at, value, unit) VALUES (?, ?, ?, ?)")) {
        for (long i = 0; i < count; i++) {
          int meter = readings.advance();
          insert.setString(1, readings.meterId(meter));
          if (sqlite) {
            // SQLite has no timestamp type: ISO-8601 text, as a collector writes it.
            insert.setString(2, readings.time().toString());
          } else {
            insert.setObject(2, OffsetDateTime.ofInstant(readings.time(), ZoneOffset.UTC));
          }
          if (postgres) {
            insert.setBigDecimal(3, readings.value(meter));
          } else {
            insert.setString(3, readings.value(meter).toPlainString());
          }
          insert.setString(4, "kWh");
          insert.addBatch();
          if (i % 10_000 == 9_999) {
            insert.executeBatch();
            c.commit();
          }
        }
        insert.executeBatch();
        c.commit();
      }
    }
  }

  /** The seed of the realistic readings the drains queue. */
  static final long REALISTIC_SEED = 2026;

  /** Appends {@code count} realistic readings, quality flags included, committing every 10,000. */
  static void append(String url, String table, RealisticReadings readings, long count)
      throws Exception {
    boolean postgres = isPostgres(url);
    boolean sqlite = isSqlite(url);
    try (Connection c = DriverManager.getConnection(url)) {
      c.setAutoCommit(false);
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + table
          + " (meter_id, read_at, value, unit, quality) VALUES (?, ?, ?, ?, ?)")) {
        for (long i = 0; i < count; i++) {
          com.meterit.sync.api.Reading r = readings.next();
          insert.setString(1, r.meterId());
          if (sqlite) {
            insert.setString(2, r.timestamp().toString());
          } else {
            insert.setObject(2, OffsetDateTime.ofInstant(r.timestamp(), ZoneOffset.UTC));
          }
          if (postgres) {
            insert.setBigDecimal(3, r.value());
          } else {
            insert.setString(3, r.value().toPlainString());
          }
          insert.setString(4, r.unit());
          insert.setString(5, r.quality().orElse(null));
          insert.addBatch();
          if (i % 10_000 == 9_999) {
            insert.executeBatch();
            c.commit();
          }
        }
        insert.executeBatch();
        c.commit();
      }
    }
  }

  /** Drops a measured table, so that the next measurement starts from an empty database. */
  static void drop(String url, String table) throws Exception {
    if (url.startsWith("jdbc:h2:") || isPostgres(url) || isSqlite(url)) {
      try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
        s.execute("DROP TABLE IF EXISTS " + table);
        s.execute("DROP TABLE IF EXISTS " + table + "_runs");
        s.execute("DELETE FROM meter_sync_schema WHERE table_name = '" + table + "'");
      }
    }
  }

  private static boolean isPostgres(String url) {
    return url.startsWith("jdbc:postgresql:");
  }

  private static boolean isSqlite(String url) {
    return url.startsWith("jdbc:sqlite:");
  }
}

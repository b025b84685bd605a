package com.meterit.sync.jdbc;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import javax.sql.DataSource;

/** One database under test, and how a plain writer puts readings into it. */
abstract class Database {
  final DataSource dataSource;
  final String table;
  final String historyTable;

  Database(DataSource dataSource, String table, String historyTable) {
    this.dataSource = dataSource;
    this.table = table;
    this.historyTable = historyTable;
  }

  /** An unbounded text column type, for a host's table of text columns. */
  String textType() {
    return "TEXT";
  }

  /** The id column of a host's table, filled by the host. */
  String hostIdType() {
    return "BIGINT PRIMARY KEY";
  }

  /** The batch journal of the readings table. */
  String journalTable() {
    return table + ReadingsTable.JOURNAL_SUFFIX;
  }

  /**
   * Lets {@code time} pass for leases judged by the database's clock (PostgreSQL): their ends
   * move that much closer. Elsewhere the source's clock judges them, and this does nothing.
   */
  void ageLeases(java.time.Duration time) throws SQLException {}

  /** Counts rows with a condition, such as {@code sync_status = 2}. */
  long count(String tableName, String where) throws SQLException {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
        java.sql.ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + tableName
            + (where.isEmpty() ? "" : " WHERE " + where))) {
      rs.next();
      return rs.getLong(1);
    }
  }

  ReadingsTable names() {
    return ReadingsTable.builder().setTable(table).setHistoryTable(historyTable).build();
  }

  /** A value as a writer's SQL literal. SQLite writers quote it to keep the scale. */
  String valueLiteral(String value) {
    return value;
  }

  /** Binds a value as a writer would for this database's column type. */
  void bindValue(PreparedStatement insert, int index, String value) throws SQLException {
    insert.setString(index, value);
  }

  void bindTime(PreparedStatement insert, int index, Instant time) throws SQLException {
    insert.setObject(index, OffsetDateTime.ofInstant(time, ZoneOffset.UTC));
  }

  /** Writes {@code count} realistic readings with a batched plain INSERT. */
  void insertReadings(int count) throws SQLException {
    Instant start = Instant.parse("2026-01-01T00:00:00Z");
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + table
          + " (meter_id, read_at, value, unit) VALUES (?, ?, ?, ?)")) {
        for (int i = 0; i < count; i++) {
          insert.setString(1, "meter-" + (i % 1000));
          bindTime(insert, 2, start.plusSeconds(900L * (i / 1000)));
          bindValue(insert, 3, new BigDecimal(1_000_000L + i).movePointLeft(3).toPlainString());
          insert.setString(4, "kWh");
          insert.addBatch();
          if (i % 5000 == 4999) {
            insert.executeBatch();
          }
        }
        insert.executeBatch();
      }
      c.commit();
    }
  }

  void execute(String sql) throws SQLException {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  abstract void dropTables() throws SQLException;

  @Override
  public String toString() {
    return getClass().getSimpleName();
  }
}

package com.meterit.sync.jdbc;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and versions the schema without an external migration tool. Every step is idempotent
 * ({@code IF NOT EXISTS}, columns added only when missing), so running it on every start is safe,
 * and on a host's existing readings table it only adds meter-sync's {@code sync_*} columns.
 */
final class Schema {
  private static final Logger log = LoggerFactory.getLogger(Schema.class);

  private Schema() {}

  /**
   * Creates what is missing and migrates older versions. Version 2 added the batch journal;
   * readings that version 1 left claimed (leases in the rows, which version 2 no longer reads)
   * are put back in the queue: stop every worker of the older version first.
   */
  static void create(Connection c, Statements sql, Journal journal) throws SQLException {
    lockOutOtherPreparations(c, sql);
    try (Statement s = c.createStatement()) {
      s.execute(sql.createSchemaTable());
      Integer version = version(c, sql);
      if (version != null && version > Statements.SCHEMA_VERSION) {
        throw new SQLException("the schema of " + sql.rawTable + " is at version " + version
            + ", newer than this meter-sync supports (" + Statements.SCHEMA_VERSION + ")");
      }
      Set<String> existing = columns(c, sql.rawTable);
      if (version != null && version == Statements.SCHEMA_VERSION
          && isComplete(c, sql, journal, existing)) {
        // Nothing to create. Even an IF NOT EXISTS index takes a share lock on its table: on
        // the readings, then on the journal, while a running worker's settlement locks them the
        // other way round, a deadlock. So a worker that starts beside others runs no DDL.
        return;
      }
      s.execute(sql.createReadingsTable());
      existing = columns(c, sql.rawTable);
      for (String[] column : sql.syncColumns()) {
        String name = Statements.rawColumnName(column[0]).toLowerCase(Locale.ROOT);
        if (!existing.contains(name)) {
          log.info("Adding column {} to {}", name, sql.rawTable);
          s.execute(sql.addColumn(column));
        }
      }
      for (String index : sql.createIndexes()) {
        s.execute(index);
      }
      s.execute(sql.createHistoryTable());
      s.execute(sql.createHistoryIndex());
      s.execute(journal.createTable());
      for (String index : journal.createIndexes()) {
        s.execute(index);
      }
      if (version == null) {
        try (PreparedStatement insert = c.prepareStatement(sql.insertSchemaVersion())) {
          insert.setString(1, sql.rawTable);
          insert.setInt(2, Statements.SCHEMA_VERSION);
          insert.executeUpdate();
        }
      } else if (version < Statements.SCHEMA_VERSION) {
        migrate(c, s, sql, version);
      }
    }
  }

  /** Where the database is shared by processes, waits for any other one preparing it. */
  private static void lockOutOtherPreparations(Connection c, Statements sql) throws SQLException {
    String lock = sql.dialect.schemaLock();
    if (lock != null) {
      try (PreparedStatement select = c.prepareStatement(lock)) {
        select.setLong(1, lockKey(sql.rawTable));
        select.execute();
      }
    }
  }

  /**
   * The advisory lock's key for preparing {@code table}: a hash of "meter-sync" in the high half,
   * which makes a clash with a host's own advisory keys unlikely, and the table name's hash
   * (fixed by the JLS, so the same in every process) in the low half.
   */
  static long lockKey(String table) {
    return ((long) "meter-sync".hashCode() << 32) | (table.hashCode() & 0xffff_ffffL);
  }

  /**
   * Whether every table of the current version is there, with every sync column: the version row
   * is written in the transaction that creates them, but a host may have dropped a table since.
   */
  private static boolean isComplete(Connection c, Statements sql, Journal journal,
      Set<String> readingsColumns) throws SQLException {
    for (String[] column : sql.syncColumns()) {
      if (!readingsColumns.contains(
          Statements.rawColumnName(column[0]).toLowerCase(Locale.ROOT))) {
        return false;
      }
    }
    return !columns(c, journal.rawTable).isEmpty() && !columns(c, sql.rawHistory).isEmpty();
  }

  private static void migrate(Connection c, Statement s, Statements sql, int from)
      throws SQLException {
    if (from < 2 && sql.dialect.sharedClaims()) {
      int unclaimed = s.executeUpdate(sql.unclaimAll());
      if (unclaimed > 0) {
        log.warn("Schema 1 to 2: {} readings of {} claimed under version 1 leases are pending "
            + "again; they will be sent in new batches", unclaimed, sql.rawTable);
      }
    }
    try (PreparedStatement update = c.prepareStatement(sql.updateSchemaVersion())) {
      update.setInt(1, Statements.SCHEMA_VERSION);
      update.setString(2, sql.rawTable);
      update.executeUpdate();
    }
    log.info("Migrated the schema of {} from version {} to {}", sql.rawTable, from,
        Statements.SCHEMA_VERSION);
  }

  private static Integer version(Connection c, Statements sql) throws SQLException {
    try (PreparedStatement select = c.prepareStatement(sql.selectSchemaVersion())) {
      select.setString(1, sql.rawTable);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next() ? rs.getInt(1) : null;
      }
    }
  }

  /**
   * The column names of the table that unqualified statements on {@code c} reach, lower-cased,
   * whatever case the database keeps them in. Only the connection's current schema is searched:
   * on a shared server another schema may hold a table of the same name, and its columns must not
   * stand in for ours.
   */
  private static Set<String> columns(Connection c, String table) throws SQLException {
    Set<String> names = new HashSet<>();
    DatabaseMetaData meta = c.getMetaData();
    String schema = currentSchema(c);
    String escape = meta.getSearchStringEscape();
    for (String candidate : new String[] {
        table, table.toUpperCase(Locale.ROOT), table.toLowerCase(Locale.ROOT)}) {
      try (ResultSet rs = meta.getColumns(null, pattern(schema, escape), pattern(candidate, escape),
          null)) {
        while (rs.next()) {
          names.add(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
        }
      }
      if (!names.isEmpty()) {
        break;
      }
    }
    return names;
  }

  /**
   * The schema unqualified names resolve to, as the metadata spells it (PostgreSQL lower case,
   * H2 upper case), or null where the database has no schemas to tell apart (SQLite).
   */
  private static String currentSchema(Connection c) {
    try {
      String schema = c.getSchema();
      return schema == null || schema.isEmpty() ? null : schema;
    } catch (SQLException | AbstractMethodError | UnsupportedOperationException e) {
      // A driver without getSchema: fall back to every schema, as before.
      return null;
    }
  }

  /** A metadata pattern matching {@code name} exactly: {@code _} and {@code %} are wildcards. */
  private static String pattern(String name, String escape) {
    if (name == null || escape == null || escape.isEmpty()) {
      return name;
    }
    return name.replace(escape, escape + escape).replace("_", escape + "_")
        .replace("%", escape + "%");
  }
}

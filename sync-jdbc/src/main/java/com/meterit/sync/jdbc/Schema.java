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

  static void create(Connection c, Statements sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql.createSchemaTable());
      Integer version = version(c, sql);
      if (version != null && version > Statements.SCHEMA_VERSION) {
        throw new SQLException("the schema of " + sql.rawTable + " is at version " + version
            + ", newer than this meter-sync supports (" + Statements.SCHEMA_VERSION + ")");
      }
      s.execute(sql.createReadingsTable());
      Set<String> existing = columns(c, sql.rawTable);
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
      if (version == null) {
        try (PreparedStatement insert = c.prepareStatement(sql.insertSchemaVersion())) {
          insert.setString(1, sql.rawTable);
          insert.setInt(2, Statements.SCHEMA_VERSION);
          insert.executeUpdate();
        }
      }
    }
  }

  private static Integer version(Connection c, Statements sql) throws SQLException {
    try (PreparedStatement select = c.prepareStatement(sql.selectSchemaVersion())) {
      select.setString(1, sql.rawTable);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next() ? rs.getInt(1) : null;
      }
    }
  }

  /** The table's column names, lower-cased, whatever case the database keeps them in. */
  private static Set<String> columns(Connection c, String table) throws SQLException {
    Set<String> names = new HashSet<>();
    DatabaseMetaData meta = c.getMetaData();
    for (String candidate : new String[] {
        table, table.toUpperCase(Locale.ROOT), table.toLowerCase(Locale.ROOT)}) {
      try (ResultSet rs = meta.getColumns(null, null, candidate, null)) {
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
}

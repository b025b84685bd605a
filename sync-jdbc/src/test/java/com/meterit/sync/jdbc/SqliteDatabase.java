package com.meterit.sync.jdbc;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

final class SqliteDatabase extends Database {
  SqliteDatabase(Path directory) {
    super(dataSource(directory), "meter_readings", "meter_sync_runs");
  }

  private static SQLiteDataSource dataSource(Path directory) {
    SQLiteConfig config = new SQLiteConfig();
    config.setBusyTimeout(10_000);
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    SQLiteDataSource ds = new SQLiteDataSource(config);
    ds.setUrl("jdbc:sqlite:" + directory.resolve("sync.db"));
    return ds;
  }

  @Override
  String valueLiteral(String value) {
    return "'" + value + "'";
  }

  @Override
  void bindTime(PreparedStatement insert, int index, Instant time) throws SQLException {
    insert.setString(index, time.toString());
  }

  @Override
  String hostIdType() {
    return "INTEGER PRIMARY KEY";
  }

  @Override
  void dropTables() {
    // The file lives in a temporary directory.
  }
}

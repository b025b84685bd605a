package com.meterit.sync.jdbc;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The real PostgreSQL server named by {@value #URL_VARIABLE}; every test gets tables of its own.
 */
final class PostgresDatabase extends Database {
  static final String URL_VARIABLE = "METER_SYNC_TEST_POSTGRES_URL";

  private PostgresDatabase(String url, String suffix) {
    super(HikariPool.open(url, null, null), "meter_readings_" + suffix, "meter_sync_runs_" + suffix);
  }

  static PostgresDatabase create() {
    String url = System.getenv(URL_VARIABLE);
    return new PostgresDatabase(url, Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36));
  }

  @Override
  void bindValue(PreparedStatement insert, int index, String value) throws SQLException {
    insert.setBigDecimal(index, new BigDecimal(value));
  }

  @Override
  void ageLeases(java.time.Duration time) throws SQLException {
    execute("UPDATE " + journalTable() + " SET lease_until = lease_until - " + time.toMillis());
  }

  @Override
  void dropTables() throws SQLException {
    execute("DROP TABLE IF EXISTS " + journalTable());
    execute("DROP TABLE IF EXISTS " + table);
    execute("DROP TABLE IF EXISTS " + historyTable);
    execute("DELETE FROM meter_sync_schema WHERE table_name = '" + table + "'");
    ((com.zaxxer.hikari.HikariDataSource) dataSource).close();
  }
}

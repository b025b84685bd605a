package com.meterit.sync.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

class H2ReadingSourceTest extends JdbcBehaviourTest {
  @Override
  Database createDatabase() {
    return new H2Database();
  }

  @Test
  void aReadingWhoseWriterCommitsLateIsClaimedWhenTheQueueLooksDrained() throws Exception {
    JdbcReadingSource source = source();
    try (Connection slowWriter = db.dataSource.getConnection()) {
      slowWriter.setAutoCommit(false);
      try (java.sql.Statement s = slowWriter.createStatement()) {
        s.executeUpdate("INSERT INTO meter_readings (meter_id, read_at, value, unit) "
            + "VALUES ('m-late', '2026-01-01 00:00:00+00', '1.000', 'kWh')");
      }
      db.insertReadings(3);
      com.meterit.sync.api.Claim claim = source.claim(10);
      assertEquals(java.util.List.of(2L, 3L, 4L), ids(claim));
      source.settle(claim, java.util.List.of());
      slowWriter.commit();
    }
    clock.advance(LEASE);
    assertEquals(java.util.List.of(1L), ids(source.claim(10)));
  }

  @Test
  void anUnsupportedDatabaseGetsAClearError() {
    DatabaseMetaData meta = (DatabaseMetaData) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {DatabaseMetaData.class},
        (p, m, a) -> m.getName().equals("getDatabaseProductName") ? "MySQL" : null);
    Connection connection = (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {Connection.class}, (p, m, a) -> {
          switch (m.getName()) {
            case "getMetaData":
              return meta;
            case "getAutoCommit":
              return true;
            default:
              return null;
          }
        });
    DataSource mysql = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {DataSource.class}, (p, m, a) -> connection);

    UnsupportedDatabaseException e = assertThrows(UnsupportedDatabaseException.class,
        () -> JdbcReadingSource.builder(mysql).build());
    assertEquals("the database 'MySQL' is not supported; meter-sync supports H2 2.x, PostgreSQL "
        + "and SQLite", e.getMessage());
  }
}

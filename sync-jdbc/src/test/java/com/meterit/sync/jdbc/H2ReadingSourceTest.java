package com.meterit.sync.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.api.ConfigurationException;
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

  /**
   * Three 5-million-character values in a host's H2 table exhausted a 256 MB heap on every claim:
   * reading them is bounded in SQL, but H2 rewrites a whole row to quarantine it (and to add a
   * column), so a row must not be able to grow that large. A text column declared without a
   * bound is refused when the table is mapped, naming the column and the fix.
   */
  @Test
  void aHostTextColumnWithoutABoundIsRefusedOnH2NamingTheColumn() throws Exception {
    db.execute("CREATE TABLE host_unbounded (reading_no BIGINT PRIMARY KEY, meter VARCHAR(64), "
        + "taken_at TIMESTAMP WITH TIME ZONE, amount VARCHAR(40), uom CLOB, q VARCHAR)");
    ReadingsTable mapping = ReadingsTable.builder().setTable("host_unbounded")
        .setIdColumn("reading_no").setMeterIdColumn("meter").setReadAtColumn("taken_at")
        .setValueColumn("amount").setUnitColumn("uom").setQualityColumn("q")
        .setHistoryTable(db.historyTable).build();
    JdbcReadingSource source = JdbcReadingSource.builder(db.dataSource).setTable(mapping)
        .setClock(clock).setTicker(clock::nanos).build();
    String expected = "column uom of table host_unbounded is CHARACTER LARGE OBJECT of up to "
        + "2147483647 characters; on H2 each mapped text column must be declared with at most "
        + "1000000 (for example ALTER TABLE host_unbounded ALTER COLUMN uom SET DATA TYPE "
        + "VARCHAR(32)): H2 rewrites a whole row to quarantine it, and unbounded values exhaust "
        + "the heap";
    ConfigurationException atSchema = assertThrows(ConfigurationException.class,
        source::createSchema);
    assertEquals(expected, atSchema.getMessage());
    assertEquals("host_unbounded.uom", atSchema.setting());

    db.execute("ALTER TABLE host_unbounded ALTER COLUMN uom SET DATA TYPE VARCHAR(32)");
    db.execute("ALTER TABLE host_unbounded ALTER COLUMN q SET DATA TYPE VARCHAR(1000000)");
    JdbcReadingSource bounded = JdbcReadingSource.builder(db.dataSource).setTable(mapping)
        .setClock(clock).setTicker(clock::nanos).build();
    bounded.createSchema();
    assertEquals(0, bounded.claim(10).size());

    // A host that owns its DDL, and widens a column later, is told at the first claim.
    db.execute("ALTER TABLE host_unbounded ALTER COLUMN q SET DATA TYPE VARCHAR");
    ConfigurationException atClaim = assertThrows(ConfigurationException.class,
        () -> JdbcReadingSource.builder(db.dataSource).setTable(mapping).setClock(clock)
            .setTicker(clock::nanos).build()
            .claim(10));
    assertTrue(atClaim.getMessage().startsWith("column q of table host_unbounded is CHARACTER "
        + "VARYING of up to 1000000000 characters"), atClaim.getMessage());
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

package com.meterit.sync.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.meterit.sync.api.Claim;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 300 rows with a 1,000,000-character meter id among 300 good ones, claimed in one batch by a JVM
 * of 256 MB (a surefire execution of its own). PostgreSQL's driver holds a whole result in
 * memory, so there the claim runs out of heap (checked) unless the database cuts the values;
 * SQLite's steps row by row, so there it checks the outcome only.
 */
class BoundedMemoryTest {
  private static final String HUGE = "x".repeat(1_000_000);

  @TempDir
  Path directory;

  @Test
  void sqliteQuarantinesHugeValuesWithoutLoadingThem() throws Exception {
    check(new SqliteDatabase(directory));
  }

  @Test
  void postgresQuarantinesHugeValuesWithoutLoadingThem() throws Exception {
    assumeTrue(System.getenv(PostgresDatabase.URL_VARIABLE) != null,
        "set " + PostgresDatabase.URL_VARIABLE + " to run against PostgreSQL");
    check(PostgresDatabase.create());
  }

  private void check(Database db) throws Exception {
    String table = "huge_" + db.table;
    try {
      db.execute("CREATE TABLE " + table + " (reading_no " + db.hostIdType() + ", meter TEXT, "
          + "taken_at TEXT, amount TEXT, uom TEXT, q TEXT)");
      try (Connection c = db.dataSource.getConnection()) {
        c.setAutoCommit(false);
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + table
            + " (reading_no, meter, taken_at, amount, uom) VALUES (?, ?, '2026-01-01T00:00:00Z', "
            + "'1.0', 'kWh')")) {
          for (int i = 1; i <= 600; i++) {
            insert.setLong(1, i);
            insert.setString(2, i % 2 == 0 ? HUGE : "m-" + i);
            insert.executeUpdate();
          }
        }
        c.commit();
      }
      JdbcReadingSource source = JdbcReadingSource.builder(db.dataSource).setClock(Clock.systemUTC())
          .setTable(ReadingsTable.builder().setTable(table).setIdColumn("reading_no")
              .setMeterIdColumn("meter").setReadAtColumn("taken_at").setValueColumn("amount")
              .setUnitColumn("uom").setQualityColumn("q").setHistoryTable(db.historyTable).build())
          .build();
      source.createSchema();

      Claim claim = source.claim(1_000);
      assertEquals(300, claim.size());
      List<QuarantinedReading> quarantined = source.listQuarantined(1_000);
      assertEquals(300, quarantined.size());
      assertTrue(quarantined.get(0).reason().contains("meter is 1000000 characters long"),
          quarantined.get(0).reason());
    } finally {
      db.execute("DROP TABLE IF EXISTS " + table + ReadingsTable.JOURNAL_SUFFIX);
      db.execute("DROP TABLE IF EXISTS " + table);
      db.dropTables();
    }
  }
}

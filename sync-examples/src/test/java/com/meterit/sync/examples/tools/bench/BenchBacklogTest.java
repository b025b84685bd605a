package com.meterit.sync.examples.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.meterit.sync.api.Claim;
import com.meterit.sync.api.Reading;
import com.meterit.sync.jdbc.JdbcReadingSource;
import com.meterit.sync.jdbc.ReadingsTable;
import com.meterit.sync.jdbc.SqliteSettings;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark's backlog on SQLite, at the agent's settings: queued, claimable, dropped. */
class BenchBacklogTest {
  @Test
  void queuesASqliteBacklogThatTheSourceClaimsAsWritten(@TempDir Path dir) throws Exception {
    String url = "jdbc:sqlite:" + dir.resolve("bench.db") + "?" + SqliteSettings.PRAGMAS;
    ReadingsTable names = BenchBacklog.table("bench_queue");

    BenchBacklog.populate(url, names, "bench_queue", 2_500);

    try (JdbcReadingSource source = JdbcReadingSource.builder(url, null, null)
        .setTable(names).build()) {
      assertEquals(2_500, source.pendingCount());
      Claim claim = source.claim(1_000);
      assertEquals(1_000, claim.size());
      Reading first = claim.readings().get(0);
      assertEquals(Instant.parse("2026-01-01T00:00:00Z"), first.timestamp());
      assertEquals(new BigDecimal("10000.250"), first.value());
      source.settle(claim, List.of());
      assertEquals(1_500, source.pendingCount());
    }
    BenchBacklog.drop(url, "bench_queue");
    try (Connection c = DriverManager.getConnection(url);
        ResultSet tables = c.getMetaData().getTables(null, null, "bench_queue", null)) {
      assertFalse(tables.next(), "the measured table is dropped");
    }
  }
}

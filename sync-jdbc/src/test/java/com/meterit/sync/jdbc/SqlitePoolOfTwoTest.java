package com.meterit.sync.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.api.Claim;
import com.meterit.sync.api.Reading;
import com.meterit.sync.api.Rejection;
import com.meterit.sync.api.SyncOutcome;
import com.meterit.sync.api.SyncRun;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQLite's pool has two connections ({@link ConnectionPool#SQLITE_MAX_SIZE}). That is enough only
 * while no call borrows a second connection while it holds one: the run's lanes, the claim ahead,
 * the heartbeat's status, the history, retention and an operator's command then each make
 * progress with one connection, however they interleave. With one of the two held elsewhere,
 * every call of the source must still complete, well before the pool's wait of {@link
 * ConnectionPool#CONNECTION_TIMEOUT} would fail a call that borrowed twice.
 */
class SqlitePoolOfTwoTest {
  @TempDir
  Path dir;

  @Test
  void everySourceCallCompletesWithTheOtherConnectionOfThePoolHeldElsewhere() throws Exception {
    String url = "jdbc:sqlite:" + dir.resolve("meter-sync.db");
    try (JdbcReadingSource source = JdbcReadingSource.fromEnv(Map.of("SYNC_DB_URL", url))) {
      source.createSchema();
      insert(url, 12);
      assertEquals(2, ConnectionPool.SQLITE_MAX_SIZE);
      try (Connection away = source.dataSource().getConnection()) {
        assertTrue(away.isValid(1));
        assertTimeoutPreemptively(ConnectionPool.CONNECTION_TIMEOUT.dividedBy(2),
            () -> everyCall(source));
      }
    }
  }

  private static void everyCall(JdbcReadingSource source) {
    Claim first = source.claim(4);
    assertEquals(4, first.size());
    List<Reading> readings = first.readings();
    List<Claim> parts = source.reform(first,
        List.of(readings.subList(0, 2), readings.subList(2, 4)));
    assertEquals(2, parts.size());
    assertEquals(2, source.renew(parts).size());
    source.settle(parts.get(0), List.of(new Rejection(readings.get(0).id(), "bad meter")));
    Claim next = source.settleAndClaim(parts.get(1), List.of(), 4);
    assertEquals(4, next.size());
    source.release(next);
    assertEquals(8, source.pendingCount());
    assertEquals(8, source.pendingCount(100).count());
    assertTrue(source.oldestPendingTimestamp().isPresent());
    assertEquals(1, source.listQuarantined(10).size());
    assertEquals(1, source.quarantinedCount());
    assertEquals(1, source.requeueAllQuarantined());
    source.purge();
    Instant now = Instant.now();
    source.history().record(new SyncRun(now, now, SyncOutcome.SUCCEEDED, 3, 1, 100, 2, null));
    assertEquals(1, source.history().recentRuns(5).size());
    source.history().summarize(now.minusSeconds(60), now.plusSeconds(60));
  }

  private static void insert(String url, int count) throws Exception {
    try (Connection c = DriverManager.getConnection(url);
        PreparedStatement insert = c.prepareStatement("INSERT INTO meter_readings"
            + " (meter_id, read_at, \"VALUE\", unit) VALUES (?, ?, ?, 'kWh')")) {
      for (int i = 0; i < count; i++) {
        insert.setString(1, "meter-" + i);
        insert.setObject(2, OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC));
        insert.setBigDecimal(3, new BigDecimal("1.500"));
        insert.executeUpdate();
      }
    }
  }
}

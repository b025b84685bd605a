package com.meterit.sync.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.meterit.sync.api.Claim;
import com.meterit.sync.api.UploadResult;
import com.meterit.sync.core.http.HttpClientSystemGateway;
import com.meterit.sync.core.testing.ManualClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A journaled batch may have reached the server, so its readings go out again
 * only in that batch, under its key. When one of its rows has turned unreadable by the time it is
 * resumed (a gateway upgraded to a version that refuses a bare-number read-at without a declared
 * unit, or a value beyond the new bounds; a row edited), the batch is set aside, still journaled,
 * and nothing of it is quarantined or sent under another key; once the row reads as before, the
 * batch goes out again unchanged.
 */
class UnreadableOnResumeTest {
  private static final Duration LEASE = Duration.ofMinutes(1);

  @TempDir
  Path directory;

  private final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T00:00:00Z"));

  private Database open(String database) {
    switch (database) {
      case "H2":
        return new H2Database();
      case "SQLite":
        return new SqliteDatabase(directory);
      default:
        assumeTrue(System.getenv(PostgresDatabase.URL_VARIABLE) != null,
            "set " + PostgresDatabase.URL_VARIABLE + " to run against PostgreSQL");
        return PostgresDatabase.create();
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"H2", "SQLite", "PostgreSQL"})
  void aBatchSentBeforeAnUpgradeThatNowRefusesOneOfItsRowsIsSetAsideNotSentUnderANewKey(
      String database) throws Exception {
    Database db = open(database);
    String table = "host_upgrade_" + db.table;
    try (LoopbackClientSystem server = new LoopbackClientSystem()) {
      db.execute("CREATE TABLE " + table + " (reading_no " + db.hostIdType() + ", meter "
          + db.textType() + ", taken_at " + db.textType() + ", amount " + db.textType()
          + ", uom " + db.textType() + ", q " + db.textType() + ")");
      insert(db, table, 1, "2026-01-01T00:00:00Z");
      insert(db, table, 2, "1767225600000");
      insert(db, table, 3, "2026-01-01T00:30:00Z");
      HttpClientSystemGateway gateway = server.gateway(clock);

      // The version before the upgrade read a bare number as epoch milliseconds.
      JdbcReadingSource before = source(db, table, ChronoUnit.MILLIS);
      before.createSchema();
      Claim sent = before.claim(10);
      assertEquals(3, sent.size());
      gateway.uploadBatch(sent.batch());  // reached the server; the answer is lost in a crash
      before.close();

      // The upgraded gateway, whose mapping declares no unit, restarts.
      JdbcReadingSource after = source(db, table, null);
      after.recoverClaims();
      drain(after, gateway);
      assertEquals(1, server.uploads.size(), "the batch went out again under another key");
      assertEquals(0, after.quarantinedCount(), "a row of a journaled batch was quarantined");
      assertEquals(3, after.pendingCount());
      after.close();

      // The operator declares the unit and restarts: the batch goes out as it was, under its key.
      JdbcReadingSource fixed = source(db, table, ChronoUnit.MILLIS);
      fixed.recoverClaims();
      drain(fixed, gateway);
      assertEquals(0, fixed.pendingCount());
      assertEquals(0, fixed.quarantinedCount());
      assertEquals(Set.of(sent.batch().batchId()),
          server.uploads.stream().map(u -> u.idempotencyKey).collect(Collectors.toSet()));
      assertEquals(Map.of(1L, Set.of(sent.batch().batchId()), 2L, Set.of(sent.batch().batchId()),
          3L, Set.of(sent.batch().batchId())), keysById(server));
      fixed.close();
    } finally {
      db.execute("DROP TABLE IF EXISTS " + table + ReadingsTable.JOURNAL_SUFFIX);
      db.execute("DROP TABLE IF EXISTS " + table);
      db.dropTables();
    }
  }

  /** The readings of every upload, by id: each under one key only. */
  private static Map<Long, Set<String>> keysById(LoopbackClientSystem server) {
    Map<Long, Set<String>> keys = new HashMap<>();
    for (LoopbackClientSystem.Upload u : server.uploads) {
      for (Map<String, String> r : u.readings) {
        keys.computeIfAbsent(Long.parseLong(r.get("id")), id -> new HashSet<>())
            .add(u.idempotencyKey);
      }
    }
    return keys;
  }

  private static void drain(JdbcReadingSource source, HttpClientSystemGateway gateway) {
    for (Claim claim = source.claim(10); !claim.isEmpty(); claim = source.claim(10)) {
      UploadResult result = gateway.uploadBatch(claim.batch());
      source.settle(claim, result.rejected());
    }
  }

  private JdbcReadingSource source(Database db, String table, ChronoUnit unit) {
    ReadingsTable.Builder mapping = ReadingsTable.builder().setTable(table)
        .setIdColumn("reading_no").setMeterIdColumn("meter").setReadAtColumn("taken_at")
        .setValueColumn("amount").setUnitColumn("uom").setQualityColumn("q")
        .setHistoryTable(db.historyTable);
    if (unit != null) {
      mapping.setNumericTimestampUnit(unit);
    }
    return JdbcReadingSource.builder(db.dataSource).setTable(mapping.build()).setClock(clock)
        .setTicker(clock::nanos)
        .setLease(LEASE).setWorkerId("worker-a").build();
  }

  private static void insert(Database db, String table, long id, String at) throws Exception {
    try (Connection c = db.dataSource.getConnection();
        PreparedStatement insert = c.prepareStatement("INSERT INTO " + table
            + " (reading_no, meter, taken_at, amount, uom) VALUES (?, 'm-1', ?, ?, 'kWh')")) {
      insert.setLong(1, id);
      insert.setString(2, at);
      insert.setString(3, id + ".500");
      insert.executeUpdate();
    }
  }
}

package com.meterit.sync.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.meterit.sync.api.BackoffPolicy;
import com.meterit.sync.api.SyncOutcome;
import com.meterit.sync.api.SyncRun;
import com.meterit.sync.core.SyncManager;
import com.meterit.sync.core.testing.FakeClientSystemGateway;
import com.meterit.sync.core.testing.Harness;
import com.meterit.sync.core.testing.ManualClock;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The server kills the pool's connections mid-drain, as a PostgreSQL restart or an
 * administrator's {@code pg_terminate_backend} does: the pool drops the dead connections and
 * opens new ones, one run fails, and the drain completes with every reading delivered once. (The
 * hand-written pool HikariCP replaced kept a killed connection, which failed every run after.)
 */
class PostgresConnectionKillTest {
  private static final int READINGS = 3_000;

  private final String application =
      "meter-sync-kill-" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
  private final FakeClientSystemGateway server = new FakeClientSystemGateway();
  private final Harness h = new Harness();
  private final ManualClock clock = h.clock();
  private String url;
  private Database db;
  private JdbcReadingSource source;

  @BeforeEach
  void setUp() throws Exception {
    url = System.getenv(PostgresDatabase.URL_VARIABLE);
    assumeTrue(url != null, "set " + PostgresDatabase.URL_VARIABLE + " to run against PostgreSQL");
    db = PostgresDatabase.create();
    JdbcReadingSource.builder(db.dataSource).setTable(db.names()).build().createSchema();
    db.insertReadings(READINGS);
    // Only this test's pool carries this application name, so only its backends are killed.
    source = JdbcReadingSource.builder(
            url + (url.contains("?") ? "&" : "?") + "ApplicationName=" + application, null, null)
        .setTable(db.names())
        .setClock(clock).setTicker(clock::nanos)
        .setWorkerId("kill-test")
        .build();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (source != null) {
      source.close();
    }
    if (db != null) {
      db.dropTables();
    }
  }

  private int killPoolConnections() {
    try (Connection admin = DriverManager.getConnection(url);
        PreparedStatement kill = admin.prepareStatement("SELECT pg_terminate_backend(pid) "
            + "FROM pg_stat_activity WHERE application_name = ?")) {
      kill.setString(1, application);
      int killed = 0;
      try (ResultSet rs = kill.executeQuery()) {
        while (rs.next()) {
          killed += rs.getBoolean(1) ? 1 : 0;
        }
      }
      return killed;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aDrainCompletesWhenTheServerKillsThePoolsConnections() throws Exception {
    AtomicInteger uploads = new AtomicInteger();
    AtomicInteger killed = new AtomicInteger();
    server.beforeUpload(batch -> {
      // Between batches: the previous one is settled, the next one is on the wire.
      if (uploads.incrementAndGet() == 4) {
        killed.addAndGet(killPoolConnections());
      }
    });
    SyncManager manager = h.builder()
        .setSource(source)
        .setGateway(server)
        .setBatchSize(250)
        .setBackoffPolicy(BackoffPolicy.none())
        .setSleeper(d -> { })
        .build();
    manager.start();
    // The run that met the dead connections fails and leaves its readings queued; the next one,
    // on fresh connections, drains the rest.
    SyncRun next = manager.triggerSync().join();
    // A batch whose release also met a dead connection stays leased to this worker, as a crash
    // would leave it (invariant 4): it comes back once its lease lapses on the database's clock.
    // The database's clock judges the lapse; the source's clock schedules its look for lapsed
    // batches.
    db.ageLeases(JdbcReadingSource.DEFAULT_LEASE.plusSeconds(1));
    clock.advance(JdbcReadingSource.DEFAULT_LEASE.plusSeconds(1));
    SyncRun afterLease = manager.triggerSync().join();
    manager.close();

    assertTrue(killed.get() >= 1, "no pool connection was killed");
    assertEquals(SyncOutcome.SUCCEEDED, next.outcome(), next.toString());
    assertEquals(SyncOutcome.SUCCEEDED, afterLease.outcome(), afterLease.toString());
    assertEquals(0, source.pendingCount());
    assertEquals(READINGS, server.accepted().size());
    assertEquals(Map.of(), server.readingsInTwoBatches());
    assertEquals(READINGS, db.count(db.table, "sync_status = 2"));
    assertTrue(manager.getTotals().failures() <= 1, manager.getTotals().toString());
  }
}

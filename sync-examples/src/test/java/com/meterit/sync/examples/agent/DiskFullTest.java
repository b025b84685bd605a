package com.meterit.sync.examples.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.api.HealthReason;
import com.meterit.sync.api.SyncOutcome;
import com.meterit.sync.api.SyncRun;
import com.meterit.sync.api.SyncStatus;
import com.meterit.sync.core.time.Scheduler;
import com.meterit.sync.core.SyncManager;
import com.meterit.sync.core.http.HttpClientSystemGateway;
import com.meterit.sync.examples.tools.simulator.SimulatedClientSystem;
import com.meterit.sync.jdbc.JdbcReadingSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteDataSource;

/**
 * The Sync Database fills up during a drain: SQLite's {@code max_page_count}, set on every
 * connection, stands in for a full file system, so SQLITE_FULL comes at a page the test chose.
 * The agent, its journal and a collector all meet it; nothing is lost or counted twice, the error
 * names the full disk in one line, and the drain resumes once space is freed.
 */
class DiskFullTest {
  private static final String KEY = "disk-full-test-key";
  private static final int BACKLOG = 6_000;
  private static final int BATCH = 500;

  @TempDir
  Path dir;

  /** The most pages any connection may grow the file to: the "disk" size. */
  private volatile long maxPages = Long.MAX_VALUE / 2;

  @Test
  void aDiskThatFillsDuringADrainLosesNothingCountsNothingTwiceAndTheDrainResumes()
      throws Exception {
    Path file = dir.resolve("sync.db");
    SQLiteConfig config = new SQLiteConfig();
    config.setBusyTimeout(10_000);
    SQLiteDataSource disk = new SQLiteDataSource(config) {
      @Override
      public SQLiteConnection getConnection(String user, String password) throws SQLException {
        SQLiteConnection c = super.getConnection(user, password);
        try (Statement s = c.createStatement()) {
          s.execute("PRAGMA max_page_count = " + maxPages);
        }
        return c;
      }
    };
    disk.setUrl("jdbc:sqlite:" + file);

    List<String> lines = new CopyOnWriteArrayList<>();
    AtomicInteger exitCode = new AtomicInteger(-1);
    ScheduledExecutorService agentThread = Executors.newSingleThreadScheduledExecutor();
    try (SimulatedClientSystem server = SimulatedClientSystem.start(KEY);
        JdbcReadingSource source = JdbcReadingSource.builder(disk).build()) {
      source.createSchema();
      collect(disk, 0, BACKLOG);
      // The disk is full from here: the file may not grow by a page.
      maxPages = pageCount(disk);

      HttpClientSystemGateway gateway = HttpClientSystemGateway
          .builder(server.url(), KEY, "gw-disk-full").build();
      AtomicReference<SyncManager> built = new AtomicReference<>();
      StoreWatch watch = new StoreWatch(new StoreWatch.Store() {
        @Override
        public void reopen() {
          source.reopen();
        }

        @Override
        public void probe() {
          source.pendingCount(0);
        }
      }, Scheduler.of(agentThread), () -> built.get().triggerSync(), exitCode::set, lines::add);
      SyncManager manager = SyncManager.builder(source, gateway)
          .setHistory(source.history())
          .setBatchSize(BATCH)
          .setSyncInterval(Duration.ofHours(1))
          .addListener(watch)
          .build();
      built.set(manager);
      try {
        manager.start();
        SyncRun full = manager.triggerSync().get();
        for (int i = 0; i < 5 && full.outcome() != SyncOutcome.FAILED; i++) {
          full = manager.triggerSync().get();
        }
        assertEquals(SyncOutcome.FAILED, full.outcome(), full.toString());
        String error = full.error().orElseThrow();
        assertTrue(error.contains("(disk full)") && error.contains("SQLITE_FULL"), error);
        assertEquals(1, error.lines().count(), error);
        int beforeFreeing = server.acceptedCount();
        assertTrue(beforeFreeing < BACKLOG, "the disk filled before the drain ended");

        // More runs on the full disk: each fails the same way, and nothing more is lost.
        for (int i = 0; i < 3; i++) {
          assertEquals(SyncOutcome.FAILED, manager.triggerSync().get().outcome());
        }
        SyncStatus status = manager.getStatus();
        assertEquals(HealthReason.STORE_FULL, status.health().reason(), status.toString());
        assertTrue(status.pendingReadings().isPresent(), "a full disk still reads");
        // A collector meets the full disk too, with the same clear error.
        SQLException collectorError = assertThrows(SQLException.class,
            () -> collect(disk, BACKLOG, 2_000));
        assertTrue(collectorError.getMessage().contains("SQLITE_FULL"),
            collectorError.getMessage());
        assertEquals(-1, exitCode.get(), "a full disk never ends the agent");
        assertEquals(1, lines.stream().filter(l -> l.contains("disk is full")).count(),
            lines.toString());

        // Space is freed: the collector's readings go in, the drain resumes and completes.
        maxPages = Long.MAX_VALUE / 2;
        collect(disk, BACKLOG, 500);
        SyncRun resumed = manager.triggerSync().get();
        assertEquals(SyncOutcome.SUCCEEDED, resumed.outcome(), resumed.toString());
        assertEquals(BACKLOG + 500, server.acceptedCount());
        assertEquals(0, source.pendingCount());
        assertEquals(List.of(), List.copyOf(server.acceptedUnderSeveralBatches()),
            "no reading in two batches");
        assertEquals(0, server.conflicts(), "no batch id reused with other readings");
        assertEquals(HealthReason.OK, manager.getStatus().health().reason());
        assertTrue(lines.get(lines.size() - 1).contains("works again"), lines.toString());
      } finally {
        manager.close();
      }
    } finally {
      agentThread.shutdownNow();
    }
  }

  private static void collect(SQLiteDataSource disk, int from, int count) throws SQLException {
    try (Connection c = disk.getConnection(); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      for (int i = from; i < from + count; i++) {
        s.addBatch("INSERT INTO meter_readings (meter_id, read_at, value, unit) VALUES ('meter-"
            + i + "', '2026-01-01T00:15:00Z', '" + i + ".25', 'kWh')");
      }
      try {
        s.executeBatch();
        c.commit();
      } catch (SQLException e) {
        try {
          c.rollback();
        } catch (SQLException alreadyRolledBack) {
          // SQLite rolls a transaction back itself on SQLITE_FULL.
          e.addSuppressed(alreadyRolledBack);
        }
        throw e;
      }
    }
  }

  private static long pageCount(SQLiteDataSource disk) throws SQLException {
    return pragma(disk, "page_count");
  }

  private static long pragma(SQLiteDataSource disk, String name) throws SQLException {
    try (Connection c = disk.getConnection(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("PRAGMA " + name)) {
      r.next();
      return r.getLong(1);
    }
  }
}

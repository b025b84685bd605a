package com.meterit.sync.examples.agent;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.core.SyncManager;
import com.meterit.sync.core.http.HttpClientSystemGateway;
import com.meterit.sync.examples.tools.simulator.SimulatedClientSystem;
import com.meterit.sync.jdbc.JdbcReadingSource;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A collector in a process of its own, the {@code sqlite3} shell with the documented busy
 * timeout, inserts into the default store while the library drains it to a Client System on
 * loopback: no insert fails, and every reading arrives once.
 */
class CollectorProcessTest {
  private static final String KEY = "collector-key";
  private static final int TRANSACTIONS = 2000;
  private static final int ROWS_PER_TRANSACTION = 5;

  @TempDir
  Path dir;

  @Test
  void aSqlite3ShellInsertsWhileTheSourceDrainsAndEveryReadingArrivesOnce() throws Exception {
    Path db = dir.resolve("data").resolve("meter-sync.db");
    try (SimulatedClientSystem server = SimulatedClientSystem.start(KEY);
        JdbcReadingSource source = JdbcReadingSource.fromEnv(Map.of("SYNC_DB_URL",
            "jdbc:sqlite:" + db))) {
      source.createSchema();
      SyncManager manager = SyncManager.builder()
          .setSource(source)
          .setGateway(HttpClientSystemGateway.builder(server.url(), KEY, "gw-collector")
              .setRequestTimeout(Duration.ofSeconds(10)).build())
          .setBatchSize(50)
          .build();
      manager.start();
      AtomicBoolean collecting = new AtomicBoolean(true);
      CompletableFuture<Void> drain = CompletableFuture.runAsync(() -> {
        while (collecting.get()) {
          manager.triggerSync().join();
        }
      });

      Process collector = new ProcessBuilder("sqlite3", db.toString())
          .redirectOutput(dir.resolve("collector.out").toFile())
          .redirectError(dir.resolve("collector.err").toFile())
          .start();
      try (Writer stdin = new OutputStreamWriter(collector.getOutputStream(),
          StandardCharsets.UTF_8)) {
        // As the README tells collectors: wait up to 5 s for the write lock; stop at an error.
        stdin.write(".timeout 5000\n.bail on\n");
        writeTransactions(stdin, 0, TRANSACTIONS / 2);
        // Half written and the shell still connected: the drain has taken some of it already.
        await().atMost(Duration.ofSeconds(60)).until(() -> server.acceptedCount() > 0);
        writeTransactions(stdin, TRANSACTIONS / 2, TRANSACTIONS);
      } catch (IOException e) {
        collector.waitFor(60, TimeUnit.SECONDS);
        throw new AssertionError("the collector stopped early: "
            + Files.readString(dir.resolve("collector.err")), e);
      }
      assertTrue(collector.waitFor(120, TimeUnit.SECONDS), "the collector did not finish");
      String errors = Files.readString(dir.resolve("collector.err"));
      assertEquals(0, collector.exitValue(), errors);
      assertEquals("", errors, "no insert failed");
      collecting.set(false);
      drain.get(60, TimeUnit.SECONDS);
      int total = TRANSACTIONS * ROWS_PER_TRANSACTION;
      await().atMost(Duration.ofSeconds(60)).until(() -> {
        manager.triggerSync().join();
        return server.acceptedCount() >= total;
      });
      manager.close();

      Map<Long, BigDecimal> written = written(db);
      assertEquals(total, written.size());
      assertEquals(written, server.accepted(), "every reading once, with its value");
      assertTrue(server.acceptedUnderSeveralBatches().isEmpty());
      assertEquals(0, server.conflicts());
      assertEquals(0, source.pendingCount());
    }
  }

  /** Transactions {@code from} to {@code to}, each a few plain INSERTs, as a collector writes. */
  private static void writeTransactions(Writer out, int from, int to) throws IOException {
    for (int t = from; t < to; t++) {
      out.write("BEGIN;\n");
      for (int r = 0; r < ROWS_PER_TRANSACTION; r++) {
        int n = t * ROWS_PER_TRANSACTION + r;
        out.write(String.format(Locale.ROOT, "INSERT INTO meter_readings (meter_id, read_at, value, "
            + "unit) VALUES ('meter-%03d', '2026-01-01T%02d:%02d:00Z', '%d.%03d', 'kWh');%n",
            n % 100, n / 60 % 24, n % 60, n, n % 1000));
      }
      out.write("COMMIT;\n");
    }
    out.flush();
  }

  private static Map<Long, BigDecimal> written(Path db) throws Exception {
    Map<Long, BigDecimal> written = new HashMap<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id, value FROM meter_readings")) {
      while (rs.next()) {
        written.put(rs.getLong(1), new BigDecimal(rs.getString(2)));
      }
    }
    return written;
  }
}

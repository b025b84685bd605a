package com.meterit.sync.examples.agent;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.examples.tools.simulator.SimulatedClientSystem;
import com.meterit.sync.jdbc.JdbcReadingSource;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent on a Sync Database that breaks after start: it reopens it, and when it stays broken
 * it exits with the documented code instead of running on as a zombie.
 */
class AgentStoreFailureTest {
  private static final String KEY = "store-failure-test-key";

  @TempDir
  Path dir;

  private static Map<String, String> env(String clientApiUrl, String dbUrl) {
    return AgentProcess.env(clientApiUrl, KEY, "gw-store-failure-test", dbUrl);
  }

  @Test
  void aSqliteFileCorruptedWhileTheAgentRunsEndsItWithExitThree() throws Exception {
    Path file = dir.resolve("sync.db");
    AgentProcess agent = drainThen(file, () -> overwritePages(file));
    assertEquals(SyncAgent.EXIT_DATABASE, agent.exitValue(), agent.output());
    String out = agent.stdout();
    assertTrue(out.contains("The Sync Database is damaged; reopening it in 2 s (attempt 1 of 3)"),
        out);
    assertTrue(out.contains("SQLITE_CORRUPT"), out);
    assertTrue(out.contains("The Sync Database stays damaged after 3 reopens; exiting with code 3"),
        out);
    assertOneLineOnStderr(agent, "meter-sync-agent: the Sync Database is damaged");
    assertNoMinusOne(out);
  }

  @Test
  void aSqliteFileThatIsNoLongerADatabaseEndsTheAgentWithExitThree() throws Exception {
    Path file = dir.resolve("sync.db");
    AgentProcess agent = drainThen(file, () -> overwrite(file, 0, 100));
    assertEquals(SyncAgent.EXIT_DATABASE, agent.exitValue(), agent.output());
    assertTrue(agent.stdout().contains("SQLITE_NOTADB"), agent.stdout());
    assertOneLineOnStderr(agent, "meter-sync-agent: the Sync Database is damaged");
    assertNoMinusOne(agent.stdout());
  }

  @Test
  void anH2DatabaseClosedUnderTheAgentThatCannotBeReopenedEndsItWithExitOne() throws Exception {
    // In this JVM, so that the test's SHUTDOWN closes the very database the agent has open.
    Path base = dir.resolve("sync");
    String dbUrl = "jdbc:h2:file:" + base + ";NON_KEYWORDS=VALUE;IFEXISTS=TRUE";
    try (JdbcReadingSource source = JdbcReadingSource.fromEnv(
        Map.of("SYNC_DB_URL", "jdbc:h2:file:" + base + ";NON_KEYWORDS=VALUE"))) {
      source.createSchema();
    }
    ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
    CountDownLatch stop = new CountDownLatch(1);
    try (SimulatedClientSystem server = SimulatedClientSystem.start(KEY)) {
      CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(
          () -> SyncAgent.run(env(server.url().toString(), dbUrl), stop, err));
      try {
        execute(dbUrl, "INSERT INTO meter_readings (meter_id, read_at, value, unit) VALUES "
            + "('meter-1', TIMESTAMP WITH TIME ZONE '2026-01-01 00:15:00+00', '1.5', 'kWh')");
        assertTrue(server.awaitAccepted(1, Duration.ofSeconds(60)));

        execute(dbUrl, "SHUTDOWN");
        // Gone for good: IFEXISTS=TRUE refuses to make a new, empty one in its place.
        Files.move(dir.resolve("sync.mv.db"), dir.resolve("elsewhere.mv.db"));

        int code = exit.get(90, TimeUnit.SECONDS);
        assertEquals(SyncAgent.EXIT_FAILURE, code, errBytes.toString(StandardCharsets.UTF_8));
        assertEquals("meter-sync-agent: the Sync Database stays unavailable after reopening; a "
            + "restart may cure it", errBytes.toString(StandardCharsets.UTF_8).trim());
      } finally {
        stop.countDown();
      }
    }
  }

  /**
   * Starts the agent on a SQLite file, lets it drain 300 readings, breaks the file and waits for
   * the agent to end.
   */
  private AgentProcess drainThen(Path file, Breakage breakage) throws Exception {
    // A rollback journal, not the default WAL: there a new change counter in the header makes the
    // agent's pooled connections drop their cached pages, so the damage shows at the next run. In
    // WAL mode the same damage shows only once a page no connection caches is read, which no
    // test can time; the exit policy after that is the same (StoreWatchTest).
    String dbUrl = "jdbc:sqlite:" + file + "?journal_mode=DELETE";
    try (SimulatedClientSystem server = SimulatedClientSystem.start(KEY)) {
      AgentProcess agent = AgentProcess.agent(dir, "agent", env(server.url().toString(), dbUrl));
      try {
        await().atMost(Duration.ofSeconds(60)).until(() -> agent.stdout().contains("Syncing"));
        try (Connection c = DriverManager.getConnection(dbUrl); Statement s = c.createStatement()) {
          s.execute("PRAGMA busy_timeout = 10000");
          c.setAutoCommit(false);
          for (int i = 0; i < 300; i++) {
            s.addBatch("INSERT INTO meter_readings (meter_id, read_at, value, unit) VALUES "
                + "('meter-" + i + "', '2026-01-01T00:15:00Z', '" + i + ".5', 'kWh')");
          }
          s.executeBatch();
          c.commit();
        }
        assertTrue(server.awaitAccepted(300, Duration.ofSeconds(60)), agent::output);
        breakage.apply();
        // The next run (every 1.2 s) finds it; three reopens take 2 + 4 + 8 s.
        assertTrue(agent.process.waitFor(90, TimeUnit.SECONDS), agent.output());
        assertEquals(300, server.acceptedCount(), "nothing sent twice: " + agent.output());
        return agent;
      } finally {
        agent.process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
    }
  }

  /** Garbage over every page but the first, and a new change counter so no cache hides it. */
  private static void overwritePages(Path file) throws Exception {
    long length = Files.size(file);
    overwrite(file, 4096, length - 4096);
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(24);
      raf.writeInt(raf.readInt() + 1_000);
    }
    Path wal = Path.of(file + "-wal");
    if (Files.exists(wal) && Files.size(wal) > 0) {
      overwrite(wal, 0, Files.size(wal));
    }
  }

  private static void overwrite(Path file, long from, long length) throws Exception {
    byte[] garbage = new byte[(int) length];
    new Random(7).nextBytes(garbage);
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(from);
      raf.write(garbage);
    }
  }

  private static void assertOneLineOnStderr(AgentProcess agent, String start) {
    String err = agent.stderr().trim();
    assertTrue(err.startsWith(start), err);
    assertEquals(1, err.lines().count(), err);
  }

  /** An unknown backlog is "unknown" in every line, never -1. */
  private static void assertNoMinusOne(String out) {
    assertFalse(out.contains("pending=-1"), out);
    assertFalse(out.contains("Stopped; -1"), out);
    assertTrue(out.contains("pending=unknown") || out.contains("Stopped; unknown"), out);
  }

  @FunctionalInterface
  private interface Breakage {
    void apply() throws Exception;
  }

  private static void execute(String url, String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}

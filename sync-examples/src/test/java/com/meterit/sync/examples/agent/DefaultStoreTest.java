package com.meterit.sync.examples.agent;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.examples.tools.simulator.SimulatedClientSystem;
import com.meterit.sync.jdbc.JdbcReadingSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent without {@code SYNC_DB_URL}: the SQLite file under {@code ./data}, private and
 * power-safe, and never an empty queue beside the H2 file of the former default.
 */
class DefaultStoreTest {
  private static final String KEY = "default-store-key";

  @TempDir
  Path dir;

  private static Map<String, String> env(String clientApiUrl) {
    return AgentProcess.env(clientApiUrl, KEY, "gw-default-store", null);
  }

  @Test
  void theDefaultStoreIsAPrivateSqliteFileInWalModeThatACollectorFills() throws Exception {
    try (SimulatedClientSystem server = SimulatedClientSystem.start(KEY)) {
      AgentProcess agent = AgentProcess.agent(dir, "agent", env(server.url().toString()));
      try {
        await().atMost(Duration.ofSeconds(60)).alias("the agent's start")
            .until(() -> agent.stdout().contains("Syncing") || !agent.process.isAlive());
        assertTrue(agent.process.isAlive(), agent.output());
        Path data = dir.resolve("data");
        Path db = data.resolve("meter-sync.db");
        assertEquals("rwx------", mode(data));
        assertEquals("rw-------", mode(db));
        assertEquals("rw-------", mode(data.resolve("meter-sync.db-wal")));
        assertEquals("rw-------", mode(data.resolve("meter-sync.db-shm")));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
            Statement s = c.createStatement()) {
          s.execute("PRAGMA busy_timeout = 5000");
          try (ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
            assertTrue(rs.next());
            assertEquals("wal", rs.getString(1));
          }
          s.executeUpdate("INSERT INTO meter_readings (meter_id, read_at, value, unit) "
              + "VALUES ('meter-1', '2026-01-01T00:15:00Z', '1.500', 'kWh')");
        }
        assertTrue(server.awaitAccepted(1, Duration.ofSeconds(60)), agent::output);
        assertEquals(0, agent.stop(), agent.output());
      } finally {
        agent.process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
      assertFalse(Files.exists(dir.resolve("meter-sync.db")), "nothing in the working directory");
    }
  }

  @Test
  void anOldDefaultH2QueueWithoutSyncDbUrlExitsTwoAndCreatesNothing() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    createH2Queue(JdbcReadingSource.H2_FILE_URL.replace("./data/", data + "/"));
    assertTrue(Files.exists(data.resolve("meter-sync.mv.db")));
    AgentProcess agent = AgentProcess.agent(dir, "agent", env("http://127.0.0.1:9/api"));
    assertTrue(agent.process.waitFor(60, TimeUnit.SECONDS));
    assertEquals(2, agent.exitValue(), agent.output());
    String err = agent.stderr().trim();
    assertEquals(1, err.lines().count(), err);
    assertTrue(err.startsWith("meter-sync-agent: SYNC_DB_URL is not set and "
        + "./data/meter-sync.mv.db holds a queue of the former default, H2"), err);
    assertTrue(err.contains("SYNC_DB_URL='" + JdbcReadingSource.H2_FILE_URL + "'"), err);
    assertFalse(Files.exists(data.resolve("meter-sync.db")), "no SQLite queue beside it");
    assertEquals("", agent.stdout());
  }

  @Test
  void theH2UrlTheRefusalGivesDrainsTheOldQueue() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    String absolute = JdbcReadingSource.H2_FILE_URL.replace("./data/", data + "/");
    createH2Queue(absolute);
    try (SimulatedClientSystem server = SimulatedClientSystem.start(KEY)) {
      Map<String, String> env = env(server.url().toString());
      env.put("SYNC_DB_URL", JdbcReadingSource.H2_FILE_URL);  // relative, as the line says
      AgentProcess agent = AgentProcess.agent(dir, "agent", env);
      try {
        assertTrue(server.awaitAccepted(2, Duration.ofSeconds(60)), agent::output);
        assertEquals(0, agent.stop(), agent.output());
      } finally {
        agent.process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
    }
    assertFalse(Files.exists(data.resolve("meter-sync.db")));
  }

  /** The old default's H2 file with two pending readings, closed, as an agent leaves it. */
  private static void createH2Queue(String url) throws Exception {
    try (JdbcReadingSource h2 = JdbcReadingSource.fromEnv(Map.of("SYNC_DB_URL", url))) {
      h2.createSchema();
    }
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.executeUpdate("INSERT INTO meter_readings (meter_id, read_at, value, unit) VALUES "
          + "('meter-1', TIMESTAMP WITH TIME ZONE '2026-01-01 00:15:00+00', '1.5', 'kWh'), "
          + "('meter-2', TIMESTAMP WITH TIME ZONE '2026-01-01 00:15:00+00', '2.5', 'kWh')");
      // DB_CLOSE_DELAY=-1 keeps it open in this JVM otherwise, and the agent could not open it.
      s.execute("SHUTDOWN");
    }
  }

  private static String mode(Path path) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }
}

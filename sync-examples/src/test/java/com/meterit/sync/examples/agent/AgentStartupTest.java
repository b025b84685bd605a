package com.meterit.sync.examples.agent;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.meterit.sync.examples.tools.simulator.SimulatedClientSystem;
import com.meterit.sync.jdbc.JdbcReadingSource;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an operator meets when the agent starts: a database not up yet, and mistakes. */
class AgentStartupTest {
  private static final String KEY = "startup-test-key";

  @TempDir
  Path dir;

  private static Map<String, String> env(String clientApiUrl, String dbUrl) {
    return AgentProcess.env(clientApiUrl, KEY, "gw-startup-test", dbUrl);
  }

  @Test
  void waitsForAPostgresDatabaseCreatedAfterItStartedThenDrainsIt() throws Exception {
    String testUrl = System.getenv("METER_SYNC_TEST_POSTGRES_URL");
    assumeTrue(testUrl != null, "set METER_SYNC_TEST_POSTGRES_URL to run against PostgreSQL");
    String name = "meter_sync_wait_" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
    int query = testUrl.indexOf('?');
    String base = testUrl.substring(0, testUrl.lastIndexOf('/', query < 0 ? testUrl.length() : query));
    String dbUrl = base + "/" + name + (query < 0 ? "" : testUrl.substring(query));
    try (SimulatedClientSystem server = SimulatedClientSystem.start(KEY)) {
      AgentProcess agent = AgentProcess.agent(dir, "agent", env(server.url().toString(), dbUrl));
      try {
        await().atMost(Duration.ofSeconds(60)).until(
            () -> agent.stdout().contains("Sync Database not reachable yet"));
        assertTrue(agent.process.isAlive(), agent.output());
        execute(testUrl, "CREATE DATABASE " + name);

        await().atMost(Duration.ofSeconds(60)).until(() -> agent.stdout().contains("Syncing"));
        execute(dbUrl, "INSERT INTO meter_readings (meter_id, read_at, value, unit) "
            + "SELECT 'meter-' || i, TIMESTAMPTZ '2026-01-01 00:15:00+00', i, 'kWh' "
            + "FROM generate_series(1, 500) AS i");
        assertTrue(server.awaitAccepted(500, Duration.ofSeconds(60)), agent::output);
        assertEquals(0, agent.stop(), agent.output());
      } finally {
        agent.process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        execute(testUrl, "DROP DATABASE IF EXISTS " + name);
      }
      String out = agent.stdout();
      assertEquals(1, out.split("Sync Database not reachable yet", -1).length - 1,
          "one line per change of state, not one per attempt:\n" + out);
      assertTrue(out.contains("does not exist"), out);
      assertTrue(out.contains("Sync Database reachable after"), out);
    }
  }

  @Test
  void waitsForAnH2FileHeldByAnotherProcessThenDrainsIt() throws Exception {
    String dbUrl = "jdbc:h2:file:" + dir.resolve("sync") + ";NON_KEYWORDS=VALUE";
    try (JdbcReadingSource source = JdbcReadingSource.fromEnv(Map.of("SYNC_DB_URL", dbUrl))) {
      source.createSchema();
    }
    try (SimulatedClientSystem server = SimulatedClientSystem.start(KEY)) {
      AgentProcess agent;
      try (Connection held = DriverManager.getConnection(dbUrl); Statement s = held.createStatement()) {
        agent = AgentProcess.agent(dir, "agent", env(server.url().toString(), dbUrl));
        await().atMost(Duration.ofSeconds(60)).until(
            () -> agent.stdout().contains("Sync Database not reachable yet"));
        s.executeUpdate("INSERT INTO meter_readings (meter_id, read_at, value, unit) VALUES "
            + "('meter-1', TIMESTAMP WITH TIME ZONE '2026-01-01 00:15:00+00', '1.5', 'kWh')");
        assertTrue(agent.process.isAlive(), agent.output());
      }
      assertTrue(server.awaitAccepted(1, Duration.ofSeconds(60)), agent::output);
      assertEquals(0, agent.stop(), agent.output());
    }
  }

  @Test
  void anH2DirectoryThatCannotBeCreatedExitsThreeWithOneLine() throws Exception {
    Path blocker = Files.writeString(dir.resolve("a-file"), "not a directory");
    String dbUrl = "jdbc:h2:file:" + blocker.resolve("data/meter-sync") + ";NON_KEYWORDS=VALUE";
    AgentProcess agent = AgentProcess.agent(dir, "agent", env("http://127.0.0.1:9/api", dbUrl));
    assertTrue(agent.process.waitFor(60, TimeUnit.SECONDS));
    assertEquals(3, agent.exitValue(), agent.output());
    String err = agent.stderr().trim();
    assertTrue(err.startsWith("meter-sync-agent: the Sync Database cannot be used: SYNC_DB_URL names "
        + "an H2 file in " + blocker.resolve("data") + ", a directory that cannot be created"), err);
    assertEquals(1, err.lines().count(), err);
    assertEquals("", agent.stdout());
  }

  @Test
  void anUnknownLogLevelExitsTwoNamingTheVariable() throws Exception {
    Map<String, String> env = env("http://127.0.0.1:9/api", "jdbc:h2:mem:x");
    env.put("LOG_LEVEL", "loud");
    AgentProcess agent = AgentProcess.agent(dir, "agent", env);
    assertTrue(agent.process.waitFor(60, TimeUnit.SECONDS));
    assertEquals(2, agent.exitValue());
    assertEquals("meter-sync-agent: LOG_LEVEL must be one of trace, debug, info, warn, error, off: "
        + "'loud'", agent.stderr().trim());
  }

  @Test
  void aCaFileThatIsNotACertificateExitsTwoNamingTheVariable() throws Exception {
    Path notPem = Files.writeString(dir.resolve("ca.pem"), "not a certificate\n");
    Map<String, String> env = env("https://127.0.0.1:9/api", "jdbc:h2:mem:x");
    env.put("CLIENT_API_CA_FILE", notPem.toString());
    AgentProcess agent = AgentProcess.agent(dir, "agent", env);
    assertTrue(agent.process.waitFor(60, TimeUnit.SECONDS));
    assertEquals(2, agent.exitValue(), agent.output());
    assertEquals("meter-sync-agent: CLIENT_API_CA_FILE names a file without a PEM certificate: "
        + notPem, agent.stderr().trim());
  }

  @Test
  void saysWhyTheClientSystemIsUnreachableAndLogsAtTheLevelAsked() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Map<String, String> env = env("http://127.0.0.1:" + closedPort + "/api",
        "jdbc:h2:file:" + dir.resolve("sync") + ";NON_KEYWORDS=VALUE");
    env.put("LOG_LEVEL", "debug");
    AgentProcess agent = AgentProcess.agent(dir, "agent", env);
    await().atMost(Duration.ofSeconds(60)).until(
        () -> agent.stdout().contains("Client System unreachable (connection refused"));
    assertEquals(0, agent.stop(), agent.output());
    assertTrue(agent.stdout().contains("[DEBUG]"), agent.stdout());
    assertFalse(agent.output().contains("\tat "), "no stack trace: " + agent.output());
  }

  @Test
  void aWrongApiKeyIsOneErrorWithinSecondsOnAnEmptyQueueAndStatusClaimsNoSuccess()
      throws Exception {
    String dbUrl = "jdbc:sqlite:" + dir.resolve("data").resolve("meter-sync.db");
    try (SimulatedClientSystem server = SimulatedClientSystem.start(KEY)) {
      Map<String, String> env = env(server.url().toString(), dbUrl);
      env.put("CLIENT_API_KEY", "not-the-key");
      AgentProcess agent = AgentProcess.agent(dir, "agent", env);
      try {
        await().atMost(Duration.ofSeconds(60)).until(() -> agent.stdout().contains("Syncing"));
        long syncing = System.nanoTime();
        await().atMost(Duration.ofSeconds(10)).until(() -> agent.stdout().contains("[ERROR]"));
        System.out.printf("wrong key: ERROR %d ms after 'Syncing'%n",
            (System.nanoTime() - syncing) / 1_000_000);
        // A run every 1.2 s: several more runs fail the same way, without another ERROR.
        await().atMost(Duration.ofSeconds(60)).until(
            () -> agent.stdout().split("run FAILED", -1).length > 4);
        assertEquals(0, agent.stop(), agent.output());
      } finally {
        agent.process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
      String out = agent.stdout();
      assertEquals(1, out.split("\\[ERROR\\]", -1).length - 1, "one ERROR, not one per run:\n" + out);
      assertTrue(out.contains("[ERROR] RunReporter - Sync is blocked (AUTH_FAILED): the Client "
          + "System refused the API key (HTTP 401)"), out);
      assertEquals(0, server.acceptedCount());

      AgentProcess status = AgentProcess.command(dir, "status", Map.of("SYNC_DB_URL", dbUrl),
          "status");
      assertEquals(0, status.exitValue(), status.output());
      assertFalse(status.stdout().contains("last success"), status.stdout());
      assertFalse(status.stdout().contains("SUCCEEDED"), status.stdout());
      assertTrue(status.stdout().contains("refused the API key"), status.stdout());
    }
  }

  private static void execute(String url, String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}

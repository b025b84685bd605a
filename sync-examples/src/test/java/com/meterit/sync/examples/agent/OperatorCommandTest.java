package com.meterit.sync.examples.agent;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.meterit.sync.examples.tools.simulator.SimulatedClientSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code status} and {@code quarantine} against the database of an agent that is running. */
class OperatorCommandTest {
  private static final String KEY = "operator-test-key";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void statusAndQuarantineWorkWhileTheAgentRuns() throws Exception {
    // The default store, SQLite under ./data: the agent and the commands share the file.
    String dbUrl = "jdbc:sqlite:" + dir.resolve("data").resolve("meter-sync.db");
    Map<String, String> env = new HashMap<>();
    try (SimulatedClientSystem server = SimulatedClientSystem.start(KEY)) {
      Map<String, String> agentEnv = new HashMap<>(env);
      agentEnv.put("CLIENT_API_URL", server.url().toString());
      agentEnv.put("CLIENT_API_KEY_FILE",
          Files.writeString(dir.resolve("api-key"), KEY + "\n").toString());
      agentEnv.put("GATEWAY_ID", "gw-operator-test");
      agentEnv.put("SYNC_INTERVAL_MINUTES", "0.02");
      AgentProcess agent = AgentProcess.agent(dir, "agent", agentEnv);
      await().atMost(Duration.ofSeconds(60)).until(() -> agent.stdout().contains("Syncing"));
      try (Connection c = DriverManager.getConnection(dbUrl); Statement s = c.createStatement()) {
        s.execute("PRAGMA busy_timeout = 5000");
        s.executeUpdate("INSERT INTO meter_readings (meter_id, read_at, value, unit) VALUES "
            + "('meter-1', '2026-01-01T00:15:00Z', '1.500', 'kWh'), "
            + "('meter-2', '2026-01-01T00:15:00Z', '2.000', 'furlongs')");
      }
      assertTrue(server.awaitAccepted(1, Duration.ofSeconds(60)), agent::output);
      await().atMost(Duration.ofSeconds(60)).until(() -> server.rejected().size() == 1);
      long rejectedId = server.rejected().keySet().iterator().next();

      AgentProcess status = AgentProcess.command(dir, "status", env, "status", "--json");
      assertEquals(0, status.exitValue(), status.output());
      JsonNode json = JSON.readTree(status.stdout());
      assertEquals(0, json.get("pending").asLong(), status.stdout());
      assertEquals(1, json.get("quarantined").asLong(), status.stdout());
      assertEquals(1, json.at("/last24h/readingsSynced").asLong(), status.stdout());
      assertTrue(json.get("recentRuns").size() >= 1, status.stdout());

      AgentProcess text = AgentProcess.command(dir, "status-text", env, "status");
      assertEquals(0, text.exitValue(), text.output());
      assertTrue(text.stdout().startsWith("pending:       0 readings\nquarantined:   1 readings"),
          text.stdout());

      AgentProcess list = AgentProcess.command(dir, "list", env, "quarantine", "list", "10");
      assertEquals(0, list.exitValue(), list.output());
      assertTrue(list.stdout().contains("meter-2"), list.stdout());
      assertTrue(list.stdout().contains("unknown unit 'furlongs'"), list.stdout());

      AgentProcess requeue = AgentProcess.command(dir, "requeue", env,
          "quarantine", "requeue", Long.toString(rejectedId));
      assertEquals(0, requeue.exitValue(), requeue.output());
      assertEquals("re-queued 1 of 1 readings", requeue.stdout().trim());
      // The agent claims the re-queued reading again, and the server refuses it again.
      await().atMost(Duration.ofSeconds(60)).until(
          () -> agent.stdout().split("Quarantined 1 reading", -1).length - 1 == 2);

      AgentProcess none = AgentProcess.command(dir, "requeue-none", env,
          "quarantine", "requeue", "999999");
      assertEquals(1, none.exitValue(), "re-queuing nothing is a failure: " + none.output());

      assertEquals(0, agent.stop(), agent.output());
      assertFalse(agent.output().contains("Exception"), agent.output());
    }
  }

  @Test
  void statusExitsNonZeroWithOneLineWhenThereIsNoSyncDatabase() throws Exception {
    Map<String, String> env = Map.of("SYNC_DB_URL",
        "jdbc:h2:file:" + dir.resolve("nothing-here") + ";NON_KEYWORDS=VALUE");
    AgentProcess status = AgentProcess.command(dir, "status", env, "status");
    assertEquals(1, status.exitValue());
    assertEquals("meter-sync-agent: there is no Sync Database at SYNC_DB_URL; is it the agent's?",
        status.stderr().trim());
    assertFalse(Files.exists(dir.resolve("nothing-here.mv.db")), "status must not create one");
  }

  @Test
  void statusOnAFileThatIsNoDatabaseExitsThreeAsTheAgentDoes() throws Exception {
    Path file = dir.resolve("sync.db");
    byte[] garbage = new byte[8192];
    new Random(7).nextBytes(garbage);
    Files.write(file, garbage);
    AgentProcess status = AgentProcess.command(dir, "status",
        Map.of("SYNC_DB_URL", "jdbc:sqlite:" + file), "status");
    assertEquals(SyncAgent.EXIT_DATABASE, status.exitValue(), status.output());
    assertTrue(status.stderr().trim().startsWith("meter-sync-agent: the Sync Database is damaged"),
        status.stderr());
    assertEquals(1, status.stderr().trim().lines().count(), status.stderr());
  }

  @Test
  void statusNeverCreatesAnSqliteFile() throws Exception {
    Map<String, String> env = Map.of("SYNC_DB_URL",
        "jdbc:sqlite:" + dir.resolve("nowhere").resolve("nothing-here.db"));
    AgentProcess status = AgentProcess.command(dir, "status", env, "status");
    assertEquals(1, status.exitValue());
    assertEquals("meter-sync-agent: there is no Sync Database at SYNC_DB_URL; is it the agent's?",
        status.stderr().trim());
    assertFalse(Files.exists(dir.resolve("nowhere")), "status must not create one");
  }

  @Test
  void aCommandItDoesNotKnowExitsTwoWithTheUsage() throws Exception {
    AgentProcess wrong = AgentProcess.command(dir, "wrong", Map.of(), "quarantine", "purge");
    assertEquals(2, wrong.exitValue());
    assertTrue(wrong.stderr().startsWith("meter-sync-agent: usage: java -jar meter-sync-agent.jar"),
        wrong.stderr());
  }
}

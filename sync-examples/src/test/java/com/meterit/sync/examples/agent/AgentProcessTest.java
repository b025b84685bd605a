package com.meterit.sync.examples.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.examples.tools.simulator.SimulatedClientSystem;
import com.meterit.sync.jdbc.JdbcReadingSource;
import java.io.File;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent as a real child process, configured only by its environment. */
class AgentProcessTest {
  private static final String KEY = "agent-test-key";
  private static final int BACKLOG = 50_000;

  @TempDir
  Path dir;

  private Process startAgent(Map<String, String> env, String log) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-cp",
        System.getProperty("java.class.path"), SyncAgent.class.getName());
    builder.environment().clear();
    builder.environment().putAll(env);
    builder.redirectErrorStream(false);
    builder.redirectOutput(dir.resolve(log + ".out").toFile());
    builder.redirectError(dir.resolve(log + ".err").toFile());
    return builder.start();
  }

  private String output(String log) throws Exception {
    return Files.readString(dir.resolve(log + ".out")) + Files.readString(dir.resolve(log + ".err"));
  }

  private Map<String, String> env(SimulatedClientSystem server, String dbUrl) {
    Map<String, String> env = new HashMap<>();
    env.put("CLIENT_API_URL", server.url().toString());
    env.put("CLIENT_API_KEY", KEY);
    env.put("GATEWAY_ID", "gw-agent-test");
    env.put("SYNC_DB_URL", dbUrl);
    env.put("SYNC_INTERVAL_MINUTES", "0.05");
    env.put("BATCH_SIZE", "100");
    return env;
  }

  @Test
  void survivesSigkillMidDrainWithNothingLostAndNothingCountedTwice() throws Exception {
    String dbUrl = "jdbc:h2:file:" + dir.resolve("sync") + ";NON_KEYWORDS=VALUE";
    Map<Long, BigDecimal> written = writeBacklog(dbUrl);

    try (SimulatedClientSystem server = SimulatedClientSystem.start(KEY)) {
      Process first = startAgent(env(server, dbUrl), "first");
      assertTrue(server.awaitAccepted(2_000, Duration.ofSeconds(60)), () -> safeOutput("first"));
      first.destroyForcibly();
      assertTrue(first.waitFor(30, TimeUnit.SECONDS));
      int beforeRestart = server.acceptedCount();
      assertTrue(beforeRestart < BACKLOG, "the kill must land mid-drain: " + beforeRestart);

      Process second = startAgent(env(server, dbUrl), "second");
      assertTrue(server.awaitAccepted(BACKLOG, Duration.ofSeconds(120)), () -> safeOutput("second"));
      second.destroy();
      assertTrue(second.waitFor(60, TimeUnit.SECONDS));
      assertEquals(0, second.exitValue(), "SIGTERM stops gracefully: " + safeOutput("second"));

      assertEquals(written, server.accepted(), "every reading arrived with its exact value");
      assertTrue(server.acceptedUnderSeveralBatches().isEmpty(),
          "accepted under two batch contents: " + server.acceptedUnderSeveralBatches());
      assertEquals(0, server.conflicts());
    }
    try (JdbcReadingSource source = JdbcReadingSource.fromEnv(Map.of("SYNC_DB_URL", dbUrl))) {
      assertEquals(0, source.pendingCount());
    }
  }

  @Test
  void aMalformedBatchSizeExitsNonZeroNamingTheVariable() throws Exception {
    try (SimulatedClientSystem server = SimulatedClientSystem.start(KEY)) {
      Map<String, String> env = env(server, "jdbc:h2:file:" + dir.resolve("bad") + ";NON_KEYWORDS=VALUE");
      env.put("BATCH_SIZE", "lots");
      Process agent = startAgent(env, "bad");
      assertTrue(agent.waitFor(60, TimeUnit.SECONDS));
      assertEquals(2, agent.exitValue());
      String err = Files.readString(dir.resolve("bad.err"), StandardCharsets.UTF_8).trim();
      assertEquals("meter-sync-agent: BATCH_SIZE must be a whole number: 'lots'", err);
      assertFalse(output("bad").contains("Exception"), output("bad"));
    }
  }

  private String safeOutput(String log) {
    try {
      return output(log);
    } catch (Exception e) {
      return "(no output: " + e + ")";
    }
  }

  /** A week-offline backlog, written as a meter collector would, with the database closed after. */
  private static Map<Long, BigDecimal> writeBacklog(String dbUrl) throws Exception {
    try (JdbcReadingSource source = JdbcReadingSource.fromEnv(Map.of("SYNC_DB_URL", dbUrl))) {
      source.createSchema();
    }
    Map<Long, BigDecimal> written = new HashMap<>();
    try (Connection c = DriverManager.getConnection(dbUrl)) {
      c.setAutoCommit(false);
      try (PreparedStatement insert = c.prepareStatement(
          "INSERT INTO meter_readings (meter_id, read_at, value, unit) VALUES (?, ?, ?, ?)")) {
        OffsetDateTime start = OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
        for (int i = 0; i < BACKLOG; i++) {
          insert.setString(1, "meter-" + (i % 1000));
          insert.setObject(2, start.plusMinutes(15L * (i / 1000)));
          insert.setString(3, BigDecimal.valueOf(1_000_000L + 37L * i, 3).toPlainString());
          insert.setString(4, "kWh");
          insert.addBatch();
        }
        insert.executeBatch();
      }
      c.commit();
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT id, value FROM meter_readings")) {
        while (rs.next()) {
          written.put(rs.getLong(1), new BigDecimal(rs.getString(2)));
        }
      }
    }
    assertEquals(BACKLOG, written.size());
    assertTrue(new File(dbUrl.substring("jdbc:h2:file:".length(), dbUrl.indexOf(';')) + ".mv.db").exists());
    return written;
  }
}

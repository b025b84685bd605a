package com.meterit.sync.examples.agent;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.meterit.sync.examples.tools.simulator.Fault;
import com.meterit.sync.examples.tools.simulator.SimulatedClientSystem;
import com.meterit.sync.jdbc.JdbcReadingSource;
import java.math.BigDecimal;
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
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two agent processes of one gateway, with their own worker ids, drain one PostgreSQL table while
 * the server loses answers; one is killed mid-drain and restarted. Every reading must reach the
 * server in exactly one batch.
 */
class SharedTableAgentsTest {
  private static final String KEY = "shared-table-key";
  private static final int BACKLOG = 30_000;

  @TempDir
  Path dir;
  private String baseUrl;
  private String schema;

  @BeforeEach
  void createSchema() throws Exception {
    baseUrl = System.getenv("METER_SYNC_TEST_POSTGRES_URL");
    assumeTrue(baseUrl != null, "set METER_SYNC_TEST_POSTGRES_URL to run against PostgreSQL");
    schema = "agents_" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
    try (Connection c = DriverManager.getConnection(baseUrl); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
  }

  @AfterEach
  void dropSchema() throws Exception {
    if (schema != null) {
      try (Connection c = DriverManager.getConnection(baseUrl); Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA " + schema + " CASCADE");
      }
    }
  }

  private String dbUrl() {
    return baseUrl + (baseUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  private Map<String, String> env(SimulatedClientSystem server, String workerId) {
    Map<String, String> env = new HashMap<>();
    env.put("CLIENT_API_URL", server.url().toString());
    env.put("CLIENT_API_KEY", KEY);
    env.put("GATEWAY_ID", "gw-shared");
    env.put("SYNC_WORKER_ID", workerId);
    env.put("SYNC_LEASE_SECONDS", "5");
    env.put("SYNC_DB_URL", dbUrl());
    env.put("SYNC_INTERVAL_MINUTES", "0.05");
    env.put("BATCH_SIZE", "200");
    env.put("MAX_RETRIES", "3");
    return env;
  }

  @Test
  void twoWorkersOfOneGatewayDeliverEveryReadingInExactlyOneBatchThroughAKill() throws Exception {
    Map<Long, BigDecimal> written = writeBacklog();
    try (SimulatedClientSystem server = SimulatedClientSystem.start(KEY)) {
      server.setFault(Fault.RESET);
      AgentProcess a = AgentProcess.agent(dir, "a", env(server, "worker-a"));
      AgentProcess b = AgentProcess.agent(dir, "b", env(server, "worker-b"));
      assertTrue(server.awaitAccepted(6_000, Duration.ofSeconds(90)), a::output);
      a.process.destroyForcibly();
      assertTrue(a.process.waitFor(30, TimeUnit.SECONDS));
      assertTrue(server.acceptedCount() < BACKLOG, "the kill must land mid-drain");

      AgentProcess again = AgentProcess.agent(dir, "a2", env(server, "worker-a"));
      assertTrue(server.awaitAccepted(BACKLOG, Duration.ofSeconds(180)),
          () -> server.acceptedCount() + " accepted\n" + b.output() + again.output());
      // The server has every reading; batches whose answers were lost settle when sent again.
      try (JdbcReadingSource source = JdbcReadingSource.fromEnv(Map.of("SYNC_DB_URL", dbUrl()))) {
        await().atMost(Duration.ofSeconds(120)).until(() -> source.pendingCount() == 0);
      }
      assertEquals(0, again.stop(), again::output);
      assertEquals(0, b.stop(), b::output);

      assertEquals(written, server.accepted(), "every reading arrived with its exact value");
      assertTrue(server.acceptedUnderSeveralBatches().isEmpty(),
          "readings in two batches: " + server.acceptedUnderSeveralBatches().size());
      assertEquals(0, server.conflicts());
    }
    try (JdbcReadingSource source = JdbcReadingSource.fromEnv(Map.of("SYNC_DB_URL", dbUrl()))) {
      assertEquals(0, source.pendingCount());
    }
  }

  private Map<Long, BigDecimal> writeBacklog() throws Exception {
    try (JdbcReadingSource source = JdbcReadingSource.fromEnv(Map.of("SYNC_DB_URL", dbUrl()))) {
      source.createSchema();
    }
    Map<Long, BigDecimal> written = new HashMap<>();
    try (Connection c = DriverManager.getConnection(dbUrl())) {
      c.setAutoCommit(false);
      try (PreparedStatement insert = c.prepareStatement(
          "INSERT INTO meter_readings (meter_id, read_at, value, unit) VALUES (?, ?, ?, ?)")) {
        OffsetDateTime start = OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
        for (int i = 0; i < BACKLOG; i++) {
          insert.setString(1, "meter-" + (i % 500));
          insert.setObject(2, start.plusMinutes(15L * (i / 500)));
          insert.setBigDecimal(3, BigDecimal.valueOf(2_000_000L + 13L * i, 3));
          insert.setString(4, "kWh");
          insert.addBatch();
        }
        insert.executeBatch();
      }
      c.commit();
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT id, value FROM meter_readings")) {
        while (rs.next()) {
          written.put(rs.getLong(1), rs.getBigDecimal(2));
        }
      }
    }
    assertEquals(BACKLOG, written.size());
    return written;
  }
}

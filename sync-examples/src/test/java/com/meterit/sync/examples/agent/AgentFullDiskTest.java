package com.meterit.sync.examples.agent;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.meterit.sync.examples.tools.simulator.SimulatedClientSystem;
import com.meterit.sync.jdbc.JdbcReadingSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent started on a Sync Database whose file system is really full (a tmpfs; skipped where
 * it cannot be mounted): it waits for space, as it waits out a disk that fills while it runs,
 * rather than exiting with a code that tells the supervisor not to restart it.
 */
class AgentFullDiskTest {
  private static final String KEY = "full-disk-test-key";

  @TempDir
  Path dir;

  private FullFileSystem disk;

  @AfterEach
  void unmount() throws Exception {
    if (disk != null) {
      disk.close();
    }
  }

  @Test
  void anAgentStartedOnAFullDiskWaitsForSpaceThenDrains() throws Exception {
    disk = FullFileSystem.mount(dir.resolve("disk"), 4096);
    assumeTrue(disk != null, "a tmpfs cannot be mounted here");
    String dbUrl = "jdbc:sqlite:" + disk.root.resolve("sync.db");
    try (JdbcReadingSource source = JdbcReadingSource.fromEnv(Map.of("SYNC_DB_URL", dbUrl))) {
      source.createSchema();
    }
    try (Connection c = DriverManager.getConnection(dbUrl); Statement s = c.createStatement()) {
      for (int i = 0; i < 20; i++) {
        s.execute("INSERT INTO meter_readings (meter_id, read_at, value, unit) VALUES "
            + "('meter-" + i + "', '2026-01-01T00:15:00Z', '" + i + ".5', 'kWh')");
      }
    }
    // The last connection closed: SQLite removed the -wal and -shm files.
    assertTrue(Files.notExists(disk.root.resolve("sync.db-shm")));
    disk.fill();

    try (SimulatedClientSystem server = SimulatedClientSystem.start(KEY)) {
      Map<String, String> env =
          AgentProcess.env(server.url().toString(), KEY, "gw-full-disk-test", dbUrl);
      AgentProcess agent = AgentProcess.agent(dir, "agent", env);
      try {
        await().atMost(Duration.ofSeconds(60)).until(() -> !agent.process.isAlive()
            || agent.output().toLowerCase().contains("full"));
        assertTrue(agent.process.isAlive(), "exited " + (agent.process.isAlive() ? ""
            : agent.exitValue()) + " on a full disk: " + agent.output());

        disk.free();
        assertTrue(server.awaitAccepted(20, Duration.ofSeconds(60)), agent::output);
        assertEquals(SyncAgent.EXIT_OK, agent.stop(), agent.output());
        assertEquals(20, server.acceptedCount(), agent.output());
      } finally {
        agent.process.destroyForcibly().waitFor();
      }
    }
  }
}

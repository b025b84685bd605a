package com.meterit.sync.examples.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.examples.tools.simulator.SimulatedClientSystem;
import com.meterit.sync.jdbc.JdbcReadingSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A packed agent (the jar with {@code java -jar}, or the release's launcher) as an operator
 * runs it: a few readings in an SQLite Sync Database, delivered to a simulated Client System,
 * then SIGTERM and exit 0. For the checks after {@code package}.
 */
final class PackagedAgent {
  static final String KEY = "packaged-agent-key";
  static final int READINGS = 5;

  private PackagedAgent() {}

  /** Runs {@code command} and returns its exit code and both streams, within a minute. */
  static Ran run(Path dir, Map<String, String> env, List<String> command) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    builder.environment().putAll(env);
    builder.directory(dir.toFile());
    Path out = Files.createTempFile(dir, "out", ".txt");
    builder.redirectOutput(out.toFile());
    Process process = builder.start();
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), () -> "no end: " + command);
    return new Ran(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
  }

  /** Syncs {@value #READINGS} readings through {@code command} and stops it with SIGTERM. */
  static void syncsAFewReadingsThenStopsOnRequest(Path dir, List<String> command,
      Map<String, String> extraEnv) throws Exception {
    String dbUrl = "jdbc:sqlite:" + dir.resolve("sync.db");
    try (JdbcReadingSource source = JdbcReadingSource.fromEnv(Map.of("SYNC_DB_URL", dbUrl))) {
      source.createSchema();
    }
    try (Connection c = DriverManager.getConnection(dbUrl); Statement s = c.createStatement()) {
      s.execute("PRAGMA busy_timeout = 5000");
      for (int i = 1; i <= READINGS; i++) {
        s.executeUpdate("INSERT INTO meter_readings (meter_id, read_at, value, unit) VALUES "
            + "('meter-" + i + "', '2026-01-01T00:15:00Z', '" + i + ".500', 'kWh')");
      }
    }
    try (SimulatedClientSystem server = SimulatedClientSystem.start(KEY)) {
      Map<String, String> env = new HashMap<>(extraEnv);
      env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
      env.put("CLIENT_API_URL", server.url().toString());
      env.put("CLIENT_API_KEY", KEY);
      env.put("GATEWAY_ID", "gw-packaged");
      env.put("SYNC_DB_URL", dbUrl);
      ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command))
          .redirectErrorStream(true);
      builder.environment().clear();
      builder.environment().putAll(env);
      builder.directory(dir.toFile());
      Path out = dir.resolve("agent.out");
      builder.redirectOutput(out.toFile());
      Process agent = builder.start();
      try {
        assertTrue(server.awaitAccepted(READINGS, Duration.ofSeconds(45)),
            () -> "not delivered: " + read(out));
        agent.destroy();
        assertTrue(agent.waitFor(30, TimeUnit.SECONDS), () -> "no stop: " + read(out));
        assertEquals(SyncAgent.EXIT_OK, agent.exitValue(), () -> read(out));
        assertEquals(READINGS, server.acceptedCount(), "each reading once");
        assertTrue(read(out).contains("Stopped; 0 readings stay queued"), () -> read(out));
      } finally {
        agent.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no output: " + e + ")";
    }
  }

  /** A finished command. */
  static final class Ran {
    final int exit;
    final String output;

    Ran(int exit, String output) {
      this.exit = exit;
      this.output = output;
    }
  }
}

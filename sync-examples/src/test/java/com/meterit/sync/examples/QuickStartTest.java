package com.meterit.sync.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.examples.agent.AgentProcess;
import com.meterit.sync.examples.tools.simulator.SimulatedClientSystem;
import com.meterit.sync.jdbc.JdbcReadingSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's quick start is {@link QuickStart}, word for word, and it runs. */
class QuickStartTest {
  private static final Path README = Path.of("").toAbsolutePath().getParent().resolve("README.md");
  private static final Path SOURCE =
      Path.of("src/main/java/com/meterit/sync/examples/QuickStart.java");

  @TempDir
  Path dir;

  @Test
  void theReadmeQuickStartIsTheQuickStartClass() throws Exception {
    String readme = Files.readString(README, StandardCharsets.UTF_8);
    int section = readme.indexOf("\n## Quick start\n");
    assertTrue(section >= 0, "README has no '## Quick start' section");
    int end = readme.indexOf("\n## ", section + 1);
    String quickStart = readme.substring(section, end < 0 ? readme.length() : end);
    int open = quickStart.indexOf("```java\n");
    assertTrue(open >= 0, "the Quick start section has no java block");
    int close = quickStart.indexOf("```", open + 8);
    String block = quickStart.substring(open + 8, close);

    // The README shows the class as a user pastes it: everything but the package line.
    String source = Files.readString(SOURCE, StandardCharsets.UTF_8)
        .replaceFirst("(?m)^package [^;]+;\\s*", "");
    assertEquals(normalized(source), normalized(block),
        "README.md's Quick start and QuickStart.java drifted apart; make them the same");
  }

  @Test
  void theQuickStartSyncsTheQueueAndPrintsTheStatus() throws Exception {
    String dbUrl = "jdbc:h2:file:" + dir.resolve("sync") + ";NON_KEYWORDS=VALUE";
    try (JdbcReadingSource source = JdbcReadingSource.fromEnv(Map.of("SYNC_DB_URL", dbUrl))) {
      source.createSchema();
    }
    try (Connection c = DriverManager.getConnection(dbUrl); Statement s = c.createStatement()) {
      s.executeUpdate("INSERT INTO meter_readings (meter_id, read_at, value, unit) VALUES "
          + "('meter-1', TIMESTAMP WITH TIME ZONE '2026-01-01 00:15:00+00', '1.5', 'kWh'), "
          + "('meter-2', TIMESTAMP WITH TIME ZONE '2026-01-01 00:15:00+00', '2.5', 'kWh'), "
          + "('meter-3', TIMESTAMP WITH TIME ZONE '2026-01-01 00:15:00+00', '3.5', 'kWh')");
    }
    try (SimulatedClientSystem server = SimulatedClientSystem.start("quick-start-key")) {
      AgentProcess quickStart = AgentProcess.start(dir, "quick-start", Map.of(
          "CLIENT_API_URL", server.url().toString(), "CLIENT_API_KEY", "quick-start-key",
          "GATEWAY_ID", "gw-quick-start", "SYNC_DB_URL", dbUrl), QuickStart.class.getName());
      assertTrue(quickStart.process.waitFor(60, TimeUnit.SECONDS), quickStart::output);
      assertEquals(0, quickStart.exitValue(), quickStart.output());
      assertTrue(server.awaitAccepted(3, Duration.ZERO), quickStart::output);
      assertTrue(quickStart.stdout().contains("0 pending, 3 synced in the last 24 hours"),
          quickStart.output());
    }
  }

  private static String normalized(String code) {
    return code.replaceAll("\\s+", " ").trim();
  }
}

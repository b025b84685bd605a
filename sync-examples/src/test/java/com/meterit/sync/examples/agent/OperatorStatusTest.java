package com.meterit.sync.examples.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.meterit.sync.api.SyncHistory;
import com.meterit.sync.api.SyncOutcome;
import com.meterit.sync.api.SyncRun;
import com.meterit.sync.jdbc.JdbcReadingSource;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code status} and {@code quarantine list} print, word for word and field by field: the
 * outcomes add up to the runs, idle runs fold into one line, durations read in round words and
 * every instant is ISO-8601, in the text and in the JSON alike.
 */
class OperatorStatusTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2026-05-01T10:00:00Z");

  @TempDir
  Path dir;

  private String url() {
    return "jdbc:h2:file:" + dir.resolve("sync") + ";NON_KEYWORDS=VALUE";
  }

  @BeforeEach
  void aQueueWithAQuarantinedReadingAPendingOneAndAHistory() throws Exception {
    try (JdbcReadingSource source = JdbcReadingSource.fromEnv(Map.of("SYNC_DB_URL", url()))) {
      source.createSchema();
      insert("m-bad", "2026-01-01 00:15:00+00", "not a number");
      assertEquals(0, source.claim(10).size(), "the bad row is quarantined");
      insert("m-1", "2026-05-01 07:49:55.946+00", "1.5");
      SyncHistory history = source.history();
      run(history, "09:00", SyncOutcome.FAILED, 0, "boom");
      run(history, "09:01", SyncOutcome.INTERRUPTED, 5, null);
      for (String at : List.of("09:02", "09:03", "09:04", "09:05")) {
        run(history, at, SyncOutcome.SUCCEEDED, 0, null);
      }
      run(history, "09:06", SyncOutcome.SUCCEEDED, 10, null);
      run(history, "09:07", SyncOutcome.SUCCEEDED, 0, null);
      run(history, "09:08", SyncOutcome.SUCCEEDED, 0, null);
    }
  }

  @Test
  void statusNamesEveryOutcomeFoldsIdleRunsAndSaysTheLagInWords() {
    assertEquals(String.join("\n",
        "pending:       1 readings, the oldest read at 2026-05-01T07:49:55.946Z (lag 2 h 10 min)",
        "quarantined:   1 readings (see: quarantine list)",
        "last 24 hours: 15 readings synced, 0 rejected, in 9 runs (7 succeeded, 1 failed, "
            + "1 interrupted); last success 2026-05-01T09:08:02Z",
        "last runs:",
        "  2026-05-01T09:08:00Z  2 idle runs since 2026-05-01T09:07:00Z, nothing to sync",
        "  2026-05-01T09:06:00Z  SUCCEEDED   synced=10 rejected=0 in 2 s",
        "  2026-05-01T09:05:00Z  4 idle runs since 2026-05-01T09:02:00Z, nothing to sync",
        "  2026-05-01T09:01:00Z  INTERRUPTED synced=5 rejected=0 in 2 s",
        "  2026-05-01T09:00:00Z  FAILED      synced=0 rejected=0 in 2 s | boom",
        ""), command("status"));
  }

  @Test
  void statusJsonCountsEveryOutcomeAndGivesIso8601Instants() throws Exception {
    JsonNode status = JSON.readTree(command("status", "--json"));
    assertEquals("2026-05-01T07:49:55.946Z", status.get("oldestPendingReadAt").asText());
    assertEquals(7804, status.get("lagSeconds").asLong());
    JsonNode day = status.get("last24h");
    assertEquals(9, day.get("runs").asLong());
    assertEquals(day.get("runs").asLong(), day.get("succeeded").asLong()
        + day.get("failed").asLong() + day.get("interrupted").asLong(), day.toString());
    assertEquals(1, day.get("interrupted").asLong());
    assertEquals("2026-05-01T09:08:02Z", day.get("lastSuccessAt").asText());
    JsonNode newest = status.get("recentRuns").get(0);
    assertEquals("2026-05-01T09:08:00Z", newest.get("startedAt").asText());
    assertEquals(2000, newest.get("durationMillis").asLong());
  }

  @Test
  void quarantineListJsonGivesReadAtAsAnIso8601InstantNotSqlText() throws Exception {
    JsonNode row = JSON.readTree(command("quarantine", "list", "--json")).get(0);
    assertEquals("2026-01-01T00:15:00Z", row.get("readAt").asText(), row.toString());
    assertTrue(row.get("readAtAsStored").asText().startsWith("2026-01-01 00:15:00"),
        row.toString());
  }

  @Test
  void quarantineListShowsReadAtAsAnIso8601Instant() {
    String[] lines = command("quarantine", "list").split("\n");
    assertTrue(lines[1].contains(" 2026-01-01T00:15:00Z "), lines[1]);
  }

  private String command(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = new OperatorCommand(Map.of("SYNC_DB_URL", url()),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), Clock.fixed(NOW, ZoneOffset.UTC))
        .run(List.of(args));
    assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
    return out.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
  }

  /** A run of two seconds that started at {@code hhmm} on the test's day. */
  private static void run(SyncHistory history, String hhmm, SyncOutcome outcome, long synced,
      String error) {
    Instant start = Instant.parse("2026-05-01T" + hhmm + ":00Z");
    history.record(new SyncRun(start, start.plusSeconds(2), outcome, synced, 0, 0,
        synced > 0 ? 1 : 0, error));
  }

  private void insert(String meterId, String readAt, String value) throws Exception {
    try (Connection c = DriverManager.getConnection(url());
        PreparedStatement insert = c.prepareStatement("INSERT INTO meter_readings "
            + "(meter_id, read_at, \"VALUE\", unit) VALUES (?, CAST(? AS TIMESTAMP WITH TIME ZONE),"
            + " ?, 'kWh')")) {
      insert.setString(1, meterId);
      insert.setString(2, readAt);
      insert.setString(3, value);
      insert.executeUpdate();
    }
  }
}

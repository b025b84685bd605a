package com.meterit.sync.examples.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.meterit.sync.api.BackoffPolicy;
import com.meterit.sync.api.SyncOutcome;
import com.meterit.sync.api.SyncRun;
import com.meterit.sync.core.SyncManager;
import com.meterit.sync.core.http.HttpClientSystemGateway;
import com.meterit.sync.jdbc.JdbcReadingSource;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the operator's commands print is stranger's text: a server's answers reach the history
 * table, collectors write the rows. Every human-readable line is escaped and bounded, and
 * {@code --json} stays valid JSON that a terminal shows as it is.
 */
class OperatorOutputTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FORGED = "\n12:00:00.000 [INFO] meter-sync-agent - FORGED all clear";
  private static final String OSC_TITLE = "\u001b]0;title\u0007";
  private static final String CLEAR = "\u001b[2J";
  private static final String C1_CSI = "\u009b2J";

  @TempDir
  Path dir;

  private String url() {
    return "jdbc:h2:file:" + dir.resolve("sync") + ";NON_KEYWORDS=VALUE";
  }

  @Test
  void aServerChosenBatchIdReachesTheHistoryTableAndStatusEscapedAndBounded() throws Exception {
    String batchId = "b-1" + FORGED + OSC_TITLE + CLEAR + " Bearer abc.def " + "x".repeat(200_000);
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/api/v1/auth/token",
        e -> answer(e, 200, "{\"accessToken\":\"tok-1\",\"expiresIn\":3600}"));
    server.createContext("/api/v1/health", e -> answer(e, 200, ""));
    server.createContext("/api/v1/gateways/", e -> answer(e, 204, ""));
    server.createContext("/api/v1/readings/batches",
        e -> answer(e, 200, "{\"batchId\":" + json(batchId) + ",\"accepted\":1}"));
    server.start();
    try (JdbcReadingSource source = JdbcReadingSource.fromEnv(Map.of("SYNC_DB_URL", url()))) {
      source.createSchema();
      insert("m-1", "1.5", "kWh");
      URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api");
      SyncManager manager = SyncManager.builder().setSource(source)
          .setGateway(HttpClientSystemGateway.builder(base, "operator-key", "gw-1").build())
          .setHistory(source.history()).setMaxRetries(1).setBackoffPolicy(BackoffPolicy.none())
          .setSleeper(d -> { }).build();
      manager.start();
      manager.triggerSync().get(60, TimeUnit.SECONDS);
      manager.close();
      SyncRun failed = source.history().recentRuns(5).stream()
          .filter(r -> r.outcome() == SyncOutcome.FAILED).findFirst().orElseThrow();
      String stored = failed.error().orElseThrow();
      assertTrue(stored.contains("answered for batch b-1\\n12:00:00.000"), stored);
      assertSafe(stored);
    } finally {
      server.stop(0);
    }
    String status = run("status");
    assertTrue(status.contains("FAILED"), status);
    for (String line : status.split("\n", -1)) {
      assertSafe(line);
      assertFalse(line.startsWith("12:00:00.000"), "a forged line: " + line);
    }
    assertTerminalSafeJson(run("status", "--json"));
  }

  @Test
  void quarantineListAndStatusEscapeEveryColumnOfARowAndOfTheHistory() throws Exception {
    try (JdbcReadingSource source = JdbcReadingSource.fromEnv(Map.of("SYNC_DB_URL", url()))) {
      source.createSchema();
      insert("m" + OSC_TITLE, "1" + CLEAR, "kWh" + C1_CSI);
      insert("m-2" + FORGED.substring(0, 40), "x" + C1_CSI, "kWh\r");
      assertEquals(0, source.claim(10).size(), "both rows are quarantined");
      Instant now = Instant.now();
      source.history().record(new SyncRun(now.minusSeconds(1), now, SyncOutcome.FAILED, 0, 0, 0,
          0, "a host's error" + FORGED + OSC_TITLE + C1_CSI));
    }
    String list = run("quarantine", "list");
    assertEquals(3, list.split("\n").length, list);
    assertTrue(list.contains("m\\u001B]0;title\\u0007"), list);
    assertTrue(list.contains("kWh\\u009B2J"), list);
    for (String line : list.split("\n")) {
      assertSafe(line);
    }
    String status = run("status");
    assertTrue(status.contains("a host's error\\n12:00:00.000"), status);
    for (String line : status.split("\n")) {
      assertSafe(line);
    }

    String json = run("quarantine", "list", "--json");
    assertTerminalSafeJson(json);
    JsonNode rows = JSON.readTree(json);
    assertEquals("m" + OSC_TITLE, rows.get(0).get("meterId").asText(), "--json keeps the value");
    assertEquals("kWh" + C1_CSI, rows.get(0).get("unit").asText());
    assertTerminalSafeJson(run("status", "--json"));
  }

  @Test
  void quarantineListSizesItsColumnsToTheirEscapedContent() throws Exception {
    try (JdbcReadingSource source = JdbcReadingSource.fromEnv(Map.of("SYNC_DB_URL", url()))) {
      source.createSchema();
      insert("meter-with-a-long-id-0001", "not a number", "furlongs");
      insert("m-2", "2" + C1_CSI, "kWh" + C1_CSI);
      assertEquals(0, source.claim(10).size(), "both rows are quarantined");
    }
    String[] lines = run("quarantine", "list").split("\n");
    assertEquals(3, lines.length, String.join("\n", lines));
    // Each column starts at the same place on every line, its text right there: the reason too.
    for (String column : List.of("meter", "read at", "value", "unit", "reason")) {
      int at = lines[0].indexOf(column);
      for (String line : lines) {
        assertEquals(' ', line.charAt(at - 1), column + " in: " + line);
        assertTrue(line.charAt(at) != ' ', column + " in: " + line);
      }
    }
    int unit = lines[0].indexOf("unit");
    assertTrue(lines[1].startsWith("furlongs ", unit), lines[1]);
    assertTrue(lines[2].startsWith("kWh\\u009B2J ", unit), lines[2]);
  }

  private String run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = new OperatorCommand(Map.of("SYNC_DB_URL", url()),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), Clock.systemUTC())
        .run(List.of(args));
    assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
    return out.toString(StandardCharsets.UTF_8);
  }

  private void insert(String meterId, String value, String unit) throws Exception {
    try (Connection c = DriverManager.getConnection(url());
        PreparedStatement insert = c.prepareStatement("INSERT INTO meter_readings "
            + "(meter_id, read_at, \"VALUE\", unit) VALUES (?, TIMESTAMP WITH TIME ZONE "
            + "'2026-01-01 00:15:00+00', ?, ?)")) {
      insert.setString(1, meterId);
      insert.setString(2, value);
      insert.setString(3, unit);
      insert.executeUpdate();
    }
  }

  /** One bounded line without a control or format character and without a bearer token. */
  private static void assertSafe(String line) {
    String head = line.length() > 200 ? line.substring(0, 200) + "..." : line;
    assertTrue(line.length() <= 1_200, "unbounded (" + line.length() + "): " + head);
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      assertFalse(Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
          || c == '\u2028' || c == '\u2029', String.format("U+%04X in: %s", (int) c, head));
    }
    assertFalse(line.contains("abc.def"), "a bearer token in: " + head);
  }

  /** Valid JSON whose only raw control characters are the line breaks of its indentation. */
  private static void assertTerminalSafeJson(String json) throws IOException {
    JSON.readTree(json);
    for (int i = 0; i < json.length(); i++) {
      char c = json.charAt(i);
      assertFalse(c != '\n' && (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
          || c == '\u2028' || c == '\u2029'), String.format("U+%04X raw in the JSON", (int) c));
    }
  }

  private static String json(String text) {
    return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
  }

  private static void answer(HttpExchange exchange, int status, String body) throws IOException {
    exchange.getRequestBody().readAllBytes();
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, status == 204 ? -1 : bytes.length);
    if (status != 204) {
      exchange.getResponseBody().write(bytes);
    }
    exchange.close();
  }
}

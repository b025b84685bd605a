package com.meterit.sync.core.http;

import static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder.responseDefinition;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.meterit.sync.core.http.WireMockSupport.API_KEY;
import static com.meterit.sync.core.http.WireMockSupport.GATEWAY;
import static com.meterit.sync.core.http.WireMockSupport.TOKEN;
import static com.meterit.sync.core.http.WireMockSupport.base;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.meterit.sync.api.BackoffPolicy;
import com.meterit.sync.api.SyncHistory;
import com.meterit.sync.api.SyncRun;
import com.meterit.sync.api.SyncStats;
import com.meterit.sync.core.SyncManager;
import com.meterit.sync.core.testing.InMemoryReadingSource;
import com.meterit.sync.core.testing.ManualClock;
import com.meterit.sync.core.testing.ManualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every string field of every answer the Client System gives (upload answer, token answer,
 * heartbeat reply, configuration, error bodies) set to a hostile value in turn, through a running
 * engine: whatever of it reaches the log, the run history or the status is one bounded line
 * without control characters and without a bearer credential.
 */
class HostileAnswerFieldsTest {
  /** The longest log event or stored error accepted here: generous, but far below 1 MB. */
  private static final int BOUND = 2_000;

  static final String FORGED_LINE = "b-1\n12:00:00.000 [INFO] meter-sync-agent - FORGED all clear";
  static final String OSC_TITLE = "\u001b]0;title\u0007";
  static final String CLEAR_SCREEN = "\u001b[2J quarantined: 0 readings - all clear";
  static final String BEARER = "Bearer abc.def";
  static final String MEGABYTE = "M".repeat(1 << 20);

  /** The hostile value of the current case, for the transformers. */
  static volatile String hostile = "";

  /** Answers an upload for its own batch id, accepting all but the first, refused as hostile. */
  static final class HostileReason implements ResponseDefinitionTransformerV2 {
    @Override
    public String getName() {
      return "hostile-reason";
    }

    @Override
    public boolean applyGlobally() {
      return false;
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
      JsonNode body = WireMockSupport.json(
          WireMockSupport.gunzipIfNeeded(event.getRequest().getBody()));
      JsonNode readings = body.get("readings");
      return responseDefinition().withStatus(200)
          .withBody("{\"batchId\":\"" + body.get("batchId").asText() + "\",\"accepted\":"
              + (readings.size() - 1) + ",\"rejected\":[{\"id\":" + readings.get(0).get("id")
              + ",\"reason\":" + json(hostile) + "}]}")
          .build();
    }
  }

  /** Accepts every upload for its own batch id. */
  static final class Accepts implements ResponseDefinitionTransformerV2 {
    @Override
    public String getName() {
      return "accepts";
    }

    @Override
    public boolean applyGlobally() {
      return false;
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
      JsonNode body = WireMockSupport.json(
          WireMockSupport.gunzipIfNeeded(event.getRequest().getBody()));
      return responseDefinition().withStatus(200)
          .withBody("{\"batchId\":\"" + body.get("batchId").asText() + "\",\"accepted\":"
              + body.get("readings").size() + "}")
          .build();
    }
  }

  @RegisterExtension
  static final WireMockExtension wm = WireMockExtension.newInstance()
      .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")
          .extensions(new HostileReason(), new Accepts()))
      .build();

  private static final String TOKEN_PATH = "/api/v1/auth/token";
  private static final String BATCHES = "/api/v1/readings/batches";
  private static final String HEARTBEAT = "/api/v1/gateways/" + GATEWAY + "/heartbeat";
  private static final String CONFIG = "/api/v1/gateways/" + GATEWAY + "/config";

  /** The answers a field sits in, each stubbed with the hostile value in that field. */
  private static final Map<String, Consumer<String>> FIELDS = Map.ofEntries(
      Map.entry("upload answer batchId", h -> stubUpload(200,
          "{\"batchId\":" + json(h) + ",\"accepted\":2}")),
      Map.entry("upload answer rejection reason", h -> wm.stubFor(post(urlEqualTo(BATCHES))
          .willReturn(aResponse().withTransformers("hostile-reason")))),
      Map.entry("upload answer body", h -> stubUpload(200, h)),
      Map.entry("upload error body 500", h -> stubUpload(500, h)),
      Map.entry("upload error body 400", h -> stubUpload(400, h)),
      Map.entry("upload error body 413", h -> stubUpload(413, h)),
      Map.entry("token answer accessToken", h -> stubToken(200,
          "{\"accessToken\":" + json(h) + ",\"expiresIn\":3600}")),
      Map.entry("token answer tokenType", h -> stubToken(200,
          "{\"accessToken\":\"" + TOKEN + "\",\"tokenType\":" + json(h) + ",\"expiresIn\":3600}")),
      Map.entry("token error body 500", h -> stubToken(500, h)),
      Map.entry("token error body 401", h -> stubToken(401, h)),
      Map.entry("heartbeat reply configVersion", h -> stubHeartbeat(200,
          "{\"configVersion\":" + json(h) + "}")),
      Map.entry("heartbeat error body", h -> stubHeartbeat(500, h)),
      Map.entry("remote config version", h -> {
        stubHeartbeat(200, "{\"configVersion\":\"8\"}");
        stubConfig(200, "{\"version\":" + json(h) + ",\"batchSize\":2}");
      }),
      Map.entry("remote config error body", h -> {
        stubHeartbeat(200, "{\"configVersion\":\"8\"}");
        stubConfig(500, h);
      }));

  static List<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    for (String field : FIELDS.keySet()) {
      for (String value : List.of(FORGED_LINE, OSC_TITLE, CLEAR_SCREEN, BEARER, MEGABYTE)) {
        cases.add(Arguments.of(field, value));
      }
    }
    return cases;
  }

  @ParameterizedTest(name = "{0} = hostile #{index}")
  @MethodSource("cases")
  void aHostileValueInAnyAnswerFieldReachesNoLogHistoryOrStatusRaw(String field, String value) {
    hostile = value;
    wm.resetAll();
    stubToken(200, "{\"accessToken\":\"" + TOKEN + "\",\"expiresIn\":3600}");
    wm.stubFor(get(urlEqualTo("/api/v1/health")).willReturn(aResponse().withStatus(200)));
    wm.stubFor(post(urlEqualTo(BATCHES)).willReturn(aResponse().withTransformers("accepts")));
    stubHeartbeat(204, "");
    stubConfig(200, "{\"version\":\"8\"}");
    FIELDS.get(field).accept(value);

    ManualClock clock = new ManualClock(Instant.parse("2026-05-01T10:00:00Z"));
    InMemoryReadingSource source = new InMemoryReadingSource(clock, Duration.ofMinutes(5));
    source.addSample(4);
    RecordingHistory history = new RecordingHistory();
    List<String> texts = new ArrayList<>();
    try (LogCapture logs = new LogCapture()) {
      ManualScheduler scheduler = new ManualScheduler(clock);
      SyncManager manager = SyncManager.builder().setSource(source)
          .setGateway(HttpClientSystemGateway.builder(base(wm), API_KEY, GATEWAY).setClock(clock)
              .setExchangeTimeout(Duration.ofSeconds(5)).build())
          .setClock(clock).setScheduler(scheduler).setExecutor(Runnable::run)
          .setBackgroundExecutor(Runnable::run).setBatchSize(2).setMaxRetries(1)
          .setBackoffPolicy(BackoffPolicy.none()).setSleeper(d -> { }).setHistory(history)
          .build();
      manager.start();
      scheduler.advance(Duration.ofMinutes(3));
      manager.triggerSync().join();
      manager.getStatus().lastError().ifPresent(texts::add);
      texts.add(manager.getStatus().toString());
      manager.close();
      texts.addAll(logs.lines());
    }
    for (SyncRun run : history.runs) {
      run.error().ifPresent(texts::add);
    }
    texts.addAll(source.quarantined().values());
    assertFalse(history.runs.isEmpty(), "no run was recorded");
    for (String text : texts) {
      assertSafe(text);
    }
  }

  /** One line, no control or format character, bounded, no bearer credential. */
  static void assertSafe(String text) {
    String head = text.length() > 300 ? text.substring(0, 300) + "..." : text;
    assertTrue(text.length() <= BOUND, "unbounded (" + text.length() + " chars): " + head);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      assertFalse(Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
          || c == '\u2028' || c == '\u2029', String.format("U+%04X in: %s", (int) c, head));
    }
    assertFalse(text.contains("abc.def"), "a bearer credential in: " + head);
    assertFalse(text.contains(TOKEN) || text.contains(API_KEY), "a secret in: " + head);
  }

  static String json(String text) {
    return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
  }

  private static void stubUpload(int status, String body) {
    wm.stubFor(post(urlEqualTo(BATCHES)).willReturn(aResponse().withStatus(status).withBody(body)));
  }

  private static void stubToken(int status, String body) {
    wm.stubFor(post(urlEqualTo(TOKEN_PATH))
        .willReturn(aResponse().withStatus(status).withBody(body)));
  }

  private static void stubHeartbeat(int status, String body) {
    wm.stubFor(post(urlEqualTo(HEARTBEAT))
        .willReturn(aResponse().withStatus(status).withBody(body)));
  }

  private static void stubConfig(int status, String body) {
    wm.stubFor(get(urlEqualTo(CONFIG)).willReturn(aResponse().withStatus(status).withBody(body)));
  }

  /** Keeps every run it is told of. */
  private static final class RecordingHistory implements SyncHistory {
    final List<SyncRun> runs = new ArrayList<>();

    @Override
    public synchronized void record(SyncRun run) {
      runs.add(run);
    }

    @Override
    public SyncStats summarize(Instant from, Instant to) {
      return SyncStats.builder(Duration.between(from, to)).build();
    }
  }
}

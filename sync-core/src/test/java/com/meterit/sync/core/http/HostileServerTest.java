package com.meterit.sync.core.http;

import static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder.responseDefinition;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.meterit.sync.core.http.WireMockSupport.API_KEY;
import static com.meterit.sync.core.http.WireMockSupport.GATEWAY;
import static com.meterit.sync.core.http.WireMockSupport.TOKEN;
import static com.meterit.sync.core.http.WireMockSupport.base;
import static com.meterit.sync.core.http.WireMockSupport.stubToken;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.meterit.sync.api.BackoffPolicy;
import com.meterit.sync.api.GatewayException;
import com.meterit.sync.api.Heartbeat;
import com.meterit.sync.api.Reading;
import com.meterit.sync.api.Rejection;
import com.meterit.sync.api.SyncState;
import com.meterit.sync.api.TransientGatewayException;
import com.meterit.sync.api.UploadBatch;
import com.meterit.sync.core.SyncManager;
import com.meterit.sync.core.testing.InMemoryReadingSource;
import com.meterit.sync.core.testing.ManualClock;
import com.meterit.sync.core.testing.ManualScheduler;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A server that answers within the protocol but with hostile values: an absurd token lifetime, a
 * token that cannot go in a header, a megabyte of configuration version with newlines, rejection
 * reasons that forge log lines and quote credentials. The gateway keeps working (or asks for a
 * new token, then works), every log event stays one line, and no secret comes out.
 */
class HostileServerTest {
  /** Accepts every reading but the first, whose rejection reason is hostile. */
  static final class RejectsTheFirst implements ResponseDefinitionTransformerV2 {
    @Override
    public String getName() {
      return "rejects-the-first";
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
      return responseDefinition().withStatus(200).withHeader("Content-Type", "application/json")
          .withBody("{\"batchId\":\"" + body.get("batchId").asText() + "\",\"accepted\":"
              + (readings.size() - 1) + ",\"rejected\":[{\"id\":" + readings.get(0).get("id")
              + ",\"reason\":\"" + HOSTILE_REASON_JSON + "\"}]}")
          .build();
    }
  }

  /** A reason that forges a log line, quotes the token and the key, and goes on and on. */
  static final String HOSTILE_REASON_JSON = "unknown meter\\n2026-05-01 INFO forged: all synced"
      + "\\u2028Bearer " + TOKEN + " X-Api-Key: " + API_KEY + " " + "x".repeat(2_000);

  @RegisterExtension
  static final WireMockExtension wm = WireMockExtension.newInstance()
      .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")
          .extensions(new RejectsTheFirst()))
      .build();

  private final ManualClock clock = new ManualClock(Instant.parse("2026-05-01T10:00:00Z"));
  private final UploadBatch batch = UploadBatch.of(List.of(
      Reading.of(1, "m-1", Instant.parse("2026-01-01T00:15:00Z"), BigDecimal.ONE, "kWh"),
      Reading.of(2, "m-2", Instant.parse("2026-01-01T00:15:00Z"), BigDecimal.TEN, "kWh")));

  private HttpClientSystemGateway gateway() {
    return HttpClientSystemGateway.builder(base(wm), API_KEY, GATEWAY).setClock(clock)
        .setExchangeTimeout(Duration.ofSeconds(5)).build();
  }

  private static void stubTokenAnswer(String json) {
    wm.stubFor(post(urlEqualTo("/api/v1/auth/token"))
        .willReturn(aResponse().withStatus(200).withBody(json)));
  }

  private void stubUploadAccepted() {
    wm.stubFor(post(urlEqualTo("/api/v1/readings/batches")).willReturn(aResponse().withStatus(200)
        .withBody("{\"batchId\":\"" + batch.batchId() + "\",\"accepted\":2}")));
  }

  private static final String HEARTBEAT = "/api/v1/gateways/" + GATEWAY + "/heartbeat";
  private static final String CONFIG = "/api/v1/gateways/" + GATEWAY + "/config";

  private Heartbeat beat() {
    return new Heartbeat(clock.instant(), SyncState.IDLE, OptionalLong.of(0), null, Duration.ofSeconds(1), "7");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1e300", "99999999999999999999", "32000000000000001", "3.3e16"})
  void aTokenLifetimeBeyondReasonIsCappedAt24Hours(String expiresIn) {
    stubTokenAnswer("{\"accessToken\":\"" + TOKEN + "\",\"expiresIn\":" + expiresIn + "}");
    stubUploadAccepted();
    HttpClientSystemGateway gateway = gateway();
    try (LogCapture logs = new LogCapture()) {
      assertEquals(2, gateway.uploadBatch(batch).acceptedCount());
      assertTrue(logs.lines().stream().anyMatch(l -> l.startsWith("The Client System issued a "
          + "token for ") && l.endsWith(" seconds; keeping it at most PT24H")), logs.lines().toString());
    }
    clock.advance(Duration.ofHours(24).minusSeconds(61));
    gateway.uploadBatch(batch);
    wm.verify(1, postRequestedFor(urlEqualTo("/api/v1/auth/token")));
    clock.advance(Duration.ofSeconds(1));
    gateway.uploadBatch(batch);
    wm.verify(2, postRequestedFor(urlEqualTo("/api/v1/auth/token")));
  }

  /**
   * The token's expiry was once computed on the wall clock, which failed near its end; it is kept
   * on monotonic time now, so whatever the clock reads, the token is usable and kept.
   */
  @Test
  void aClockNearTheEndOfTimeNeitherBreaksNorDropsTheToken() {
    stubToken(wm, TOKEN, 3600);
    stubUploadAccepted();
    SettableClock clock = new SettableClock(Instant.MAX.minusSeconds(100));
    HttpClientSystemGateway gateway =
        HttpClientSystemGateway.builder(base(wm), API_KEY, GATEWAY).setClock(clock).build();
    assertEquals(2, gateway.uploadBatch(batch).acceptedCount());
    clock.now = Instant.parse("2026-05-01T10:00:00Z");
    assertEquals(2, gateway.uploadBatch(batch).acceptedCount());
    wm.verify(1, postRequestedFor(urlEqualTo("/api/v1/auth/token")));
  }

  /** A clock that may be set anywhere, backwards too. */
  private static final class SettableClock extends Clock {
    volatile Instant now;

    SettableClock(Instant now) {
      this.now = now;
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }
  }

  @Test
  void aTokenThatCannotGoInAHeaderIsDiscardedThenTheGatewayAuthenticatesAgain() {
    String hostile = "tok\\u2028evil-secret-token";
    wm.stubFor(post(urlEqualTo("/api/v1/auth/token")).inScenario("t")
        .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("fixed")
        .willReturn(aResponse().withStatus(200)
            .withBody("{\"accessToken\":\"" + hostile + "\",\"expiresIn\":3600}")));
    wm.stubFor(post(urlEqualTo("/api/v1/auth/token")).inScenario("t").whenScenarioStateIs("fixed")
        .willReturn(aResponse().withStatus(200)
            .withBody("{\"accessToken\":\"" + TOKEN + "\",\"expiresIn\":3600}")));
    wm.stubFor(post(urlEqualTo("/api/v1/readings/batches"))
        .withHeader("Authorization", equalTo("Bearer " + TOKEN))
        .willReturn(aResponse().withStatus(200)
            .withBody("{\"batchId\":\"" + batch.batchId() + "\",\"accepted\":2}")));
    HttpClientSystemGateway gateway = gateway();

    TransientGatewayException e =
        assertThrows(TransientGatewayException.class, () -> gateway.uploadBatch(batch));
    assertEquals("authentication: the issued token holds a character that cannot be sent in an "
        + "HTTP header (U+2028 at position 4); only printable ASCII without spaces is allowed; "
        + "it was discarded", e.getMessage());
    assertEquals(2, gateway.uploadBatch(batch).acceptedCount());
  }

  @Test
  void aMegabyteConfigVersionIsRefusedWithABoundedOneLineMessage() {
    stubToken(wm, TOKEN, 3600);
    String huge = "v7\\nINFO forged line ".repeat(45_000); // about 900 KB
    wm.stubFor(post(urlEqualTo(HEARTBEAT)).willReturn(aResponse().withStatus(200)
        .withBody("{\"configVersion\":\"" + huge + "\"}")));
    wm.stubFor(get(urlEqualTo(CONFIG)).willReturn(aResponse().withStatus(200)
        .withBody("{\"version\":\"" + huge + "\"}")));
    HttpClientSystemGateway gateway = gateway();

    TransientGatewayException heartbeat =
        assertThrows(TransientGatewayException.class, () -> gateway.sendHeartbeat(beat()));
    assertEquals("heartbeat: malformed response: configVersion must be 1 to 128 printable ASCII "
        + "characters without spaces; got 900000 characters",
        heartbeat.getMessage());
    TransientGatewayException config =
        assertThrows(TransientGatewayException.class, gateway::downloadConfig);
    assertTrue(config.getMessage().startsWith("configuration download: malformed response: "
        + "version must be 1 to 128"), config.getMessage());

    wm.stubFor(post(urlEqualTo(HEARTBEAT)).willReturn(aResponse().withStatus(200)
        .withBody("{\"configVersion\":\"8\"}")));
    assertEquals("8", gateway.sendHeartbeat(beat()).configVersion().orElseThrow());
  }

  /**
   * A number whose exponent BigDecimal cannot hold: Jackson throws a NumberFormatException, not a
   * parse error. Every call must still fail the contract's way, as a transient malformed answer,
   * not with an exception of Jackson's that callers do not expect.
   */
  @Test
  void aNumberBeyondAnyExponentIsAMalformedAnswerInEveryCall() {
    String beyond = "1e9999999999";
    stubTokenAnswer("{\"accessToken\":\"" + TOKEN + "\",\"expiresIn\":" + beyond + "}");
    TransientGatewayException token =
        assertThrows(TransientGatewayException.class, () -> gateway().authenticate());
    assertTrue(token.getMessage().startsWith("authentication: malformed response: "),
        token.getMessage());

    stubToken(wm, TOKEN, 3600);
    wm.stubFor(post(urlEqualTo("/api/v1/readings/batches")).willReturn(aResponse().withStatus(200)
        .withBody("{\"batchId\":\"" + batch.batchId() + "\",\"accepted\":" + beyond + "}")));
    wm.stubFor(post(urlEqualTo(HEARTBEAT)).willReturn(aResponse().withStatus(200)
        .withBody("{\"configVersion\":" + beyond + "}")));
    wm.stubFor(get(urlEqualTo(CONFIG)).willReturn(aResponse().withStatus(200)
        .withBody("{\"version\":\"8\",\"batchSize\":" + beyond + "}")));
    HttpClientSystemGateway gateway = gateway();
    assertTrue(assertThrows(TransientGatewayException.class, () -> gateway.uploadBatch(batch))
        .getMessage().contains(": malformed response: "));
    assertTrue(assertThrows(TransientGatewayException.class, () -> gateway.sendHeartbeat(beat()))
        .getMessage().startsWith("heartbeat: malformed response: "));
    assertTrue(assertThrows(TransientGatewayException.class, gateway::downloadConfig)
        .getMessage().startsWith("configuration download: malformed response: "));
  }

  @Test
  void anEtagBeyondBoundsIsRefusedAndNeverSentBack() {
    stubToken(wm, TOKEN, 3600);
    wm.stubFor(get(urlEqualTo(CONFIG)).willReturn(aResponse().withStatus(200)
        .withHeader("ETag", "\"" + "e".repeat(300) + "\"").withBody("{\"version\":\"8\"}")));
    TransientGatewayException e =
        assertThrows(TransientGatewayException.class, gateway()::downloadConfig);
    assertTrue(e.getMessage().startsWith("configuration download: malformed response: ETag must "
        + "be 1 to 256 printable ASCII characters without spaces; got 302 characters"),
        e.getMessage());
  }

  @Test
  void rejectionReasonsAreMaskedEscapedAndBoundedWhereTheAnswerIsRead() {
    stubToken(wm, TOKEN, 3600);
    wm.stubFor(post(urlEqualTo("/api/v1/readings/batches"))
        .willReturn(aResponse().withTransformers("rejects-the-first")));
    Rejection rejection = gateway().uploadBatch(batch).rejected().get(0);
    String reason = rejection.reason();
    assertTrue(reason.startsWith("unknown meter\\n2026-05-01 INFO forged: all synced\\u2028Bearer "
        + "**** X-Api-Key: **** xxx"), reason);
    assertTrue(reason.length() <= Rejection.MAX_REASON_LENGTH, "length " + reason.length());
    assertFalse(reason.contains(TOKEN) || reason.contains(API_KEY), reason);
  }

  @Test
  void aSecretStraddlingTheExcerptCutIsMaskedWhole() {
    stubToken(wm, TOKEN, 3600);
    wm.stubFor(post(urlEqualTo("/api/v1/readings/batches")).willReturn(aResponse().withStatus(500)
        .withBody("x".repeat(190) + API_KEY + " and more")));
    GatewayException e = assertThrows(GatewayException.class, () -> gateway().uploadBatch(batch));
    String excerpt = e.bodyExcerpt().orElseThrow();
    assertTrue(excerpt.startsWith("x".repeat(190) + "**"), excerpt);
    assertFalse(excerpt.contains(API_KEY.substring(0, 5)), excerpt);
    assertFalse(e.getMessage().contains(API_KEY.substring(0, 5)), e.getMessage());
  }

  @Test
  void aGatewayIdIsSentAsOnePercentEncodedPathSegment() {
    stubToken(wm, TOKEN, 3600);
    wm.stubFor(post(urlEqualTo("/api/v1/gateways/site%2F7%20%C3%BC./heartbeat"))
        .willReturn(aResponse().withStatus(204)));
    HttpClientSystemGateway gateway =
        HttpClientSystemGateway.builder(base(wm), API_KEY, "site/7 \u00FC.").setClock(clock).build();
    assertTrue(gateway.sendHeartbeat(beat()).configVersion().isEmpty());
  }

  @Test
  void theEngineKeepsSyncingAgainstAHostileServer() {
    List<String> texts;
    InMemoryReadingSource source = new InMemoryReadingSource(clock, Duration.ofMinutes(5));
    source.addSample(10);
    try (LogCapture logs = new LogCapture()) {
      stubTokenAnswer("{\"accessToken\":\"" + TOKEN + "\",\"expiresIn\":1e300}");
      wm.stubFor(get(urlEqualTo("/api/v1/health")).willReturn(aResponse().withStatus(200)));
      wm.stubFor(post(urlEqualTo("/api/v1/readings/batches"))
          .willReturn(aResponse().withTransformers("rejects-the-first")));
      wm.stubFor(post(urlEqualTo(HEARTBEAT)).willReturn(aResponse().withStatus(200)
          .withBody("{\"configVersion\":\"" + "v\\n".repeat(300_000) + "\"}")));
      ManualScheduler scheduler = new ManualScheduler(clock);
      SyncManager manager = SyncManager.builder().setSource(source).setGateway(gateway())
          .setClock(clock).setScheduler(scheduler).setExecutor(Runnable::run)
          .setBackgroundExecutor(Runnable::run).setBatchSize(5).setBackoffPolicy(BackoffPolicy.none()).setSleeper(d -> { })
          .build();
      manager.start();
      scheduler.advance(Duration.ofMinutes(3));
      manager.triggerSync().join();
      manager.close();
      texts = logs.lines();
    }
    assertEquals(8, source.syncedIds().size(), "all but the two rejected readings synced");
    Map<Long, String> quarantined = source.quarantined();
    assertEquals(2, quarantined.size());
    wm.verify(1, postRequestedFor(urlEqualTo("/api/v1/auth/token")));
    assertTrue(wm.findAll(postRequestedFor(urlEqualTo(HEARTBEAT))).size() >= 2, "heartbeats went on");
    for (String text : texts) {
      assertFalse(text.contains(TOKEN) || text.contains(API_KEY), "secret in " + text);
      assertTrue(text.length() < 2_000, "an unbounded log event: " + text.length() + " chars");
    }
    for (String reason : quarantined.values()) {
      assertFalse(reason.contains(TOKEN) || reason.contains(API_KEY), reason);
      assertOneLine(reason);
    }
    texts.forEach(HostileServerTest::assertOneLine);
  }

  static void assertOneLine(String text) {
    assertTrue(text.chars().noneMatch(c -> c == '\n' || c == '\r' || c == '\u2028'
        || c == '\u2029' || c == '\u0085'), "more than one line: " + text);
  }
}

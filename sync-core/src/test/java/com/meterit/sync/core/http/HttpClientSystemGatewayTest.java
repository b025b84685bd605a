package com.meterit.sync.core.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.meterit.sync.core.http.WireMockSupport.API_KEY;
import static com.meterit.sync.core.http.WireMockSupport.GATEWAY;
import static com.meterit.sync.core.http.WireMockSupport.TOKEN;
import static com.meterit.sync.core.http.WireMockSupport.base;
import static com.meterit.sync.core.http.WireMockSupport.body;
import static com.meterit.sync.core.http.WireMockSupport.json;
import static com.meterit.sync.core.http.WireMockSupport.stubToken;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.meterit.sync.api.AuthenticationFailedException;
import com.meterit.sync.api.BatchRejectedException;
import com.meterit.sync.api.GatewayException;
import com.meterit.sync.api.GatewayForbiddenException;
import com.meterit.sync.api.Heartbeat;
import com.meterit.sync.api.HeartbeatReply;
import com.meterit.sync.api.PayloadTooLargeException;
import com.meterit.sync.api.Reading;
import com.meterit.sync.api.RemoteConfig;
import com.meterit.sync.api.SyncState;
import com.meterit.sync.api.TransientGatewayException;
import com.meterit.sync.api.UploadBatch;
import com.meterit.sync.api.UploadResult;
import com.meterit.sync.core.testing.ManualClock;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class HttpClientSystemGatewayTest {
  @RegisterExtension
  static final WireMockExtension wm = WireMockExtension.newInstance()
      .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
      .build();

  private final ManualClock clock = new ManualClock(Instant.parse("2026-05-01T10:00:00Z"));

  private HttpClientSystemGateway gateway() {
    return HttpClientSystemGateway.builder(base(wm), API_KEY, GATEWAY)
        .setClock(clock)
        .setRequestTimeout(Duration.ofSeconds(2))
        .build();
  }

  private static UploadBatch batch() {
    Instant t = Instant.parse("2026-01-01T00:15:00Z");
    return UploadBatch.of(List.of(
        Reading.of(1, "m-1", t, new BigDecimal("1234.500"), "kWh"),
        new Reading(2, "m-2", t, new BigDecimal("0.001"), "m3", "estimated"),
        Reading.of(3, "m-3", t, new BigDecimal("12345678901234567890.123456789"), "kWh")));
  }

  private static void stubUpload(int status, String body) {
    wm.stubFor(post(urlEqualTo("/api/v1/readings/batches"))
        .willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json")
            .withBody(body)));
  }

  private static String accepted(UploadBatch batch) {
    return "{\"batchId\":\"" + batch.batchId() + "\",\"accepted\":" + batch.size()
        + ",\"rejected\":[],\"unknownFieldFromTheFuture\":1}";
  }

  @Test
  void probesHealthWithoutCredentials() {
    wm.stubFor(get(urlEqualTo("/api/v1/health")).willReturn(aResponse().withStatus(200)));
    assertTrue(gateway().testConnection());
    wm.verify(getRequestedFor(urlEqualTo("/api/v1/health"))
        .withHeader("Authorization", absent())
        .withHeader("X-Api-Key", absent()));

    wm.stubFor(get(urlEqualTo("/api/v1/health")).willReturn(aResponse().withStatus(503)));
    assertFalse(gateway().testConnection());
  }

  @Test
  void uploadsTheDocumentedRequestWithExactDecimals() {
    stubToken(wm, TOKEN, 3600);
    UploadBatch batch = batch();
    stubUpload(200, accepted(batch));

    UploadResult result = gateway().uploadBatch(batch);

    assertEquals(batch.batchId(), result.batchId());
    assertEquals(3, result.acceptedCount());
    LoggedRequest auth = wm.findAll(postRequestedFor(urlEqualTo("/api/v1/auth/token"))).get(0);
    assertEquals(GATEWAY, json(auth.getBody()).get("gatewayId").asText());

    LoggedRequest upload = wm.findAll(postRequestedFor(urlEqualTo("/api/v1/readings/batches"))).get(0);
    assertEquals("Bearer " + TOKEN, upload.getHeader("Authorization"));
    assertEquals(batch.batchId(), upload.getHeader("Idempotency-Key"));
    assertEquals("gzip", upload.getHeader("Content-Encoding"));
    assertEquals("application/json", upload.getHeader("Content-Type"));
    assertTrue(upload.getHeader("User-Agent").startsWith("meter-sync/"));

    String text = new String(body(upload), java.nio.charset.StandardCharsets.UTF_8);
    // The decimals are on the wire as written, scale and all, not as doubles.
    assertTrue(text.contains("\"value\":1234.500"), text);
    assertTrue(text.contains("\"value\":0.001"), text);
    assertTrue(text.contains("\"value\":12345678901234567890.123456789"), text);
    JsonNode sent = json(body(upload));
    assertEquals(GATEWAY, sent.get("gatewayId").asText());
    assertEquals(batch.batchId(), sent.get("batchId").asText());
    JsonNode second = sent.get("readings").get(1);
    assertEquals(2, second.get("id").asLong());
    assertEquals("m-2", second.get("meterId").asText());
    assertEquals("2026-01-01T00:15:00Z", second.get("timestamp").asText());
    assertEquals("m3", second.get("unit").asText());
    assertEquals("estimated", second.get("quality").asText());
    assertFalse(sent.get("readings").get(0).has("quality"));
    assertTrue(result.bytesSent() > 0 && result.bytesSent() < text.length(),
        "gzip'd bytes " + result.bytesSent() + " vs JSON " + text.length());
  }

  @Test
  void uploadsPlainJsonWhenGzipIsOff() {
    stubToken(wm, TOKEN, 3600);
    UploadBatch batch = batch();
    stubUpload(200, accepted(batch));
    HttpClientSystemGateway plain = HttpClientSystemGateway.builder(base(wm), API_KEY, GATEWAY)
        .setGzip(false).build();
    plain.uploadBatch(batch);
    LoggedRequest upload = wm.findAll(postRequestedFor(urlEqualTo("/api/v1/readings/batches"))).get(0);
    assertEquals(null, upload.getHeader("Content-Encoding"));
    assertEquals(batch.batchId(), json(upload.getBody()).get("batchId").asText());
  }

  @Test
  void readsPerReadingRejections() {
    stubToken(wm, TOKEN, 3600);
    UploadBatch batch = batch();
    stubUpload(200, "{\"batchId\":\"" + batch.batchId() + "\",\"accepted\":2,"
        + "\"rejected\":[{\"id\":2,\"reason\":\"unknown meter\"}]}");
    UploadResult result = gateway().uploadBatch(batch);
    assertEquals(2, result.acceptedCount());
    assertEquals(2, result.rejected().get(0).readingId());
    assertEquals("unknown meter", result.rejected().get(0).reason());
  }

  enum StatusCase {
    BAD_REQUEST(400, BatchRejectedException.class),
    UNPROCESSABLE(422, BatchRejectedException.class),
    FORBIDDEN(403, GatewayForbiddenException.class),
    IN_PROGRESS(409, TransientGatewayException.class),
    TOO_LARGE(413, PayloadTooLargeException.class),
    TOO_MANY(429, TransientGatewayException.class),
    SERVER_ERROR(500, TransientGatewayException.class),
    BAD_GATEWAY(502, TransientGatewayException.class),
    UNAVAILABLE(503, TransientGatewayException.class),
    NOT_FOUND(404, TransientGatewayException.class);

    final int status;
    final Class<? extends GatewayException> type;

    StatusCase(int status, Class<? extends GatewayException> type) {
      this.status = status;
      this.type = type;
    }
  }

  @ParameterizedTest
  @EnumSource(StatusCase.class)
  void mapsEachStatusOfTheContract(StatusCase c) {
    stubToken(wm, TOKEN, 3600);
    stubUpload(c.status, "{\"error\":\"status " + c.status + "\"}");
    GatewayException e = assertThrows(GatewayException.class, () -> gateway().uploadBatch(batch()));
    assertInstanceOf(c.type, e);
    assertEquals(c.status, e.statusCode().getAsInt());
    assertTrue(e.bodyExcerpt().orElse("").contains("status " + c.status));
    assertEquals(c.type == TransientGatewayException.class, e.isTransient());
  }

  @Test
  void readsRetryAfterAsSeconds() {
    stubToken(wm, TOKEN, 3600);
    wm.stubFor(post(urlEqualTo("/api/v1/readings/batches"))
        .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "120")));
    TransientGatewayException e =
        assertThrows(TransientGatewayException.class, () -> gateway().uploadBatch(batch()));
    assertEquals(Duration.ofSeconds(120), e.retryAfter().orElseThrow());
  }

  @Test
  void a409SaysTheKeyIsStillBeingProcessedAndCarriesItsRetryAfter() {
    stubToken(wm, TOKEN, 3600);
    UploadBatch batch = batch();
    wm.stubFor(post(urlEqualTo("/api/v1/readings/batches"))
        .willReturn(aResponse().withStatus(409).withHeader("Retry-After", "7")
            .withBody("{\"error\":\"in progress\"}")));
    TransientGatewayException e =
        assertThrows(TransientGatewayException.class, () -> gateway().uploadBatch(batch));
    assertEquals("upload of batch " + batch.batchId() + ": a request with the same "
        + "Idempotency-Key is still being processed (HTTP 409): {\"error\":\"in progress\"}",
        e.getMessage());
    assertEquals(409, e.statusCode().getAsInt());
    assertEquals(Duration.ofSeconds(7), e.retryAfter().orElseThrow());
  }

  @Test
  void readsRetryAfterAsAnHttpDate() {
    stubToken(wm, TOKEN, 3600);
    String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(
        clock.instant().plusSeconds(90).atZone(ZoneOffset.UTC));
    wm.stubFor(post(urlEqualTo("/api/v1/readings/batches"))
        .willReturn(aResponse().withStatus(503).withHeader("Retry-After", date)));
    TransientGatewayException e =
        assertThrows(TransientGatewayException.class, () -> gateway().uploadBatch(batch()));
    assertEquals(Duration.ofSeconds(90), e.retryAfter().orElseThrow());
  }

  @Test
  void aBadApiKeyIsAnAuthenticationFailure() {
    wm.stubFor(post(urlEqualTo("/api/v1/auth/token")).willReturn(aResponse().withStatus(401)));
    AuthenticationFailedException e =
        assertThrows(AuthenticationFailedException.class, () -> gateway().uploadBatch(batch()));
    assertEquals("the Client System refused the API key (HTTP 401)", e.getMessage());

    wm.stubFor(post(urlEqualTo("/api/v1/auth/token")).willReturn(aResponse().withStatus(403)));
    assertThrows(GatewayForbiddenException.class, () -> gateway().authenticate());
  }

  @Test
  void refreshesTheTokenExactlyOnceOnA401() {
    wm.stubFor(post(urlEqualTo("/api/v1/auth/token")).inScenario("tokens")
        .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("second")
        .willReturn(aResponse().withStatus(200)
            .withBody("{\"accessToken\":\"old\",\"tokenType\":\"Bearer\",\"expiresIn\":3600}")));
    wm.stubFor(post(urlEqualTo("/api/v1/auth/token")).inScenario("tokens")
        .whenScenarioStateIs("second")
        .willReturn(aResponse().withStatus(200)
            .withBody("{\"accessToken\":\"new\",\"tokenType\":\"Bearer\",\"expiresIn\":3600}")));
    UploadBatch batch = batch();
    wm.stubFor(post(urlEqualTo("/api/v1/readings/batches"))
        .withHeader("Authorization", equalTo("Bearer old")).willReturn(aResponse().withStatus(401)));
    wm.stubFor(post(urlEqualTo("/api/v1/readings/batches"))
        .withHeader("Authorization", equalTo("Bearer new"))
        .willReturn(aResponse().withStatus(200).withBody(accepted(batch))));

    HttpClientSystemGateway gateway = gateway();
    assertEquals(3, gateway.uploadBatch(batch).acceptedCount());
    assertEquals(3, gateway.uploadBatch(batch).acceptedCount());
    wm.verify(2, postRequestedFor(urlEqualTo("/api/v1/auth/token")));
    wm.verify(3, postRequestedFor(urlEqualTo("/api/v1/readings/batches")));
  }

  @Test
  void aServerThatRefusesEveryTokenCostsABoundedBurstAndATransientFailureNotAnAuthFailure() {
    stubToken(wm, TOKEN, 3600);
    stubUpload(401, "{\"error\":\"invalid token\"}");
    UploadBatch batch = batch();
    TransientGatewayException e =
        assertThrows(TransientGatewayException.class, () -> gateway().uploadBatch(batch));
    assertEquals("upload of batch " + batch.batchId() + ": the Client System refused 4 tokens in "
        + "a row (HTTP 401) though it issues them; trying again later", e.getMessage());
    assertEquals(401, e.statusCode().getAsInt());
    assertEquals("{\"error\":\"invalid token\"}", e.bodyExcerpt().orElseThrow());
    wm.verify(1 + HttpClientSystemGateway.MAX_TOKEN_REPLACEMENTS,
        postRequestedFor(urlEqualTo("/api/v1/auth/token")));
    wm.verify(1 + HttpClientSystemGateway.MAX_TOKEN_REPLACEMENTS,
        postRequestedFor(urlEqualTo("/api/v1/readings/batches")));
  }

  @Test
  void keepsTheTokenUntilShortlyBeforeItExpires() {
    stubToken(wm, TOKEN, 600);
    UploadBatch batch = batch();
    stubUpload(200, accepted(batch));
    HttpClientSystemGateway gateway = gateway();
    gateway.uploadBatch(batch);
    clock.advance(Duration.ofSeconds(539));
    gateway.uploadBatch(batch);
    wm.verify(1, postRequestedFor(urlEqualTo("/api/v1/auth/token")));
    clock.advance(Duration.ofSeconds(1));
    gateway.uploadBatch(batch);
    wm.verify(2, postRequestedFor(urlEqualTo("/api/v1/auth/token")));
  }

  @Test
  void concurrentCallersShareOneTokenRefresh() throws Exception {
    wm.stubFor(post(urlEqualTo("/api/v1/auth/token")).willReturn(aResponse().withStatus(200)
        .withFixedDelay(200)
        .withBody("{\"accessToken\":\"" + TOKEN + "\",\"tokenType\":\"Bearer\",\"expiresIn\":3600}")));
    UploadBatch batch = batch();
    stubUpload(200, accepted(batch));
    HttpClientSystemGateway gateway = gateway();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<UploadResult>> results = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        results.add(pool.submit((Callable<UploadResult>) () -> {
          go.await();
          return gateway.uploadBatch(batch);
        }));
      }
      go.countDown();
      for (Future<UploadResult> r : results) {
        assertEquals(3, r.get(10, TimeUnit.SECONDS).acceptedCount());
      }
    } finally {
      pool.shutdownNow();
    }
    wm.verify(1, postRequestedFor(urlEqualTo("/api/v1/auth/token")));
  }

  @ParameterizedTest
  @EnumSource(Fault.class)
  void eachConnectionFaultIsTransientAndLeavesTheClientUsable(Fault fault) {
    stubToken(wm, TOKEN, 3600);
    wm.stubFor(post(urlEqualTo("/api/v1/readings/batches")).willReturn(aResponse().withFault(fault)));
    HttpClientSystemGateway gateway = gateway();
    for (int i = 0; i < 5; i++) {
      assertThrows(TransientGatewayException.class, () -> gateway.uploadBatch(batch()));
    }
    UploadBatch batch = batch();
    stubUpload(200, accepted(batch));
    assertEquals(3, gateway.uploadBatch(batch).acceptedCount());
  }

  @Test
  void headersPastTheRequestDeadlineAreTransientAndNameTheDeadline() {
    stubToken(wm, TOKEN, 3600);
    wm.stubFor(post(urlEqualTo("/api/v1/readings/batches"))
        .willReturn(aResponse().withStatus(200).withFixedDelay(5_000)));
    HttpClientSystemGateway gateway = HttpClientSystemGateway.builder(base(wm), API_KEY, GATEWAY)
        .setRequestTimeout(Duration.ofMillis(300)).build();
    TransientGatewayException e =
        assertThrows(TransientGatewayException.class, () -> gateway.uploadBatch(batch()));
    assertTrue(e.getMessage().endsWith(": no answer headers within the request deadline (PT0.3S) "
        + "from POST /v1/readings/batches"), e.getMessage());
  }

  @Test
  void aMalformedOrTruncatedAnswerIsTransient() {
    stubToken(wm, TOKEN, 3600);
    stubUpload(200, "{\"batchId\":\"x\",\"accepted\":");
    TransientGatewayException e =
        assertThrows(TransientGatewayException.class, () -> gateway().uploadBatch(batch()));
    assertTrue(e.getMessage().contains("malformed response"), e.getMessage());

    stubUpload(200, "{\"batchId\":\"x\",\"accepted\":\"three\"}");
    e = assertThrows(TransientGatewayException.class, () -> gateway().uploadBatch(batch()));
    assertTrue(e.getMessage().contains("accepted is not a whole number"), e.getMessage());
  }

  @Test
  void anOversizedResponseIsAClearError() {
    stubToken(wm, TOKEN, 3600);
    stubUpload(200, "{\"pad\":\"" + "x".repeat(HttpClientSystemGateway.MAX_RESPONSE_BYTES) + "\"}");
    TransientGatewayException e =
        assertThrows(TransientGatewayException.class, () -> gateway().uploadBatch(batch()));
    assertTrue(e.getMessage().contains("larger than 1048576 bytes"), e.getMessage());
  }

  @Test
  void downloadsConfigurationWithAnEtag() {
    stubToken(wm, TOKEN, 3600);
    String path = "/api/v1/gateways/" + GATEWAY + "/config";
    wm.stubFor(get(urlEqualTo(path)).withHeader("If-None-Match", absent())
        .willReturn(aResponse().withStatus(200).withHeader("ETag", "\"v7\"")
            .withBody("{\"version\":\"7\",\"syncIntervalSeconds\":120,\"batchSize\":500,"
                + "\"maxRetries\":3,\"heartbeatIntervalSeconds\":30,\"futureField\":true}")));
    wm.stubFor(get(urlEqualTo(path)).withHeader("If-None-Match", equalTo("\"v7\""))
        .willReturn(aResponse().withStatus(304)));

    HttpClientSystemGateway gateway = gateway();
    RemoteConfig config = gateway.downloadConfig().orElseThrow();
    assertEquals("7", config.version());
    assertEquals(Duration.ofSeconds(120), config.syncInterval().orElseThrow());
    assertEquals(500, config.batchSize().getAsInt());
    assertEquals(3, config.maxRetries().getAsInt());
    assertEquals(Duration.ofSeconds(30), config.heartbeatInterval().orElseThrow());
    assertTrue(gateway.downloadConfig().isEmpty(), "304 means unchanged");
  }

  @Test
  void sendsTheHeartbeatAndReadsTheConfigVersion() {
    stubToken(wm, TOKEN, 3600);
    String path = "/api/v1/gateways/" + GATEWAY + "/heartbeat";
    wm.stubFor(post(urlEqualTo(path))
        .willReturn(aResponse().withStatus(200).withBody("{\"configVersion\":\"9\"}")));
    Heartbeat beat = new Heartbeat(clock.instant(), SyncState.IDLE, OptionalLong.of(42),
        Instant.parse("2026-05-01T09:55:00Z"), Duration.ofSeconds(3600), "8");

    HeartbeatReply reply = gateway().sendHeartbeat(beat);

    assertEquals("9", reply.configVersion().orElseThrow());
    JsonNode sent = json(wm.findAll(postRequestedFor(urlEqualTo(path))).get(0).getBody());
    assertEquals(GATEWAY, sent.get("gatewayId").asText());
    assertEquals("2026-05-01T10:00:00Z", sent.get("sentAt").asText());
    assertEquals("IDLE", sent.get("state").asText());
    assertEquals(42, sent.get("pendingReadings").asLong());
    assertEquals("2026-05-01T09:55:00Z", sent.get("lastSuccessfulSyncAt").asText());
    assertEquals(3600, sent.get("uptimeSeconds").asLong());
    assertTrue(sent.has("sdkVersion"));

    wm.stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(204)));
    assertTrue(gateway().sendHeartbeat(beat).configVersion().isEmpty());
  }

  @Test
  void anUnknownBacklogIsSentAsNullNeverAsMinusOne() {
    stubToken(wm, TOKEN, 3600);
    String path = "/api/v1/gateways/" + GATEWAY + "/heartbeat";
    wm.stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(204)));
    Heartbeat beat = new Heartbeat(clock.instant(), SyncState.IDLE, OptionalLong.empty(), null,
        Duration.ofSeconds(60), null);

    gateway().sendHeartbeat(beat);

    JsonNode sent = json(wm.findAll(postRequestedFor(urlEqualTo(path))).get(0).getBody());
    assertTrue(sent.has("pendingReadings"), sent.toString());
    assertTrue(sent.get("pendingReadings").isNull(), sent.toString());
  }

  @Test
  void refusesPlainHttpToARemoteHost() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> HttpClientSystemGateway.builder(URI.create("http://client.meterit.com/api"), API_KEY, GATEWAY)
            .build());
    assertTrue(e.getMessage().startsWith("baseUrl uses plain http to client.meterit.com"), e.getMessage());
    assertFalse(e.getMessage().contains(API_KEY));
    HttpClientSystemGateway.builder(URI.create("http://client.meterit.com/api"), API_KEY, GATEWAY)
        .setAllowInsecureHttp(true).build();
    HttpClientSystemGateway.builder(URI.create("http://localhost:8080/api"), API_KEY, GATEWAY).build();
    HttpClientSystemGateway.builder(URI.create("https://client.meterit.com/api"), API_KEY, GATEWAY).build();
  }
}

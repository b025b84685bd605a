package com.meterit.sync.core.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.meterit.sync.core.http.WireMockSupport.API_KEY;
import static com.meterit.sync.core.http.WireMockSupport.GATEWAY;
import static com.meterit.sync.core.http.WireMockSupport.TOKEN;
import static com.meterit.sync.core.http.WireMockSupport.base;
import static com.meterit.sync.core.http.WireMockSupport.stubToken;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.meterit.sync.api.BackoffPolicy;
import com.meterit.sync.api.ConfigurationException;
import com.meterit.sync.api.GatewayException;
import com.meterit.sync.api.Heartbeat;
import com.meterit.sync.api.Reading;
import com.meterit.sync.api.Rejection;
import com.meterit.sync.api.SyncState;
import com.meterit.sync.api.UploadBatch;
import com.meterit.sync.api.UploadResult;
import com.meterit.sync.core.SyncConfig;
import com.meterit.sync.core.SyncManager;
import com.meterit.sync.core.testing.InMemoryReadingSource;
import com.meterit.sync.core.testing.ManualClock;
import com.meterit.sync.core.internal.Values;
import com.meterit.sync.core.testing.ManualScheduler;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The API key and the token must not reach a log line, an exception message or a toString, even
 * when the server misbehaves and echoes them back.
 */
class SecretsTest {
  @RegisterExtension
  static final WireMockExtension wm = WireMockExtension.newInstance()
      .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
      .build();

  @Test
  void noSecretInLogsExceptionsOrToString() {
    List<String> texts = new ArrayList<>();
    try (LogCapture logs = new LogCapture()) {
      stubToken(wm, TOKEN, 3600);
      wm.stubFor(get(urlEqualTo("/api/v1/health")).willReturn(aResponse().withStatus(200)));
      // A server that echoes the credentials it was sent in its error bodies.
      wm.stubFor(post(urlEqualTo("/api/v1/readings/batches")).inScenario("s")
          .willReturn(aResponse().withStatus(500)
              .withBody("bad token " + TOKEN + " for key " + API_KEY)));
      wm.stubFor(get(urlEqualTo("/api/v1/gateways/" + GATEWAY + "/config"))
          .willReturn(aResponse().withStatus(401).withBody("token " + TOKEN)));
      wm.stubFor(post(urlEqualTo("/api/v1/gateways/" + GATEWAY + "/heartbeat"))
          .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

      ManualClock clock = new ManualClock(Instant.parse("2026-05-01T00:00:00Z"));
      ManualScheduler scheduler = new ManualScheduler(clock);
      InMemoryReadingSource source = new InMemoryReadingSource(clock, Duration.ofMinutes(5));
      source.addSample(10);
      HttpClientSystemGateway gateway = HttpClientSystemGateway.builder(base(wm), API_KEY, GATEWAY)
          .setClock(clock).build();
      SyncManager manager = SyncManager.builder().setSource(source).setGateway(gateway)
          .setClock(clock).setScheduler(scheduler).setExecutor(Runnable::run)
          .setBackoffPolicy(BackoffPolicy.none()).setMaxRetries(2).setSleeper(d -> { })
          .build();
      manager.start();
      scheduler.advance(Duration.ofMinutes(2));
      try {
        manager.downloadConfiguration();
      } catch (RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
          texts.add(String.valueOf(t.getMessage()));
        }
      }
      texts.add(manager.getStatus().toString());
      texts.add(gateway.toString());
      texts.add(manager.toString());
      texts.addAll(logs.lines());
    }
    assertTrue(texts.stream().anyMatch(t -> t.contains("HTTP 500")), "the failures were logged");
    for (String text : texts) {
      assertFalse(text.contains(API_KEY), "API key leaked: " + text);
      assertFalse(text.contains(TOKEN), "token leaked: " + text);
    }
  }

  /** Keys as an operator might paste them: plain, long, with a smart quote, a newline, U+2028. */
  static final List<String> KEYS = List.of(
      "key-Zq81-very-secret",
      "ak_live_9f8e7d6c5b4a39281706f5e4d3c2b1a0",
      "key-\u201Csmart\u201D-secret-1",
      "key-line\nbreak-secret-2",
      "key\u2028sep-secret-3");
  /** Tokens as a server might issue them: plain, JWT-like, with U+2028, a smart quote. */
  static final List<String> TOKENS = List.of(
      "tok-A-7f3e9c-normal",
      "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJndy0wMDQyIn0.c2lnbmF0dXJlLXNlY3JldA",
      "tok\u2028sep-secret-token",
      "tok-\u201Cquote\u201D-token");

  static Stream<Arguments> keysAndTokens() {
    List<Arguments> cases = new ArrayList<>();
    for (String key : KEYS) {
      for (String token : TOKENS) {
        cases.add(Arguments.of(key, token));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest
  @MethodSource("keysAndTokens")
  void noSecretEscapesAnyPathWhateverItsCharacters(String key, String token) {
    List<String> texts = new ArrayList<>();
    try (LogCapture logs = new LogCapture()) {
      HttpClientSystemGateway gateway;
      try {
        gateway = HttpClientSystemGateway.builder(base(wm), key, GATEWAY)
            .setExchangeTimeout(Duration.ofMillis(500)).build();
      } catch (IllegalArgumentException refused) {
        // A key that cannot go in a header is refused before anything is sent, without quoting it.
        collect(texts, refused);
        collect(texts, assertThrows(ConfigurationException.class, () -> SyncConfig.fromEnv(Map.of(
            "CLIENT_API_URL", base(wm).toString(), "CLIENT_API_KEY", key, "GATEWAY_ID", GATEWAY))));
        assertTrue(Values.unsendable(key) != null, "a usable key was refused: " + refused);
        assertClean(texts, key, token);
        return;
      }
      texts.add(gateway.toString());
      exerciseEveryPath(gateway, key, token, texts);
      texts.addAll(logs.lines());
    }
    assertTrue(texts.size() > 10, "the paths ran: " + texts);
    assertClean(texts, key, token);
  }

  private void exerciseEveryPath(
      HttpClientSystemGateway gateway, String key, String token, List<String> texts) {
    String echo = "echo: key " + key + " token " + token + " json-escaped key "
        + jsonEscaped(key) + " token " + jsonEscaped(token);
    UploadBatch batch = UploadBatch.of(List.of(
        Reading.of(1, "m-1", Instant.parse("2026-01-01T00:15:00Z"), BigDecimal.ONE, "kWh")));
    String batches = "/api/v1/readings/batches";
    String heartbeat = "/api/v1/gateways/" + GATEWAY + "/heartbeat";
    String config = "/api/v1/gateways/" + GATEWAY + "/config";
    wm.stubFor(post(urlEqualTo("/api/v1/auth/token")).willReturn(aResponse().withStatus(200)
        .withBody("{\"accessToken\":\"" + jsonEscaped(token) + "\",\"expiresIn\":3600}")));
    wm.stubFor(get(urlEqualTo("/api/v1/health"))
        .willReturn(aResponse().withStatus(503).withBody(echo)));
    texts.add(String.valueOf(gateway.testConnection()));
    Heartbeat beat = new Heartbeat(Instant.parse("2026-05-01T10:00:00Z"), SyncState.IDLE, OptionalLong.of(0), null,
        Duration.ofSeconds(1), null);

    // Upload: a 401 that echoes, then an answer whose rejection reason echoes.
    wm.stubFor(post(urlEqualTo(batches)).inScenario("u").whenScenarioStateIs(Scenario.STARTED)
        .willSetStateTo("ok").willReturn(aResponse().withStatus(401).withBody(echo)));
    wm.stubFor(post(urlEqualTo(batches)).inScenario("u").whenScenarioStateIs("ok")
        .willReturn(aResponse().withStatus(200).withBody("{\"batchId\":\"" + batch.batchId()
            + "\",\"accepted\":0,\"rejected\":[{\"id\":1,\"reason\":\"" + jsonEscaped(echo)
            + "\"}]}")));
    run(texts, () -> {
      UploadResult result = gateway.uploadBatch(batch);
      for (Rejection r : result.rejected()) {
        texts.add(r.reason());
        texts.add(r.toString());
      }
      texts.add(result.toString());
    });
    for (int status : new int[] {400, 401, 403, 409, 413, 429, 500, 502}) {
      wm.stubFor(post(urlEqualTo(batches)).willReturn(aResponse().withStatus(status).withBody(echo)));
      run(texts, () -> gateway.uploadBatch(batch));
    }
    // Malformed answers that quote the secrets where a JSON parser will complain about them.
    wm.stubFor(post(urlEqualTo(batches))
        .willReturn(aResponse().withStatus(200).withBody("{\"batchId\": " + token + " " + key)));
    run(texts, () -> gateway.uploadBatch(batch));
    wm.stubFor(post(urlEqualTo(batches)).willReturn(aResponse().withStatus(200)
        .withBody("{\"batchId\":\"x\",\"accepted\":\"" + jsonEscaped(token) + "\"}")));
    run(texts, () -> gateway.uploadBatch(batch));
    // A stalled answer.
    wm.stubFor(post(urlEqualTo(batches)).willReturn(aResponse().withStatus(200)
        .withBody(echo).withChunkedDribbleDelay(4, 3_000)));
    run(texts, () -> gateway.uploadBatch(batch));

    wm.stubFor(post(urlEqualTo(heartbeat)).willReturn(aResponse().withStatus(500).withBody(echo)));
    run(texts, () -> gateway.sendHeartbeat(beat));
    wm.stubFor(post(urlEqualTo(heartbeat)).willReturn(aResponse().withStatus(200)
        .withBody("{\"configVersion\":\"" + jsonEscaped(echo) + "\"}")));
    run(texts, () -> texts.add(gateway.sendHeartbeat(beat).toString()));
    wm.stubFor(get(urlEqualTo(config)).willReturn(aResponse().withStatus(403).withBody(echo)));
    run(texts, gateway::downloadConfig);
    wm.stubFor(get(urlEqualTo(config)).willReturn(aResponse().withStatus(200)
        .withBody("{\"version\":\"" + jsonEscaped(token) + "\",\"batchSize\":\"" + jsonEscaped(key)
            + "\"}")));
    run(texts, gateway::downloadConfig);
    wm.stubFor(post(urlEqualTo("/api/v1/auth/token"))
        .willReturn(aResponse().withStatus(401).withBody(echo)));
    run(texts, gateway::authenticate);
    wm.stubFor(post(urlEqualTo("/api/v1/auth/token"))
        .willReturn(aResponse().withStatus(200).withBody("{\"accessToken\": " + token)));
    run(texts, gateway::authenticate);
  }

  private static void run(List<String> texts, Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      collect(texts, e);
    }
  }

  private static void collect(List<String> texts, Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      texts.add(String.valueOf(t.getMessage()));
      texts.add(t.toString());
      if (t instanceof GatewayException) {
        ((GatewayException) t).bodyExcerpt().ifPresent(texts::add);
      }
    }
  }

  private static String jsonEscaped(String text) {
    return new String(JsonStringEncoder.getInstance().quoteAsString(text));
  }

  /** No secret, and no stretch of 8 or more of its characters, in any text; one line each. */
  private static void assertClean(List<String> texts, String key, String token) {
    List<String> fragments = new ArrayList<>();
    for (String secret : List.of(key, token)) {
      fragments.add(secret);
      for (String part : secret.split("[^\\x21-\\x7e]")) {
        for (int i = 0; i + 8 <= part.length(); i++) {
          fragments.add(part.substring(i, i + 8));
        }
      }
    }
    for (String text : texts) {
      for (String fragment : fragments) {
        assertFalse(text.contains(fragment), "'" + fragment + "' leaked in: " + text);
      }
      HostileServerTest.assertOneLine(text);
    }
  }
}

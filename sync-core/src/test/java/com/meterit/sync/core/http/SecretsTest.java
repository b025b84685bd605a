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
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.meterit.sync.api.BackoffPolicy;
import com.meterit.sync.core.SyncManager;
import com.meterit.sync.core.testing.InMemoryReadingSource;
import com.meterit.sync.core.testing.ManualClock;
import com.meterit.sync.core.testing.ManualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

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
      SyncManager manager = SyncManager.builder(source, gateway)
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
}

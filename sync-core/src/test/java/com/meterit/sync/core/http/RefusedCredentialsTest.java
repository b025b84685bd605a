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
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.meterit.sync.api.BackoffPolicy;
import com.meterit.sync.api.SyncOutcome;
import com.meterit.sync.api.SyncState;
import com.meterit.sync.api.SyncStatus;
import com.meterit.sync.core.SyncManager;
import com.meterit.sync.core.testing.InMemoryReadingSource;
import com.meterit.sync.core.testing.ManualClock;
import com.meterit.sync.core.testing.ManualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A wrong API key, a disabled gateway: found by a token request when the engine starts, even with
 * nothing to send, and logged as an ERROR once per change of state, with a line when it mends.
 */
class RefusedCredentialsTest {
  @RegisterExtension
  static final WireMockExtension wm = WireMockExtension.newInstance()
      .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
      .build();

  private final ManualClock clock = new ManualClock(Instant.parse("2026-05-01T00:00:00Z"));
  private final InMemoryReadingSource source =
      new InMemoryReadingSource(clock, Duration.ofMinutes(5));

  private SyncManager manager() {
    wm.stubFor(get(urlEqualTo("/api/v1/health")).willReturn(aResponse().withStatus(200)));
    wm.stubFor(post(urlEqualTo("/api/v1/gateways/" + GATEWAY + "/heartbeat"))
        .willReturn(aResponse().withStatus(204)));
    return SyncManager.builder()
        .setSource(source)
        .setGateway(HttpClientSystemGateway.builder(base(wm), API_KEY, GATEWAY).setClock(clock)
            .build())
        .setClock(clock).setTicker(clock).setScheduler(new ManualScheduler(clock))
        .setExecutor(Runnable::run).setBackgroundExecutor(Runnable::run)
        .setUploadExecutor(Runnable::run)
        .setBackoffPolicy(BackoffPolicy.none()).setSleeper(d -> { })
        .build();
  }

  private static void refuseTheKey() {
    wm.stubFor(post(urlEqualTo("/api/v1/auth/token"))
        .willReturn(aResponse().withStatus(401).withBody("{\"error\":\"invalid api key\"}")));
  }

  @Test
  void aRefusedKeyIsOneErrorAtStartEvenWithAnEmptyQueueAndNoSuccessIsClaimed() {
    refuseTheKey();
    try (LogCapture logs = new LogCapture(); SyncManager manager = manager()) {
      manager.start();

      List<String> errors = logs.at(Level.ERROR);
      assertEquals(1, errors.size(), "one ERROR as the engine starts: " + logs.lines());
      assertTrue(errors.get(0).contains("AUTH_FAILED")
          && errors.get(0).contains("refused the API key (HTTP 401)"), errors.get(0));
      SyncStatus status = manager.getStatus();
      assertEquals(SyncState.AUTH_FAILED, status.state());
      assertTrue(status.lastSuccessAt().isEmpty(), "no success with a refused key: " + status);
      assertTrue(status.lastError().orElseThrow().contains("refused the API key"), status::toString);

      for (int i = 0; i < 3; i++) {
        assertEquals(SyncOutcome.FAILED, manager.triggerSync().join().outcome());
      }
      assertEquals(1, logs.at(Level.ERROR).size(), "not one per run: " + logs.lines());
      assertEquals(SyncState.AUTH_FAILED, manager.getStatus().state());
    }
  }

  @Test
  void aMendedKeyIsOneInfoLineAndADisabledGatewayIsTheNextError() {
    refuseTheKey();
    try (LogCapture logs = new LogCapture(); SyncManager manager = manager()) {
      manager.start();
      manager.triggerSync().join();

      stubToken(wm, TOKEN, 3600);
      assertEquals(SyncOutcome.SUCCEEDED, manager.triggerSync().join().outcome());
      assertEquals(SyncState.IDLE, manager.getStatus().state());
      assertEquals(1, logs.at(Level.ERROR).size(), logs.lines().toString());
      assertEquals(1, logs.at(Level.INFO).stream()
          .filter(l -> l.contains("accepts this gateway again")).count(), logs.lines().toString());

      wm.stubFor(post(urlEqualTo("/api/v1/readings/batches"))
          .willReturn(aResponse().withStatus(403)));
      source.addSample(5);
      manager.triggerSync().join();
      manager.triggerSync().join();

      List<String> errors = logs.at(Level.ERROR);
      assertEquals(2, errors.size(), logs.lines().toString());
      assertTrue(errors.get(1).contains("DISABLED"), errors.get(1));
      assertEquals(SyncState.DISABLED, manager.getStatus().state());
      assertEquals(5, source.pendingCount());
    }
  }
}

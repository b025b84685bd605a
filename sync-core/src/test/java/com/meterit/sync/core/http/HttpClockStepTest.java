package com.meterit.sync.core.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.meterit.sync.core.http.WireMockSupport.API_KEY;
import static com.meterit.sync.core.http.WireMockSupport.GATEWAY;
import static com.meterit.sync.core.http.WireMockSupport.TOKEN;
import static com.meterit.sync.core.http.WireMockSupport.base;
import static com.meterit.sync.core.http.WireMockSupport.stubToken;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.meterit.sync.api.Reading;
import com.meterit.sync.api.TransientGatewayException;
import com.meterit.sync.api.UploadBatch;
import com.meterit.sync.core.testing.ManualClock;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The gateway's waits under a step of the wall clock, a day forward or back: the token is kept
 * for its lifetime on monotonic time, and an exchange deadline is the JDK's, on monotonic time,
 * whatever the gateway's clock reads.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HttpClockStepTest {
  @RegisterExtension
  static final WireMockExtension wm = WireMockExtension.newInstance()
      .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
      .build();

  private final ManualClock clock = new ManualClock(Instant.parse("2026-05-01T10:00:00Z"));
  private final UploadBatch batch = UploadBatch.of(List.of(
      Reading.of(1, "m-1", Instant.parse("2026-01-01T00:15:00Z"), BigDecimal.ONE, "kWh")));

  @ParameterizedTest
  @ValueSource(longs = {-1, 1})
  void theTokenIsKeptForItsLifetimeOnMonotonicTime(long days) {
    stubToken(wm, TOKEN, 600);
    wm.stubFor(post(urlEqualTo("/api/v1/readings/batches")).willReturn(aResponse()
        .withStatus(200).withHeader("Content-Type", "application/json")
        .withBody("{\"batchId\":\"" + batch.batchId() + "\",\"accepted\":1,\"rejected\":[]}")));
    HttpClientSystemGateway gateway = HttpClientSystemGateway.builder(base(wm), API_KEY, GATEWAY)
        .setClock(clock).build();
    gateway.uploadBatch(batch);
    clock.advance(Duration.ofSeconds(300));
    clock.stepWallClock(Duration.ofDays(days));
    clock.advance(Duration.ofSeconds(239));
    gateway.uploadBatch(batch);
    // Refreshed a minute before its 600 s: a day forward must not drop it early, a day back must
    // not keep it for a day.
    wm.verify(1, postRequestedFor(urlEqualTo("/api/v1/auth/token")));
    clock.advance(Duration.ofSeconds(1));
    gateway.uploadBatch(batch);
    wm.verify(2, postRequestedFor(urlEqualTo("/api/v1/auth/token")));
  }

  @ParameterizedTest
  @ValueSource(longs = {-1, 1})
  void anExchangeDeadlineIsMonotonicWhateverTheGatewaysClockReads(long days) throws Exception {
    Duration deadline = Duration.ofMillis(800);
    StallingServer server = new StallingServer();
    ExecutorService caller = Executors.newSingleThreadExecutor();
    try {
      String upload = "POST /api/v1/readings/batches";
      server.answer("POST /api/v1/auth/token",
          200, "{\"accessToken\":\"tok-1\",\"tokenType\":\"Bearer\",\"expiresIn\":3600}");
      server.answer(upload, 200, "{}");
      server.mode(upload, StallingServer.Mode.STALL_BEFORE_BODY);
      HttpClientSystemGateway gateway = HttpClientSystemGateway.builder(server.base(), "key-1",
          "gw-0042").setClock(clock).setRequestTimeout(deadline).setExchangeTimeout(deadline)
          .build();
      gateway.authenticate();
      long start = System.nanoTime();
      Future<?> call = caller.submit(() -> gateway.uploadBatch(batch));
      while (server.requests(upload) == 0) {
        Thread.onSpinWait();
      }
      clock.stepWallClock(Duration.ofDays(days));
      clock.advance(Duration.ofDays(2));
      java.util.concurrent.ExecutionException failed = assertThrows(
          java.util.concurrent.ExecutionException.class, () -> call.get(10, TimeUnit.SECONDS));
      long took = System.nanoTime() - start;
      assertTrue(failed.getCause() instanceof TransientGatewayException, failed.toString());
      assertTrue(failed.getCause().getMessage().contains("within the exchange deadline (PT0.8S)"),
          failed.getCause().getMessage());
      assertTrue(took >= deadline.toNanos() && took < Duration.ofSeconds(5).toNanos(),
          "the deadline passed after " + Duration.ofNanos(took));
    } finally {
      caller.shutdownNow();
      server.close();
    }
  }
}

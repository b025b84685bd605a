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
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.meterit.sync.api.BackoffPolicy;
import com.meterit.sync.api.Reading;
import com.meterit.sync.api.SyncRun;
import com.meterit.sync.api.TransientGatewayException;
import com.meterit.sync.api.UploadBatch;
import com.meterit.sync.core.SyncManager;
import com.meterit.sync.core.testing.InMemoryReadingSource;
import com.meterit.sync.core.testing.ManualClock;
import com.meterit.sync.core.testing.ManualScheduler;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A link that fails is said in words, not in the JDK's: "HTTP/1.1 header parser received no
 * bytes" is a connection closed before an answer. And a run that gives up names the batch once.
 */
class FailureWordsTest {
  @RegisterExtension
  static final WireMockExtension wm = WireMockExtension.newInstance()
      .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
      .build();

  private final ManualClock clock = new ManualClock(Instant.parse("2026-05-01T10:00:00Z"));

  private HttpClientSystemGateway gateway(URI base) {
    return HttpClientSystemGateway.builder(base, API_KEY, GATEWAY).setClock(clock)
        .setAllowInsecureHttp(true).build();
  }

  private static UploadBatch batch() {
    return UploadBatch.of(List.of(Reading.of(1, "m-1", Instant.parse("2026-01-01T00:15:00Z"),
        new BigDecimal("1.5"), "kWh")));
  }

  private String uploadFailure(Fault fault) {
    stubToken(wm, TOKEN, 3600);
    wm.stubFor(post(urlEqualTo("/api/v1/readings/batches"))
        .willReturn(aResponse().withFault(fault)));
    return assertThrows(TransientGatewayException.class,
        () -> gateway(base(wm)).uploadBatch(batch())).getMessage();
  }

  @Test
  void aConnectionClosedWithoutAnAnswerIsSaidInWords() {
    UploadBatch batch = batch();
    assertEquals("upload of batch " + batch.batchId()
        + " failed: the connection closed before an answer", uploadFailure(Fault.EMPTY_RESPONSE));
  }

  @Test
  void aResetConnectionIsSaidInWords() {
    // A reset before any byte reads as a closed connection to the JDK; after some, it says so.
    assertEquals("the connection was reset", LinkFailures.describe(
        new java.io.IOException("wrapped", new java.net.SocketException("Connection reset")),
        URI.create("http://127.0.0.1:8080/api")));
    assertEquals(null, LinkFailures.describe(new java.io.IOException("something else"),
        URI.create("http://127.0.0.1:8080/api")));
  }

  @Test
  void aRefusedConnectionIsSaidInWords() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    String message = assertThrows(TransientGatewayException.class,
        () -> gateway(URI.create("http://127.0.0.1:" + closedPort + "/api")).authenticate())
        .getMessage();
    assertEquals("authentication failed: connection refused (nothing listens at 127.0.0.1:"
        + closedPort + ")", message);
  }

  @Test
  void aRunThatGivesUpNamesTheBatchOnce() {
    stubToken(wm, TOKEN, 3600);
    wm.stubFor(get(urlEqualTo("/api/v1/health")).willReturn(aResponse().withStatus(200)));
    wm.stubFor(post(urlEqualTo("/api/v1/readings/batches"))
        .willReturn(aResponse().withFault(Fault.EMPTY_RESPONSE)));
    InMemoryReadingSource source = new InMemoryReadingSource(clock, Duration.ofMinutes(5));
    source.addSample(3);
    try (SyncManager manager = SyncManager.builder().setSource(source)
        .setGateway(gateway(base(wm)))
        .setClock(clock).setTicker(clock).setScheduler(new ManualScheduler(clock))
        .setExecutor(Runnable::run).setBackgroundExecutor(Runnable::run)
        .setUploadExecutor(Runnable::run)
        .setMaxRetries(2).setBackoffPolicy(BackoffPolicy.none()).setSleeper(d -> { })
        .build()) {
      manager.start();
      SyncRun run = manager.triggerSync().join();
      String batchId = source.claim(10).batch().batchId();

      assertEquals("upload of batch " + batchId + " failed after 2 retries: the connection "
          + "closed before an answer", run.error().orElseThrow());
    }
  }
}

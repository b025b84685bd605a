package com.meterit.sync.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.meterit.sync.api.SyncOutcome;
import com.meterit.sync.api.SyncRun;
import com.meterit.sync.core.SyncManager;
import com.meterit.sync.core.testing.InMemoryReadingSource;
import com.meterit.sync.core.testing.ManualClock;
import com.meterit.sync.core.testing.ManualScheduler;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A manager behind a link that sends the answer's headers and then stalls: every run fails within
 * the exchange deadline, nothing is lost, the manager drains once answers come whole again, and
 * stop() keeps its deadline even while an answer is stalled.
 */
class ManagerBehindAStallTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ExecutorService handlers = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "stall-test-server");
    t.setDaemon(true);
    return t;
  });
  private final CountDownLatch serverClosing = new CountDownLatch(1);
  private volatile boolean stalling = true;
  private HttpServer server;

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(handlers);
    server.createContext("/api/v1/auth/token",
        x -> respond(x, "{\"accessToken\":\"t-1\",\"expiresIn\":3600}"));
    server.createContext("/api/v1/health", x -> respond(x, "{}"));
    server.createContext("/api/v1/gateways/", x -> respond(x, "{}"));
    server.createContext("/api/v1/readings/batches", this::batch);
    server.start();
  }

  @AfterEach
  void stopServer() {
    serverClosing.countDown();
    server.stop(0);
    handlers.shutdownNow();
  }

  private void batch(HttpExchange exchange) throws IOException {
    JsonNode body;
    try (InputStream in = new GZIPInputStream(exchange.getRequestBody())) {
      body = JSON.readTree(in);
    }
    if (stalling) {
      // The headers go out, the promised body never comes.
      exchange.sendResponseHeaders(200, 64);
      exchange.getResponseBody().flush();
      try {
        serverClosing.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.close();
      return;
    }
    respond(exchange, "{\"batchId\":\"" + body.get("batchId").asText() + "\",\"accepted\":"
        + body.get("readings").size() + ",\"rejected\":[]}");
  }

  private static void respond(HttpExchange exchange, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  @Test
  void aStalledAnswerFailsTheRunInTimeAndTheManagerDrainsOnceAnswersComeWhole() {
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      ManualClock clock = new ManualClock(Instant.parse("2026-03-01T00:00:00Z"));
      InMemoryReadingSource source = new InMemoryReadingSource(clock, Duration.ofMinutes(5));
      source.addSample(2_500);
      URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api");
      HttpClientSystemGateway gateway = HttpClientSystemGateway.builder(base, "key", "gw-stall")
          // Short deadlines, but not so short that a loaded machine misses them on healthy calls.
          .setRequestTimeout(Duration.ofSeconds(3)).setExchangeTimeout(Duration.ofSeconds(4))
          .build();
      ExecutorService worker = Executors.newSingleThreadExecutor();
      SyncManager manager = SyncManager.builder(source, gateway).setClock(clock)
          .setScheduler(new ManualScheduler(clock)).setExecutor(worker)
          .setBackgroundExecutor(Runnable::run).setBatchSize(1000).setMaxRetries(1)
          .setSleeper(d -> { }).build();
      try {
        manager.start();
        SyncRun stalled = manager.triggerSync().get(30, TimeUnit.SECONDS);
        assertEquals(SyncOutcome.FAILED, stalled.outcome());
        assertTrue(stalled.error().orElseThrow().contains("no complete answer within the exchange "
            + "deadline (PT4S) from POST /v1/readings/batches"),
            stalled.error().orElseThrow());
        assertEquals(2_500, source.pendingCount(), "nothing acknowledged on a stalled answer");

        stalling = false;
        SyncRun drained = manager.triggerSync().get(30, TimeUnit.SECONDS);
        assertEquals(SyncOutcome.SUCCEEDED, drained.outcome(), drained.error().orElse(""));
        assertEquals(2_500, source.syncedIds().size());

        // A stall again, and stop() while the answer hangs: it returns within its deadline.
        stalling = true;
        source.addSample(10);
        manager.triggerSync();
        manager.stop().get(20, TimeUnit.SECONDS);
        assertEquals(10, source.pendingCount());
        assertEquals(0, source.heldBatches());
      } finally {
        worker.shutdownNow();
      }
    });
  }
}

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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A server that takes longer to process an upload than the gateway's exchange deadline, and, as
 * the IETF Idempotency-Key draft says, answers 409 to a request whose key is still being
 * processed. The retry must wait for the first request's outcome under the same key; bisecting
 * the batch into halves with new keys would have the server count every reading twice.
 */
class InProgressConflictTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration DEADLINE = Duration.ofMillis(500);

  private final ExecutorService handlers = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "in-progress-test-server");
    t.setDaemon(true);
    return t;
  });
  private final CountDownLatch finishProcessing = new CountDownLatch(1);
  private final CountDownLatch firstRecorded = new CountDownLatch(1);
  private HttpServer server;

  // Guarded by this.
  private final Set<String> processing = new HashSet<>();
  private final Map<String, String> answers = new HashMap<>();
  private final Map<Long, Set<String>> keysByReading = new TreeMap<>();
  private final List<String> keysSent = new ArrayList<>();
  private int conflicts;
  private boolean firstHeld;

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(handlers);
    server.createContext("/api/v1/auth/token",
        x -> respond(x, 200, "{\"accessToken\":\"t-1\",\"expiresIn\":3600}"));
    server.createContext("/api/v1/health", x -> respond(x, 200, "{}"));
    server.createContext("/api/v1/gateways/", x -> respond(x, 200, "{}"));
    server.createContext("/api/v1/readings/batches", this::batch);
    server.start();
  }

  @AfterEach
  void stopServer() {
    finishProcessing.countDown();
    server.stop(0);
    handlers.shutdownNow();
  }

  private void batch(HttpExchange exchange) throws IOException {
    JsonNode body;
    try (InputStream in = new GZIPInputStream(exchange.getRequestBody())) {
      body = JSON.readTree(in);
    }
    String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
    boolean hold;
    synchronized (this) {
      keysSent.add(key);
      if (processing.contains(key)) {
        conflicts++;
        respond(exchange, 409, "{\"error\":\"a request with this key is being processed\"}");
        return;
      }
      String earlier = answers.get(key);
      if (earlier != null) {
        respond(exchange, 200, earlier);
        return;
      }
      processing.add(key);
      hold = !firstHeld;
      firstHeld = true;
    }
    if (hold) {
      // The server's work on the very first upload outlasts the gateway's exchange deadline.
      try {
        finishProcessing.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    String answer = "{\"batchId\":\"" + key + "\",\"accepted\":" + body.get("readings").size()
        + ",\"rejected\":[]}";
    synchronized (this) {
      for (JsonNode reading : body.get("readings")) {
        keysByReading.computeIfAbsent(reading.get("id").asLong(), id -> new TreeSet<>()).add(key);
      }
      answers.put(key, answer);
      processing.remove(key);
    }
    firstRecorded.countDown();
    try {
      respond(exchange, 200, answer);
    } catch (IOException e) {
      // The gateway gave up on this exchange long ago.
    }
  }

  private static void respond(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  @Test
  void a409ForAKeyStillInProcessingIsRetriedUnderThatKeyAndNeverBisected() {
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      ManualClock clock = new ManualClock(Instant.parse("2026-03-01T00:00:00Z"));
      InMemoryReadingSource source = new InMemoryReadingSource(clock, Duration.ofMinutes(5));
      source.addSample(8);
      URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api");
      HttpClientSystemGateway gateway = HttpClientSystemGateway.builder(base, "key", "gw-409")
          .setRequestTimeout(DEADLINE).setExchangeTimeout(DEADLINE).build();
      ExecutorService worker = Executors.newSingleThreadExecutor();
      SyncManager manager = SyncManager.builder(source, gateway).setClock(clock)
          .setScheduler(new ManualScheduler(clock)).setExecutor(worker)
          .setBackgroundExecutor(Runnable::run).setSleeper(d -> { }).build();
      try {
        manager.start();
        SyncRun first = manager.triggerSync().get(30, TimeUnit.SECONDS);
        synchronized (this) {
          assertTrue(conflicts >= 1, "the retry met the first request still in processing");
          assertEquals(1, new HashSet<>(keysSent).size(), "every request under one key: " + keysSent);
        }
        assertEquals(0, first.readingsSynced(), first.toString());
        assertEquals(8, source.pendingCount(), "a 409 acknowledges nothing");
        assertEquals(1, source.journaledBatches(), "the batch stays journaled, unchanged");
        assertEquals(0, source.heldBatches(), "and is given back for a later run");

        finishProcessing.countDown();
        assertTrue(firstRecorded.await(20, TimeUnit.SECONDS));
        SyncRun second = manager.triggerSync().get(30, TimeUnit.SECONDS);
        assertEquals(SyncOutcome.SUCCEEDED, second.outcome(), second.error().orElse(""));
        assertEquals(8, source.syncedIds().size());
        synchronized (this) {
          assertEquals(8, keysByReading.size());
          keysByReading.forEach((id, keys) ->
              assertEquals(1, keys.size(), "reading " + id + " recorded under " + keys));
          assertEquals(1, new HashSet<>(keysSent).size(), "every request under one key: " + keysSent);
        }
      } finally {
        manager.close();
        worker.shutdownNow();
      }
    });
  }
}

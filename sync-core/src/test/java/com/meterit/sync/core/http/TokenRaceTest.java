package com.meterit.sync.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.meterit.sync.api.SyncOutcome;
import com.meterit.sync.api.SyncRun;
import com.meterit.sync.api.SyncState;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The black-box run of issue 22, replayed step by step: four batches in flight, a server that
 * holds each upload before it checks its token, and two revocations. A 401 on a data call says
 * only that that token is no good; the API key is fine, so the run must not end AUTH_FAILED, and
 * every reading arrives once. The test decides every interleaving; the manager's timers run on a
 * manual scheduler.
 */
class TokenRaceTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** An upload the server holds before it checks its token. */
  private static final class Held {
    final String token;
    final CountDownLatch release = new CountDownLatch(1);
    final CountDownLatch checked = new CountDownLatch(1);

    Held(String token) {
      this.token = token;
    }
  }

  private final ExecutorService handlers = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "token-race-server");
    t.setDaemon(true);
    return t;
  });
  private HttpServer server;

  // Guarded by this.
  private final Set<String> valid = new HashSet<>();
  private final List<Held> held = new ArrayList<>();
  private final Map<Long, Set<String>> keysByReading = new TreeMap<>();
  private int issued;
  private int refused;
  private boolean holding;
  private boolean refuseEveryToken;

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(handlers);
    server.createContext("/api/v1/auth/token", this::token);
    server.createContext("/api/v1/health", x -> respond(x, 200, "{}"));
    server.createContext("/api/v1/gateways/", x -> respond(x, 200, "{}"));
    server.createContext("/api/v1/readings/batches", this::batch);
    server.start();
  }

  @AfterEach
  void stopServer() {
    synchronized (this) {
      held.forEach(h -> h.release.countDown());
    }
    server.stop(0);
    handlers.shutdownNow();
  }

  private void token(HttpExchange exchange) throws IOException {
    String token;
    synchronized (this) {
      token = "t-" + ++issued;
      valid.add(token);
    }
    respond(exchange, 200, "{\"accessToken\":\"" + token + "\",\"expiresIn\":3600}");
  }

  private void batch(HttpExchange exchange) throws IOException {
    JsonNode body;
    try (InputStream in = new GZIPInputStream(exchange.getRequestBody())) {
      body = JSON.readTree(in);
    }
    String token = exchange.getRequestHeaders().getFirst("Authorization").substring(7);
    String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
    Held hold = null;
    synchronized (this) {
      if (holding) {
        hold = new Held(token);
        held.add(hold);
        notifyAll();
      }
    }
    if (hold != null) {
      try {
        hold.release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    boolean accepted;
    synchronized (this) {
      accepted = !refuseEveryToken && valid.contains(token);
      if (accepted) {
        for (JsonNode reading : body.get("readings")) {
          keysByReading.computeIfAbsent(reading.get("id").asLong(), id -> new TreeSet<>())
              .add(key);
        }
      } else {
        refused++;
      }
    }
    if (hold != null) {
      hold.checked.countDown();
    }
    if (accepted) {
      respond(exchange, 200, "{\"batchId\":\"" + key + "\",\"accepted\":"
          + body.get("readings").size() + ",\"rejected\":[]}");
    } else {
      respond(exchange, 401, "{\"error\":\"invalid token\"}");
    }
  }

  private static void respond(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  /** Waits until {@code count} uploads are held, takes them, and returns them. */
  private synchronized List<Held> awaitHeld(int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (held.size() < count) {
      long left = deadline - System.nanoTime();
      assertTrue(left > 0, "waited for " + count + " uploads to be held; " + held.size()
          + " are; tokens issued: " + issued);
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    assertEquals(count, held.size(), "no more uploads than batches in flight");
    List<Held> taken = new ArrayList<>(held);
    held.clear();
    return taken;
  }

  private synchronized void revoke(String token) {
    valid.remove(token);
  }

  private static List<String> tokens(List<Held> uploads) {
    return uploads.stream().map(h -> h.token).collect(Collectors.toList());
  }

  private static void releaseAndAwaitCheck(List<Held> uploads) throws InterruptedException {
    for (Held h : uploads) {
      h.release.countDown();
    }
    for (Held h : uploads) {
      assertTrue(h.checked.await(15, TimeUnit.SECONDS));
    }
  }

  @Test
  void fourLanesAndTwoRevocationsEndWithEveryReadingOnceAndNoAuthFailure() {
    assertTimeoutPreemptively(Duration.ofSeconds(90), () -> {
      ManualClock clock = new ManualClock(Instant.parse("2026-03-01T00:00:00Z"));
      InMemoryReadingSource source = new InMemoryReadingSource(clock, Duration.ofMinutes(5));
      URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api");
      HttpClientSystemGateway gateway = HttpClientSystemGateway.builder(base, "key", "gw-race")
          .setExchangeTimeout(Duration.ofSeconds(60)).build();
      ExecutorService worker = Executors.newSingleThreadExecutor();
      ExecutorService lanes = Executors.newFixedThreadPool(4);
      SyncManager manager = SyncManager.builder(source, gateway).setClock(clock)
          .setScheduler(new ManualScheduler(clock)).setExecutor(worker)
          .setBackgroundExecutor(Runnable::run).setUploadExecutor(lanes).setBatchSize(10)
          .setMaxInFlight(4).setSleeper(d -> { }).build();
      try {
        // Two batches answered open the window from two to four.
        source.addSample(20);
        manager.start();
        assertEquals(SyncOutcome.SUCCEEDED,
            manager.triggerSync().get(30, TimeUnit.SECONDS).outcome());
        assertEquals(20, source.syncedIds().size());

        source.addSample(40);
        synchronized (this) {
          holding = true;
        }
        CompletableFuture<SyncRun> run = manager.triggerSync();

        // Four lanes send with token 1, which is revoked while the server holds them.
        List<Held> first = awaitHeld(4);
        assertEquals(List.of("t-1", "t-1", "t-1", "t-1"), tokens(first));
        revoke("t-1");
        releaseAndAwaitCheck(first);

        // One shared re-authentication; all four retry with token 2.
        List<Held> second = awaitHeld(4);
        assertEquals(List.of("t-2", "t-2", "t-2", "t-2"), tokens(second));
        synchronized (this) {
          assertEquals(2, issued);
        }
        // Two are accepted; then token 2 is revoked, and the other two, sent with it while it
        // was valid, are refused.
        releaseAndAwaitCheck(second.subList(0, 2));
        revoke("t-2");
        releaseAndAwaitCheck(second.subList(2, 4));

        // The key is fine: one more token, and the two lanes go through.
        List<Held> third = awaitHeld(2);
        assertEquals(List.of("t-3", "t-3"), tokens(third));
        releaseAndAwaitCheck(third);

        SyncRun race = run.get(30, TimeUnit.SECONDS);
        assertEquals(SyncOutcome.SUCCEEDED, race.outcome(), race.error().orElse(""));
        assertEquals(SyncState.IDLE, manager.getStatus().state());
        assertEquals(60, source.syncedIds().size());
        synchronized (this) {
          assertEquals(3, issued, "one token per revocation");
          assertEquals(6, refused);
          assertEquals(60, keysByReading.size());
          keysByReading.forEach((id, keys) ->
              assertEquals(1, keys.size(), "reading " + id + " recorded under " + keys));
        }
      } finally {
        manager.close();
        worker.shutdownNow();
        lanes.shutdownNow();
      }
    });
  }

  @Test
  void aServerThatRefusesEveryTokenFailsTheRunAsTransientWithABoundedNumberOfTokens() {
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      ManualClock clock = new ManualClock(Instant.parse("2026-03-01T00:00:00Z"));
      InMemoryReadingSource source = new InMemoryReadingSource(clock, Duration.ofMinutes(5));
      source.addSample(10);
      URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api");
      HttpClientSystemGateway gateway = HttpClientSystemGateway.builder(base, "key", "gw-race")
          .build();
      synchronized (this) {
        // Issued, then refused on every data call: the token endpoint is fine with the key.
        refuseEveryToken = true;
      }
      ExecutorService worker = Executors.newSingleThreadExecutor();
      SyncManager manager = SyncManager.builder(source, gateway).setClock(clock)
          .setScheduler(new ManualScheduler(clock)).setExecutor(worker)
          .setBackgroundExecutor(Runnable::run).setBatchSize(10).setMaxRetries(1)
          .setSleeper(d -> { }).build();
      try {
        manager.start();
        SyncRun run = manager.triggerSync().get(30, TimeUnit.SECONDS);
        assertEquals(SyncOutcome.FAILED, run.outcome());
        assertTrue(run.error().orElseThrow().contains("refused 4 tokens in a row (HTTP 401)"),
            run.error().orElseThrow());
        assertTrue(manager.getStatus().state() != SyncState.AUTH_FAILED,
            manager.getStatus().state().toString());
        assertEquals(10, source.pendingCount());
        synchronized (this) {
          // Two attempts (maxRetries 1), each one token and three replacements; the second
          // starts with the last token of the first.
          assertEquals(7, issued);
          assertEquals(8, refused);
        }
      } finally {
        manager.close();
        worker.shutdownNow();
      }
    });
  }
}

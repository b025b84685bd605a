package com.meterit.sync.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.api.Heartbeat;
import com.meterit.sync.api.Reading;
import com.meterit.sync.api.SyncState;
import com.meterit.sync.api.TransientGatewayException;
import com.meterit.sync.api.UploadBatch;
import com.meterit.sync.api.UploadResult;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A link that drops after the answer's headers: every call fails within the exchange deadline,
 * as transient, saying which deadline passed; and the same gateway works once answers flow again.
 */
class StallsTest {
  // Short, but long enough that a loaded machine answers healthy calls within it.
  private static final Duration DEADLINE = Duration.ofMillis(1500);
  /** Far above the deadline, far below "forever": only a call that ignores its deadline hits it. */
  private static final Duration BOUND = Duration.ofSeconds(10);
  private static final String TOKEN = "POST /api/v1/auth/token";
  private static final String UPLOAD = "POST /api/v1/readings/batches";
  private static final String HEARTBEAT = "POST /api/v1/gateways/gw-0042/heartbeat";
  private static final String CONFIG = "GET /api/v1/gateways/gw-0042/config";
  private static final String HEALTH = "GET /api/v1/health";

  private final UploadBatch batch = UploadBatch.of(List.of(
      Reading.of(1, "m-1", Instant.parse("2026-01-01T00:15:00Z"), BigDecimal.ONE, "kWh")));
  private StallingServer server;
  private HttpClientSystemGateway gateway;

  @BeforeEach
  void start() throws IOException {
    server = new StallingServer();
    server.answer(TOKEN, 200, "{\"accessToken\":\"tok-1\",\"tokenType\":\"Bearer\",\"expiresIn\":3600,"
        + "\"padding\":\"" + "p".repeat(200) + "\"}");
    server.answer(UPLOAD, 200, "{\"batchId\":\"" + batch.batchId() + "\",\"accepted\":1,\"rejected\":[]}");
    server.answer(HEARTBEAT, 200, "{\"configVersion\":\"7\"}");
    server.answer(CONFIG, 200, "{\"version\":\"7\",\"batchSize\":500}");
    server.answer(HEALTH, 200, "{\"status\":\"up\"}");
    gateway = HttpClientSystemGateway.builder(server.base(), "key-1", "gw-0042")
        .setRequestTimeout(DEADLINE)
        .setExchangeTimeout(DEADLINE)
        .build();
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
  }

  enum Call {
    UPLOAD_BATCH(UPLOAD) {
      @Override
      void run(HttpClientSystemGateway gateway, UploadBatch batch) {
        UploadResult result = gateway.uploadBatch(batch);
        assertEquals(1, result.acceptedCount());
      }
    },
    SEND_HEARTBEAT(HEARTBEAT) {
      @Override
      void run(HttpClientSystemGateway gateway, UploadBatch batch) {
        Heartbeat beat = new Heartbeat(Instant.parse("2026-05-01T10:00:00Z"), SyncState.IDLE, OptionalLong.of(0),
            null, Duration.ofSeconds(1), null);
        assertEquals("7", gateway.sendHeartbeat(beat).configVersion().orElseThrow());
      }
    },
    DOWNLOAD_CONFIG(CONFIG) {
      @Override
      void run(HttpClientSystemGateway gateway, UploadBatch batch) {
        assertEquals("7", gateway.downloadConfig().orElseThrow().version());
      }
    },
    AUTHENTICATE(TOKEN) {
      @Override
      void run(HttpClientSystemGateway gateway, UploadBatch batch) {
        gateway.authenticate();
      }
    };

    final String request;

    Call(String request) {
      this.request = request;
    }

    abstract void run(HttpClientSystemGateway gateway, UploadBatch batch);
  }

  static Stream<Arguments> callsAndStalls() {
    List<Arguments> cases = new ArrayList<>();
    for (Call call : Call.values()) {
      cases.add(Arguments.of(call, StallingServer.Mode.STALL_BEFORE_BODY));
      cases.add(Arguments.of(call, StallingServer.Mode.STALL_MID_BODY));
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("callsAndStalls")
  void aStalledAnswerFailsWithinTheExchangeDeadlineThenTheGatewayRecovers(
      Call call, StallingServer.Mode stall) {
    server.mode(call.request, stall);
    TransientGatewayException e = assertTimeoutPreemptively(BOUND,
        () -> assertThrows(TransientGatewayException.class, () -> call.run(gateway, batch)));
    String path = call.request.substring(call.request.indexOf(' ') + 1).replace("/api", "");
    String method = call.request.substring(0, call.request.indexOf(' '));
    assertTrue(e.getMessage().endsWith(": no complete answer within the exchange deadline (PT1.5S) "
        + "from " + method + " " + path), e.getMessage());
    assertTrue(e.isTransient());

    server.answerAll();
    assertTimeoutPreemptively(BOUND, () -> call.run(gateway, batch));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stalls")
  void aStalledTokenAnswerFailsTheCallThatNeededTheToken(StallingServer.Mode stall) {
    server.mode(TOKEN, stall);
    TransientGatewayException e = assertTimeoutPreemptively(BOUND,
        () -> assertThrows(TransientGatewayException.class, () -> gateway.uploadBatch(batch)));
    assertEquals("authentication: no complete answer within the exchange deadline (PT1.5S) "
        + "from POST /v1/auth/token", e.getMessage());
    assertEquals(0, server.requests(UPLOAD));

    server.answerAll();
    assertTimeoutPreemptively(BOUND, () -> Call.UPLOAD_BATCH.run(gateway, batch));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stalls")
  void aStalledHealthAnswerIsOfflineWithinTheDeadline(StallingServer.Mode stall) {
    server.mode(HEALTH, stall);
    try (LogCapture logs = new LogCapture()) {
      assertFalse(assertTimeoutPreemptively(BOUND, gateway::testConnection));
      assertTrue(logs.lines().contains("Health probe failed: health probe: no complete answer "
          + "within the exchange deadline (PT1.5S) from GET /v1/health"), logs.lines().toString());
    }
    server.answerAll();
    assertTrue(assertTimeoutPreemptively(BOUND, gateway::testConnection));
  }

  static Stream<StallingServer.Mode> stalls() {
    return Stream.of(StallingServer.Mode.STALL_BEFORE_BODY, StallingServer.Mode.STALL_MID_BODY);
  }

  @Test
  void callersWaitingForAStalledTokenRefreshGiveUpWithinTheDeadline() throws Exception {
    server.mode(TOKEN, StallingServer.Mode.STALL_MID_BODY);
    int callers = 4;
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<UploadResult>> results = new ArrayList<>();
      for (int i = 0; i < callers; i++) {
        results.add(pool.submit((Callable<UploadResult>) () -> {
          go.await();
          return gateway.uploadBatch(batch);
        }));
      }
      go.countDown();
      for (Future<UploadResult> result : results) {
        ExecutionException e = assertThrows(ExecutionException.class,
            () -> result.get(BOUND.toMillis(), TimeUnit.MILLISECONDS));
        assertTrue(e.getCause() instanceof TransientGatewayException, e.getCause().toString());
        assertTrue(e.getCause().getMessage().startsWith("authentication: "),
            e.getCause().getMessage());
      }
      // They waited for one refresh instead of queueing for the lock and asking in turn.
      assertEquals(1, server.requests(TOKEN));

      server.answerAll();
      assertEquals(1, gateway.uploadBatch(batch).acceptedCount());
    } finally {
      pool.shutdownNow();
    }
  }
}

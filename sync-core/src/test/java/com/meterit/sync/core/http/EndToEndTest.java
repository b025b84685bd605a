package com.meterit.sync.core.http;

import static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder.responseDefinition;
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

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.meterit.sync.api.BackoffPolicy;
import com.meterit.sync.api.Reading;
import com.meterit.sync.api.SyncOutcome;
import com.meterit.sync.core.SyncManager;
import com.meterit.sync.core.testing.InMemoryReadingSource;
import com.meterit.sync.core.testing.ManualClock;
import com.meterit.sync.core.testing.ManualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SyncManager, an in-memory queue and the HTTP gateway against a WireMock server that deduplicates
 * like the contract says, and that fails in bursts: 503s, resets before processing, and lost
 * responses (processed, then the connection dropped).
 */
class EndToEndTest {
  /** A deduplicating Client System whose n-th upload request fails as scripted. */
  static final class FlakyServer implements ResponseDefinitionTransformerV2 {
    private final Map<String, List<String>> contentByBatch = new HashMap<>();
    private final Map<Long, String> accepted = new TreeMap<>();
    private int requests;
    private int conflicts;

    @Override
    public String getName() {
      return "flaky-server";
    }

    @Override
    public boolean applyGlobally() {
      return false;
    }

    @Override
    public synchronized ResponseDefinition transform(ServeEvent event) {
      int n = ++requests;
      if (n % 7 == 2 || n % 7 == 3) {
        return responseDefinition().withStatus(503).build();
      }
      if (n % 11 == 4) {
        return responseDefinition().withFault(Fault.CONNECTION_RESET_BY_PEER).build();
      }
      JsonNode body = WireMockSupport.json(
          WireMockSupport.gunzipIfNeeded(event.getRequest().getBody()));
      String batchId = body.get("batchId").asText();
      List<String> content = new ArrayList<>();
      for (JsonNode r : body.get("readings")) {
        content.add(r.toString());
      }
      List<String> earlier = contentByBatch.putIfAbsent(batchId, content);
      if (earlier != null && !earlier.equals(content)) {
        conflicts++;
      }
      for (JsonNode r : body.get("readings")) {
        accepted.putIfAbsent(r.get("id").asLong(), r.get("value").decimalValue().toPlainString());
      }
      if (n % 5 == 0) {
        // Processed, then the answer is lost: the client must retry under the same key.
        return responseDefinition().withFault(Fault.EMPTY_RESPONSE).build();
      }
      return responseDefinition().withStatus(200)
          .withBody("{\"batchId\":\"" + batchId + "\",\"accepted\":" + content.size()
              + ",\"rejected\":[]}")
          .build();
    }
  }

  static final FlakyServer server = new FlakyServer();

  @RegisterExtension
  static final WireMockExtension wm = WireMockExtension.newInstance()
      .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1").extensions(server))
      .build();

  @Test
  void everyReadingArrivesOnceThroughBurstsOfFaultsAndLostResponses() {
    stubToken(wm, TOKEN, 3600);
    wm.stubFor(get(urlEqualTo("/api/v1/health")).willReturn(aResponse().withStatus(200)));
    wm.stubFor(post(urlEqualTo("/api/v1/gateways/" + GATEWAY + "/heartbeat"))
        .willReturn(aResponse().withStatus(204)));
    wm.stubFor(post(urlEqualTo("/api/v1/readings/batches"))
        .willReturn(aResponse().withTransformers("flaky-server")));

    ManualClock clock = new ManualClock(Instant.parse("2026-05-01T00:00:00Z"));
    ManualScheduler scheduler = new ManualScheduler(clock);
    InMemoryReadingSource source = new InMemoryReadingSource(clock, Duration.ofMinutes(5));
    List<Reading> written = source.addSample(5_000);
    SyncManager manager = SyncManager.builder()
        .setSource(source)
        .setGateway(HttpClientSystemGateway.builder(base(wm), API_KEY, GATEWAY).setClock(clock).build())
        .setClock(clock).setScheduler(scheduler).setExecutor(Runnable::run)
        .setBatchSize(250).setMaxRetries(3)
        .setBackoffPolicy(BackoffPolicy.none()).setSleeper(d -> { })
        .build();
    manager.start();
    for (int i = 0; i < 20 && source.pendingCount() > 0; i++) {
      manager.triggerSync().join();
    }

    assertEquals(0, source.pendingCount());
    assertEquals(5_000, source.syncedIds().size());
    synchronized (server) {
      assertTrue(server.requests > 20, "faults were injected: " + server.requests);
      assertEquals(0, server.conflicts, "no batch id may carry two different contents");
      assertEquals(5_000, server.accepted.size());
      for (Reading r : written) {
        assertEquals(r.value().toPlainString(), server.accepted.get(r.id()), "value of " + r.id());
      }
    }
    assertEquals(Set.of(SyncOutcome.SUCCEEDED), Set.of(manager.triggerSync().join().outcome()));
  }
}

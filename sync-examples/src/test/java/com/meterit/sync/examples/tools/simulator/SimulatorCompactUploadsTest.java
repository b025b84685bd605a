package com.meterit.sync.examples.tools.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.api.BackoffPolicy;
import com.meterit.sync.api.Reading;
import com.meterit.sync.api.UploadBatch;
import com.meterit.sync.core.SyncManager;
import com.meterit.sync.core.http.HttpClientSystemGateway;
import com.meterit.sync.core.testing.InMemoryReadingSource;
import com.meterit.sync.examples.RandomBatches;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The simulator's own decoder of the compact body, and the server's opt-in as a gateway meets it. */
class SimulatorCompactUploadsTest {
  private static final String KEY = "simulator-key";

  private static HttpClientSystemGateway gateway(SimulatedClientSystem server) {
    return HttpClientSystemGateway.builder(server.url(), KEY, "gw-sim")
        .setRequestTimeout(Duration.ofSeconds(5))
        .build();
  }

  @Test
  void decodesEveryRandomBatchToTheReadingsSentInTheirOrderWithTheSameBatchId() {
    SplittableRandom random = new SplittableRandom(2027);
    for (int i = 0; i < 300; i++) {
      UploadBatch sent = RandomBatches.batch(random, i % 20 == 0 ? 2000 : 100);
      SimColumns.Decoded decoded = SimColumns.decode(RandomBatches.encode("gw-Ω", sent, false));
      List<Reading> readings = new ArrayList<>();
      for (SimReading r : decoded.readings) {
        readings.add(new Reading(r.id, r.meterId, Instant.parse(r.timestamp), r.value, r.unit,
            r.quality));
      }
      RandomBatches.assertRestores(sent, "gw-Ω", decoded.gatewayId, decoded.batchId, readings);
    }
  }

  /** Drains the same readings to a server and returns what it accepted. */
  private static void drain(SimulatedClientSystem server, List<Reading> readings) {
    InMemoryReadingSource source = new InMemoryReadingSource();
    for (Reading r : readings) {
      source.add(r.meterId(), r.timestamp(), r.value(), r.unit());
    }
    SyncManager manager = SyncManager.builder().setSource(source).setGateway(gateway(server))
        .setBatchSize(500)
        .setBackoffPolicy(BackoffPolicy.none())
        .setSleeper(d -> { })
        .build();
    manager.start();
    manager.triggerSync().join();
    manager.close();
    assertEquals(0, source.pendingCount());
  }

  private static List<Reading> readings(int count) {
    List<Reading> out = new ArrayList<>();
    Instant t = Instant.parse("2026-01-05T00:15:00Z");
    for (int i = 0; i < count; i++) {
      int meter = i % 37;
      out.add(Reading.of(i + 1, "1ESY11" + (20_000_000 + meter), t.plusSeconds(900L * (i / 37)),
          BigDecimal.valueOf(10_000_000L + 997L * i + meter * 7_919L, 3),
          meter % 5 == 0 ? "m3" : "kWh"));
    }
    return out;
  }

  @Test
  void aServerThatOptsInCountsTheSameReadingsAndBatchesAsOneThatTakesJson() throws Exception {
    List<Reading> readings = readings(3_000);
    try (SimulatedClientSystem json = SimulatedClientSystem.start(KEY);
        SimulatedClientSystem compact = SimulatedClientSystem.start(KEY)) {
      compact.setCompactUploads(true);

      drain(json, readings);
      drain(compact, readings);

      assertEquals(readings.size(), json.acceptedCount());
      assertEquals(json.accepted(), compact.accepted());
      assertEquals(json.rejected(), compact.rejected());
      assertEquals(json.uploadRequests(), compact.uploadRequests());
      assertEquals(0, json.compactBatches());
      assertEquals(compact.uploadRequests(), compact.compactBatches());
      assertTrue(compact.bytesReceived() * 3 < json.bytesReceived(),
          compact.bytesReceived() + " bytes against JSON's " + json.bytesReceived());
    }
  }

  @Test
  void aServerThatStopsTakingTheEncodingItAnnouncedGetsTheSameBatchesAsJsonCountedOnce()
      throws Exception {
    try (SimulatedClientSystem server = SimulatedClientSystem.start(KEY)) {
      server.setCompactUploads(true);
      HttpClientSystemGateway gateway = gateway(server);
      InMemoryReadingSource source = new InMemoryReadingSource();
      UploadBatch first = UploadBatch.of(source.addSample(40));
      UploadBatch second = UploadBatch.of(source.addSample(40));

      assertEquals(40, gateway.uploadBatch(first).acceptedCount());
      assertEquals(1, server.compactBatches());
      // The token this gateway holds still announces the encoding: the next upload meets a 415.
      server.setCompactUploads(false);
      assertEquals(40, gateway.uploadBatch(second).acceptedCount());
      // A replay of the first batch, now as JSON, is the same batch: answered, not counted again.
      assertEquals(40, gateway.uploadBatch(first).acceptedCount());

      assertEquals(4, server.uploadRequests(), "compact, compact (415), JSON, JSON replay");
      assertEquals(80, server.acceptedCount());
      assertEquals(Set.of(), server.acceptedUnderSeveralBatches());
      assertEquals(0, server.conflicts());
    }
  }
}

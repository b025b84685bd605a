package com.meterit.sync.examples.tools.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.api.BackoffPolicy;
import com.meterit.sync.api.GatewayTimeoutException;
import com.meterit.sync.api.Reading;
import com.meterit.sync.api.TransientGatewayException;
import com.meterit.sync.api.UploadBatch;
import com.meterit.sync.core.SyncManager;
import com.meterit.sync.core.http.HttpClientSystemGateway;
import com.meterit.sync.core.testing.InMemoryReadingSource;
import com.meterit.sync.examples.tools.simulator.Fault;
import com.meterit.sync.examples.tools.simulator.SimulatedClientSystem;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The simulator's faults, as the real HTTP gateway and engine meet them. */
class SimulatedClientSystemTest {
  private static final String KEY = "simulator-key";

  private static HttpClientSystemGateway gateway(SimulatedClientSystem server) {
    return HttpClientSystemGateway.builder(server.url(), KEY, "gw-sim")
        .setRequestTimeout(Duration.ofSeconds(1))
        .build();
  }

  @Test
  void overloadAnswers503WithRetryAfterAndDownDropsTheConnection() throws Exception {
    try (SimulatedClientSystem server = SimulatedClientSystem.start(KEY)) {
      HttpClientSystemGateway gateway = gateway(server);
      UploadBatch batch = UploadBatch.of(new InMemoryReadingSource().addSample(3));

      server.setFault(Fault.UNAVAILABLE);
      TransientGatewayException busy =
          assertThrows(TransientGatewayException.class, () -> gateway.uploadBatch(batch));
      assertEquals(503, busy.statusCode().getAsInt());
      assertEquals(Duration.ofSeconds(1), busy.retryAfter().orElseThrow());

      server.setFault(Fault.SLOW);
      assertThrows(TransientGatewayException.class, () -> gateway.uploadBatch(batch));

      server.setFault(Fault.DOWN);
      assertFalse(gateway.testConnection());
      assertThrows(TransientGatewayException.class, () -> gateway.uploadBatch(batch));

      server.setFault(Fault.NONE);
      assertTrue(gateway.testConnection());
      assertEquals(3, gateway.uploadBatch(batch).acceptedCount());
    }
  }

  @Test
  void lostAnswersAreRetriedUnderTheSameKeyAndCountedOnce() throws Exception {
    try (SimulatedClientSystem server = SimulatedClientSystem.start(KEY)) {
      server.setFault(Fault.RESET);
      InMemoryReadingSource source = new InMemoryReadingSource();
      List<Reading> written = source.addSample(5_000);
      SyncManager manager = SyncManager.builder().setSource(source).setGateway(gateway(server))
          .setBatchSize(250)
          .setBackoffPolicy(BackoffPolicy.none())
          .setMaxRetries(5)
          .setSleeper(d -> { })
          .build();
      manager.start();
      manager.triggerSync().join();
      manager.close();

      assertEquals(0, source.pendingCount());
      assertEquals(written.size(), server.acceptedCount());
      assertTrue(server.uploadRequests() > 20, "a third of the answers were lost");
      assertTrue(server.acceptedUnderSeveralBatches().isEmpty());
      assertEquals(0, server.conflicts());
    }
  }

  /** Deadlines shorter than the server's work on an upload, and a token already fetched. */
  private static HttpClientSystemGateway slowServersGateway(SimulatedClientSystem server) {
    HttpClientSystemGateway gateway = HttpClientSystemGateway.builder(server.url(), KEY, "gw-sim")
        .setRequestTimeout(Duration.ofSeconds(1)).setExchangeTimeout(Duration.ofSeconds(1))
        .build();
    gateway.authenticate();
    return gateway;
  }

  @Test
  void aRequestWhoseKeyIsStillBeingProcessedIsAnswered409ThenTheFirstAnswerIsReplayed()
      throws Exception {
    try (SimulatedClientSystem server = SimulatedClientSystem.start(KEY)) {
      server.setProcessingTime(Duration.ofSeconds(3));
      HttpClientSystemGateway gateway = slowServersGateway(server);
      UploadBatch batch = UploadBatch.of(new InMemoryReadingSource().addSample(3));

      assertThrows(GatewayTimeoutException.class, () -> gateway.uploadBatch(batch));
      TransientGatewayException busy =
          assertThrows(TransientGatewayException.class, () -> gateway.uploadBatch(batch));
      assertEquals(409, busy.statusCode().orElse(-1), busy.getMessage());
      assertEquals(Duration.ofSeconds(1), busy.retryAfter().orElseThrow());
      assertEquals(1, server.inProgressAnswers());

      assertTrue(server.awaitAccepted(3, Duration.ofSeconds(20)));
      // Recorded: a replay is answered at once, from the first outcome.
      assertEquals(3, gateway.uploadBatch(batch).acceptedCount());
      assertEquals(3, server.acceptedCount());
      assertEquals(Set.of(), server.acceptedUnderSeveralBatches());
      assertEquals(0, server.conflicts());
    }
  }

  @Test
  void aManagerWhoseRetriesOvertakeASlowServerSendsEachReadingUnderOneKey() throws Exception {
    try (SimulatedClientSystem server = SimulatedClientSystem.start(KEY)) {
      server.setProcessingTime(Duration.ofSeconds(2));
      InMemoryReadingSource source = new InMemoryReadingSource();
      source.addSample(8);
      HttpClientSystemGateway gateway = slowServersGateway(server);
      SyncManager manager = SyncManager.builder().setSource(source).setGateway(gateway)
          .setBackoffPolicy(BackoffPolicy.none())
          .setSleeper(d -> { })
          .build();
      manager.start();
      manager.triggerSync().join();
      assertTrue(server.inProgressAnswers() >= 1, "a retry met the first attempt in processing");

      assertTrue(server.awaitAccepted(8, Duration.ofSeconds(20)));
      manager.triggerSync().join();
      manager.close();

      assertEquals(0, source.pendingCount());
      assertEquals(8, server.acceptedCount());
      assertEquals(Set.of(), server.acceptedUnderSeveralBatches());
      assertEquals(0, server.conflicts());
    }
  }
}

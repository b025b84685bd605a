package com.meterit.sync.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.meterit.sync.core.SyncManager;
import com.meterit.sync.core.testing.FakeClientSystemGateway;
import com.meterit.sync.core.testing.ManualClock;
import com.meterit.sync.core.testing.ManualScheduler;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Adversarial review findings with the engine on a real Sync Database (H2). */
class ReviewFindingsH2Test {
  final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T00:00:00Z"));
  Database db;

  @BeforeEach
  void setUp() throws Exception {
    db = new H2Database();
    JdbcReadingSource.builder(db.dataSource).setTable(db.names()).build().createSchema();
  }

  @AfterEach
  void tearDown() throws Exception {
    db.dropTables();
  }

  JdbcReadingSource source() {
    return JdbcReadingSource.builder(db.dataSource).setTable(db.names()).setClock(clock)
        .setWorkerId("worker-1").build();
  }

  SyncManager manager(JdbcReadingSource source, FakeClientSystemGateway server, int batchSize) {
    return SyncManager.builder().setSource(source).setGateway(server).setClock(clock)
        .setScheduler(new ManualScheduler(clock)).setExecutor(Runnable::run)
        .setBackgroundExecutor(Runnable::run).setBatchSize(batchSize).setMaxRetries(0)
        .setSleeper(d -> { }).build();
  }

  /**
   * Finding 3: one batch whose every reading the server refuses (a meter that wrote garbage for a
   * while) costs more refusals in a row than the budget, so each run ends "refused everything"
   * before any acceptance. Its journaled parts come first in every later run (lowest first id
   * first), so the run never reaches a good batch, never finds the evidence it waits for, and the
   * whole queue behind them is stuck for good.
   */
  @Test
  void aWholeBatchOfRefusedReadingsDoesNotStopTheQueueBehindIt() throws Exception {
    db.insertReadings(48);
    FakeClientSystemGateway server = new FakeClientSystemGateway()
        .rejectBatchesContaining(r -> r.id() <= 16);
    JdbcReadingSource source = source();
    SyncManager manager = manager(source, server, 16);
    manager.start();
    for (int run = 0; run < 20; run++) {
      manager.triggerSync().join();
    }

    assertEquals(32, server.accepted().size(), "the 32 good readings behind the bad batch");
    manager.stop().join();
  }
}

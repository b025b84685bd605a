package com.meterit.sync.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.meterit.sync.core.SyncManager;
import com.meterit.sync.core.testing.FakeClientSystemGateway;
import com.meterit.sync.core.testing.Harness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A batch the server refuses whole, at the head of a real Sync Database (H2), blocks nothing. */
@Timeout(60)
class RefusedBatchAheadOfTheQueueH2Test {
  private final Harness h = new Harness();
  private Database db;

  @BeforeEach
  void setUp() throws Exception {
    db = new H2Database();
    JdbcReadingSource.builder(db.dataSource).setTable(db.names()).build().createSchema();
  }

  @AfterEach
  void tearDown() throws Exception {
    db.dropTables();
  }

  /**
   * One batch whose every reading the server refuses (a meter that wrote garbage for a while)
   * costs more refusals in a row than the budget, so a run may end "refused everything" before
   * any acceptance. Its journaled parts come first in every later run (lowest first id first);
   * were they all a run ever reached, it would never find the evidence it waits for, and the
   * whole queue behind them would be stuck for good.
   */
  @Test
  void aWholeBatchOfRefusedReadingsDoesNotStopTheQueueBehindIt() throws Exception {
    db.insertReadings(48);
    FakeClientSystemGateway server = new FakeClientSystemGateway()
        .rejectBatchesContaining(r -> r.id() <= 16);
    JdbcReadingSource source = JdbcReadingSource.builder(db.dataSource).setTable(db.names())
        .setClock(h.clock()).setTicker(h.clock()::nanos).setWorkerId("worker-1").build();
    SyncManager manager = h.builder().setSource(source).setGateway(server).setBatchSize(16)
        .setMaxRetries(0).build();
    manager.start();
    for (int run = 0; run < 20; run++) {
      manager.triggerSync().join();
    }

    assertEquals(32, server.accepted().size(), "the 32 good readings behind the bad batch");
    manager.stop().join();
  }

}

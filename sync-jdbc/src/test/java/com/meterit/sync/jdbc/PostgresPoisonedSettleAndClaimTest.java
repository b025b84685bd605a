package com.meterit.sync.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.meterit.sync.api.Claim;
import com.meterit.sync.core.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** TableLeases' one-transaction settleAndClaim on PostgreSQL, with poisoned rows in the next batch. */
class PostgresPoisonedSettleAndClaimTest {
  private final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T00:00:00Z"));
  private Database db;

  @BeforeEach
  void setUp() {
    assumeTrue(System.getenv(PostgresDatabase.URL_VARIABLE) != null,
        "set " + PostgresDatabase.URL_VARIABLE + " to run against PostgreSQL");
    db = PostgresDatabase.create();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (db != null) {
      db.dropTables();
    }
  }

  /**
   * The one-transaction path returns its formed claim as is unless it is short counting the
   * poisoned rows too ({@code next.size() + bad.size() < max}). When the next {@code max} rows
   * are all unreadable, it quarantines them and returns an EMPTY claim although readable rows
   * follow: the engine reads "drained" and ends the run with readings pending. claim() (and the
   * two-transaction branches) claim on after a batch of only poisoned rows.
   */
  @Test
  void aFullBatchOfPoisonedRowsDoesNotEndTheDrain() throws Exception {
    JdbcReadingSource source = JdbcReadingSource.builder(db.dataSource).setTable(db.names())
        .setClock(clock)
        .setTicker(clock::nanos).setLease(Duration.ofMinutes(5)).setWorkerId("worker-a").build();
    source.createSchema();
    db.insertReadings(12);
    db.execute("UPDATE " + db.table + " SET value = 'NaN' WHERE id BETWEEN 5 AND 8");

    Claim first = source.claim(4);
    assertEquals(4, first.size());
    // The look for lapsed batches is not due yet: one transaction settles and claims.
    Claim next = source.settleAndClaim(first, List.of(), 4);

    assertEquals(4, source.quarantinedCount(), "rows 5 to 8 were quarantined");
    assertEquals(4, source.pendingCount(), "rows 9 to 12 are pending");
    assertFalse(next.isEmpty(),
        "settleAndClaim said the queue is drained while rows 9 to 12 are pending");
  }
}

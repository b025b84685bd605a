package com.meterit.sync.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import static org.junit.jupiter.api.Assertions.assertThrows;

import com.meterit.sync.api.Claim;
import com.meterit.sync.api.LeaseLostException;
import com.meterit.sync.api.Reading;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The contract on the real PostgreSQL server named by METER_SYNC_TEST_POSTGRES_URL. Without that
 * variable every test here is reported skipped; with it, a server that cannot be reached fails.
 */
class PostgresReadingSourceTest extends JdbcBehaviourTest {
  /** Assumed per test, not per class, so that each test is reported as skipped. */
  @Override
  Database createDatabase() {
    assumeTrue(System.getenv(PostgresDatabase.URL_VARIABLE) != null,
        "set " + PostgresDatabase.URL_VARIABLE + " to run against PostgreSQL");
    return PostgresDatabase.create();
  }

  @Test
  void fourWorkersDrainOneTableAndSettleEachReadingExactlyOnce() throws Exception {
    source();
    db.insertReadings(100_000);
    ConcurrentHashMap<Long, AtomicInteger> claims = new ConcurrentHashMap<>();
    Set<String> batchIds = ConcurrentHashMap.newKeySet();
    ExecutorService workers = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> done = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        // Each worker is its own source with its own connections, as separate processes would be.
        JdbcReadingSource worker = builder().setWorkerId("worker-" + w).build();
        boolean releasesSome = w == 3;
        done.add(workers.submit((Callable<Integer>) () -> {
          int settled = 0;
          while (true) {
            Claim claim = worker.claim(500);
            if (claim.isEmpty()) {
              return settled;
            }
            if (releasesSome && claim.readings().get(0).id() % 3 == 0 && !claim.resumed()) {
              worker.release(claim);
              continue;
            }
            assertTrue(batchIds.add(claim.batch().batchId()), "a batch settled twice");
            for (Reading r : claim.readings()) {
              claims.computeIfAbsent(r.id(), id -> new AtomicInteger()).incrementAndGet();
            }
            worker.settle(claim, List.of());
            settled += claim.size();
          }
        }));
      }
      int total = 0;
      for (Future<Integer> f : done) {
        total += f.get(5, TimeUnit.MINUTES);
      }
      assertEquals(100_000, total);
    } finally {
      workers.shutdownNow();
    }
    assertEquals(100_000, claims.size());
    assertTrue(claims.values().stream().allMatch(n -> n.get() == 1), "a reading was sent twice");
    assertEquals(100_000, db.count(db.table, "sync_status = 2"));
    assertEquals(0, journaled());
  }

  @Test
  void thePendingCountStaysExactWhileAnotherWorkerClaimsAndGivesBack() throws Exception {
    JdbcReadingSource counting = source();
    db.insertReadings(50_000);
    JdbcReadingSource worker = builder().setWorkerId("worker-busy").build();
    AtomicBoolean done = new AtomicBoolean();
    // Rows move between pending and claimed all the time; none is synced, so the count is fixed.
    Future<?> busy = Executors.newSingleThreadExecutor().submit(() -> {
      while (!done.get()) {
        worker.release(worker.claim(500));
      }
      return null;
    });
    try {
      Set<Long> counts = new TreeSet<>();
      for (int i = 0; i < 300; i++) {
        counts.add(counting.pendingCount());
      }
      assertEquals(Set.of(50_000L), counts, "one snapshot counts pending and claimed rows alike");
    } finally {
      done.set(true);
      busy.get(1, TimeUnit.MINUTES);
    }
  }

  @Test
  void anotherWorkerRespectsALeaseThenTakesTheSameBatchOverWhenItLapses() throws Exception {
    JdbcReadingSource crashed = builder().setWorkerId("gateway-a").build();
    crashed.createSchema();
    db.insertReadings(3);
    Claim lost = crashed.claim(10);

    JdbcReadingSource other = builder().setWorkerId("gateway-b").build();
    assertTrue(other.claim(10).isEmpty(), "another worker respects the lease");
    assertEquals(0, other.recoverClaims(), "and does not take batches that are not its own");
    advance(LEASE.plusSeconds(1));
    Claim takenOver = other.claim(10);
    assertEquals(lost.batch().batchId(), takenOver.batch().batchId());
    assertThrows(LeaseLostException.class, () -> crashed.settle(lost, List.of()));
    other.settle(takenOver, List.of());
    assertEquals(3, db.count(db.table, "sync_status = 2"));
  }

  @Test
  void recoverClaimsGivesBackOnlyItsOwnWorkersBatches() throws Exception {
    source();
    db.insertReadings(12);
    JdbcReadingSource a = builder().setWorkerId("worker-a").build();
    JdbcReadingSource b = builder().setWorkerId("worker-b").build();
    Claim ofA = a.claim(4);
    Claim ofB = b.claim(4);

    JdbcReadingSource restartedA = builder().setWorkerId("worker-a").build();
    assertEquals(1, restartedA.recoverClaims());
    assertEquals(ofA.batch().batchId(), restartedA.claim(10).batch().batchId());
    assertEquals(List.of(9L, 10L, 11L, 12L), ids(restartedA.claim(10)), "B's batch stays B's");
    b.settle(ofB, List.of());
  }

  @Test
  void rowsLockedByAnUncommittedClaimAreSkippedThenDeliveredWhenItDies() throws Exception {
    JdbcReadingSource source = source();
    db.insertReadings(10);
    Connection crashed = db.dataSource.getConnection();
    crashed.setAutoCommit(false);
    try (Statement s = crashed.createStatement()) {
      s.executeQuery("SELECT id FROM " + db.table + " ORDER BY id LIMIT 4 FOR UPDATE").close();
      assertEquals(List.of(5L, 6L), ids(source.claim(2)), "locked rows are skipped, not waited on");
    } finally {
      crashed.rollback();
      crashed.close();
    }
    // This worker reads on from where it was; once the queue looks drained it looks from the
    // start again and finds the rows the dead claim held.
    List<Long> delivered = new ArrayList<>();
    for (Claim claim = source.claim(4); !claim.isEmpty(); claim = source.claim(4)) {
      delivered.addAll(ids(claim));
    }
    assertEquals(List.of(7L, 8L, 9L, 10L, 1L, 2L, 3L, 4L), delivered);
  }

  @Test
  void aNanOrInfiniteValueIsQuarantinedAloneAmongTenThousand() throws Exception {
    JdbcReadingSource source = source();
    db.insertReadings(10_000);
    db.execute("UPDATE " + db.table + " SET value = 'NaN' WHERE id = 5000");
    db.execute("UPDATE " + db.table + " SET value = 'Infinity' WHERE id = 7000");
    db.execute("UPDATE " + db.table + " SET read_at = 'infinity' WHERE id = 8000");

    Claim claim = source.claim(10_000);
    assertEquals(9_997, claim.size());
    source.settle(claim, List.of());
    List<String> reasons = new ArrayList<>();
    source.listQuarantined(10).forEach(q -> reasons.add(q.id() + ": " + q.reason()));
    assertEquals(List.of(
        "5000: invalid reading in the Sync Database: value is not a decimal number: 'NaN'",
        "7000: invalid reading in the Sync Database: value is not a decimal number: 'Infinity'"),
        reasons.subList(0, 2));
    assertTrue(reasons.get(2).startsWith(
        "8000: invalid reading in the Sync Database: read_at is out of range: +1000000000-"),
        reasons.get(2));
    assertEquals(9_997, db.count(db.table, "sync_status = 2"));
  }

  @Test
  void aFloatValueColumnIsReadAsTextAndItsNanQuarantined() throws Exception {
    db.execute("CREATE TABLE float_" + db.table + " (id BIGINT PRIMARY KEY, meter_id TEXT, "
        + "read_at TIMESTAMPTZ, value FLOAT8, unit TEXT, quality TEXT)");
    try {
      db.execute("INSERT INTO float_" + db.table + " VALUES (1, 'm', now(), 1.5, 'kWh', NULL), "
          + "(2, 'm', now(), 'NaN', 'kWh', NULL), (3, 'm', now(), '-Infinity', 'kWh', NULL)");
      JdbcReadingSource source = JdbcReadingSource.builder(db.dataSource).setClock(clock)
          .setTicker(clock::nanos)
          .setTable(ReadingsTable.builder().setTable("float_" + db.table)
              .setHistoryTable(db.historyTable).build()).build();
      source.createSchema();
      Claim claim = source.claim(10);
      assertEquals(List.of(1L), ids(claim));
      assertEquals("1.5", claim.readings().get(0).value().toPlainString());
      assertEquals(2, source.listQuarantined(10).size());
    } finally {
      db.execute("DROP TABLE IF EXISTS float_" + db.table + "_batches");
      db.execute("DROP TABLE float_" + db.table);
    }
  }
}

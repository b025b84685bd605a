package com.meterit.sync.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.meterit.sync.api.Claim;
import com.meterit.sync.api.Reading;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The contract on the real PostgreSQL server named by METER_SYNC_TEST_POSTGRES_URL. Without that
 * variable every test here is reported skipped; with it, a server that cannot be reached fails.
 */
class PostgresReadingSourceTest extends ReadingSourceContractTest {
  /** Assumed per test, not per class, so that each test is reported as skipped. */
  @Override
  Database createDatabase() {
    assumeTrue(System.getenv(PostgresDatabase.URL_VARIABLE) != null,
        PostgresDatabase.URL_VARIABLE + " is not set; PostgreSQL tests are skipped");
    return PostgresDatabase.create();
  }

  @Test
  void fourWorkersDrainOneTableAndAcknowledgeEachReadingExactlyOnce() throws Exception {
    source();
    db.insertReadings(100_000);
    ConcurrentHashMap<Long, AtomicInteger> claims = new ConcurrentHashMap<>();
    ExecutorService workers = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> done = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        // Each worker is its own source with its own connections, as separate processes would be.
        JdbcReadingSource worker = builder().setOwner("worker-" + w).build();
        done.add(workers.submit((Callable<Integer>) () -> {
          int acknowledged = 0;
          while (true) {
            Claim claim = worker.claim(500);
            if (claim.isEmpty()) {
              return acknowledged;
            }
            List<Long> ids = new ArrayList<>();
            for (Reading r : claim.readings()) {
              claims.computeIfAbsent(r.id(), id -> new AtomicInteger()).incrementAndGet();
              ids.add(r.id());
            }
            worker.acknowledge(ids);
            acknowledged += ids.size();
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
    assertTrue(claims.values().stream().allMatch(n -> n.get() == 1), "a reading was claimed twice");
    try (Connection c = db.dataSource.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + db.table + " WHERE sync_status = 2")) {
      rs.next();
      assertEquals(100_000, rs.getLong(1));
    }
  }

  @Test
  void aLeaseHoldsAgainstOtherWorkersUntilItExpires() throws Exception {
    JdbcReadingSource crashed = builder().setOwner("gateway-a")
        .setLease(java.time.Duration.ofMinutes(2)).build();
    crashed.createSchema();
    db.insertReadings(3);
    assertEquals(3, crashed.claim(10).size());

    JdbcReadingSource other = builder().setOwner("gateway-b").build();
    assertTrue(other.claim(10).isEmpty(), "another worker respects the lease");
    assertEquals(0, other.recoverClaims(), "and does not take claims that are not its own");
    clock.advance(java.time.Duration.ofMinutes(2).plusSeconds(1));
    assertEquals(List.of(1L, 2L, 3L), ids(other.claim(10)));
  }

  @Test
  void aRestartingOwnerReleasesItsLeasesBeforeTheyExpire() throws Exception {
    source();
    db.insertReadings(4);
    assertEquals(4, source().claim(10).size());
    assertEquals(4, source().recoverClaims());
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
}

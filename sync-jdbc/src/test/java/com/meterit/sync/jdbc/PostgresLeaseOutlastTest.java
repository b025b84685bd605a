package com.meterit.sync.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.meterit.sync.api.Claim;
import com.meterit.sync.api.ReadingSource;
import com.meterit.sync.api.UploadBatch;
import com.meterit.sync.core.SyncManager;
import com.meterit.sync.core.testing.FakeClientSystemGateway;
import com.meterit.sync.core.testing.ForwardingReadingSource;
import com.meterit.sync.core.testing.ManualClock;
import com.meterit.sync.core.testing.ManualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two workers on one PostgreSQL table, the first of whose uploads outlasts its lease: the leases
 * of its batch in flight and of the one it claimed ahead are renewed, so the second worker never
 * takes them over, and every reading is delivered and counted in exactly one batch.
 */
class PostgresLeaseOutlastTest {
  private static final int READINGS = 6_000;

  private final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T00:00:00Z"));
  private final FakeClientSystemGateway server = new FakeClientSystemGateway();
  private Database db;

  @BeforeEach
  void setUp() throws Exception {
    assumeTrue(System.getenv(PostgresDatabase.URL_VARIABLE) != null,
        "set " + PostgresDatabase.URL_VARIABLE + " to run against PostgreSQL");
    db = PostgresDatabase.create();
    source("setup").createSchema();
    db.insertReadings(READINGS);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (db != null) {
      db.dropTables();
    }
  }

  private JdbcReadingSource source(String workerId) {
    return JdbcReadingSource.builder(db.dataSource).setTable(db.names()).setClock(clock)
        .setTicker(clock::nanos)
        .setWorkerId(workerId).build();
  }

  private SyncManager manager(ReadingSource source, ManualScheduler scheduler) {
    return SyncManager.builder().setSource(source).setGateway(server).setClock(clock).setScheduler(scheduler)
        .setExecutor(Runnable::run).setBackgroundExecutor(Runnable::run).setBatchSize(500)
        .build();
  }

  @Test
  void anUploadThatOutlastsItsLeaseKeepsItsBatchesFromTheOtherWorker() throws Exception {
    CountDownLatch claimedAhead = new CountDownLatch(2);
    ReadingSource a = new Counting(source("worker-a"), claimedAhead);
    ManualScheduler schedulerA = new ManualScheduler(clock);
    SyncManager managerA = manager(a, schedulerA);
    SyncManager managerB = manager(source("worker-b"), new ManualScheduler(clock));
    AtomicBoolean first = new AtomicBoolean(true);
    server.beforeUpload(batch -> {
      if (!first.getAndSet(false)) {
        return;
      }
      try {
        // Worker A's first upload takes ten minutes, twice its lease; its renewals run meanwhile.
        assertTrue(claimedAhead.await(30, TimeUnit.SECONDS), "the batch ahead was claimed");
        for (int minute = 0; minute < 10; minute++) {
          db.ageLeases(Duration.ofMinutes(1));
          clock.advance(Duration.ofMinutes(1));
          schedulerA.advance(Duration.ZERO);
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      // Meanwhile worker B drains what it may.
      managerB.start();
    });
    managerA.start();

    Map<Long, ?> twice = server.readingsInTwoBatches();
    assertTrue(twice.isEmpty(), twice.size() + " readings in two batches");
    List<String> ids = server.uploads().stream().map(UploadBatch::batchId)
        .collect(Collectors.toList());
    assertEquals(ids.size(), ids.stream().distinct().count(), "no batch was sent twice");
    assertEquals(READINGS, server.accepted().size());
    assertEquals(READINGS, managerA.getSyncStats(1).readingsSynced()
        + managerB.getSyncStats(1).readingsSynced(), "each reading counted once");
    assertTrue(managerA.getSyncStats(1).readingsSynced() >= 1_000, "A kept both its batches");
    assertEquals(0, source("check").pendingCount());
    managerA.stop().join();
    managerB.stop().join();
  }

  /** Counts claims, so the test knows the batch ahead is held before time moves. */
  private static final class Counting extends ForwardingReadingSource {
    private final CountDownLatch claims;

    Counting(ReadingSource delegate, CountDownLatch claims) {
      super(delegate);
      this.claims = claims;
    }

    @Override
    public Claim claim(int maxReadings) {
      Claim claim = super.claim(maxReadings);
      claims.countDown();
      return claim;
    }
  }
}

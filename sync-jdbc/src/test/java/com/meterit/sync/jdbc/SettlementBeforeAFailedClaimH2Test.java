package com.meterit.sync.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.api.Claim;
import com.meterit.sync.api.ReadingSource;
import com.meterit.sync.api.Rejection;
import com.meterit.sync.api.SyncListener;
import com.meterit.sync.api.UploadBatch;
import com.meterit.sync.api.UploadResult;
import com.meterit.sync.core.SyncManager;
import com.meterit.sync.core.testing.FakeClientSystemGateway;
import com.meterit.sync.core.testing.ForwardingReadingSource;
import com.meterit.sync.core.testing.Harness;
import com.meterit.sync.core.testing.ManualClock;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The claim that rides a settlement, with the engine on a real Sync Database (H2): on H2 (and
 * SQLite) {@code
 * JdbcReadingSource.settleAndClaim} settles in one transaction and claims in another. When the
 * claim's transaction fails, the settlement has committed, and the engine must count and announce
 * the batch as settled ({@code NextClaimFailedException}).
 */
@Timeout(60)
class SettlementBeforeAFailedClaimH2Test {
  static final int BATCH = 100;
  static final int READINGS = 4 * BATCH;

  final Harness h = new Harness();
  final ManualClock clock = h.clock();
  final ExecutorService lanes = Executors.newFixedThreadPool(3);
  Database db;

  @BeforeEach
  void setUp() throws Exception {
    db = new H2Database();
    JdbcReadingSource.builder(db.dataSource).setTable(db.names()).build().createSchema();
  }

  @AfterEach
  void tearDown() throws Exception {
    lanes.shutdownNow();
    db.dropTables();
  }

  @Test
  void aSettlementThatCommittedIsCountedWhenTheClaimAfterItFails() throws Exception {
    db.insertReadings(READINGS);
    FailingAfter failing = new FailingAfter(db.dataSource);
    JdbcReadingSource jdbc = JdbcReadingSource.builder(failing).setTable(db.names())
        .setClock(clock).setTicker(clock::nanos).setWorkerId("worker-1").build();
    AtomicBoolean armed = new AtomicBoolean();
    ReadingSource source = new ForwardingReadingSource(jdbc) {
      @Override
      public Claim settleAndClaim(Claim claim, List<Rejection> rejected, int maxReadings) {
        if (armed.compareAndSet(false, true)) {
          // The settlement's transaction goes through; the claim's, right after, fails.
          failing.passThenFail(1);
        }
        try {
          return jdbc.settleAndClaim(claim, rejected, maxReadings);
        } finally {
          failing.disarm();
        }
      }
    };
    FakeClientSystemGateway server = new FakeClientSystemGateway();
    // The first upload waits for the second: the run asks for the third batch with the window
    // full, so the first settlement carries the next claim.
    CountDownLatch secondStarted = new CountDownLatch(1);
    AtomicInteger uploads = new AtomicInteger();
    server.beforeUpload(batch -> {
      int n = uploads.incrementAndGet();
      if (n == 1) {
        try {
          assertTrue(secondStarted.await(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      } else if (n == 2) {
        secondStarted.countDown();
      }
    });
    AtomicLong announced = new AtomicLong();
    SyncManager manager = h.builder().setSource(source).setGateway(server)
        .setUploadExecutor(lanes).setMaxInFlight(2)
        .setBatchSize(BATCH).setMaxRetries(0).setSleeper(d -> { })
        .addListener(new SyncListener() {
          @Override
          public void onBatchUploaded(UploadBatch batch, UploadResult result) {
            announced.addAndGet(result.acceptedCount());
          }
        })
        .build();
    manager.start();

    assertTrue(failing.failed.get(), "the claim riding the first settlement failed");
    long synced = READINGS - jdbc.pendingCount();
    assertEquals(synced, manager.getSyncStats(1).readingsSynced(),
        "every reading settled as synced is counted");
    assertEquals(synced, announced.get(), "every settled batch is announced");
    manager.stop().join();
  }

  /** Lets the next n connections of the arming thread through, then fails one. */
  static final class FailingAfter extends WrappingDataSource {
    private final ThreadLocal<Integer> passesLeft = new ThreadLocal<>();
    final AtomicBoolean failed = new AtomicBoolean();

    FailingAfter(DataSource real) {
      super(real);
    }

    void passThenFail(int passes) {
      passesLeft.set(passes);
    }

    void disarm() {
      passesLeft.remove();
    }

    @Override
    public Connection getConnection() throws SQLException {
      Integer left = passesLeft.get();
      if (left != null) {
        if (left == 0) {
          passesLeft.remove();
          failed.set(true);
          throw new SQLException("database is locked");
        }
        passesLeft.set(left - 1);
      }
      return real.getConnection();
    }
  }
}

package com.meterit.sync.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.api.Claim;
import com.meterit.sync.api.ClientSystemGateway;
import com.meterit.sync.api.Reading;
import com.meterit.sync.api.ReadingSource;
import com.meterit.sync.api.Rejection;
import com.meterit.sync.api.UploadBatch;
import com.meterit.sync.api.UploadResult;
import com.meterit.sync.core.SyncManager;
import com.meterit.sync.core.testing.FakeClientSystemGateway;
import com.meterit.sync.core.testing.ManualClock;
import com.meterit.sync.core.testing.ManualScheduler;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A process dies at each step of a batch, without settling it, and a new process takes over the
 * same queue. Against a server that deduplicates only by {@code Idempotency-Key}, every reading
 * must be counted exactly once: a batch that may have reached the server goes out again only as
 * itself. Each database runs it through a subclass.
 */
abstract class CrashAtEveryStepTest {
  static final int READINGS = 2_400;
  static final int BATCH = 300;
  static final int CRASHES = 3;

  final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T00:00:00Z"));

  /** Where a process dies. */
  enum Step {
    /** The batch was claimed (and journaled), nothing was sent. */
    CLAIMED,
    /** The server recorded the batch; its answer never came back. */
    SENT_ANSWER_LOST,
    /** The answer came back; the process died before settling it. */
    ANSWERED_NOT_SETTLED
  }

  /** Queues {@code count} readings. */
  abstract void addReadings(int count) throws Exception;

  /** A new process on the same queue: a fresh source, with the same worker identity. */
  abstract ReadingSource startProcess();

  /** The readings still pending in the queue. */
  abstract long pending(ReadingSource source);

  /** Run by the database subclasses: a new {@link JdbcReadingSource} is a new process. */
  abstract static class OnDatabase extends CrashAtEveryStepTest {
    Database db;

    abstract Database createDatabase() throws Exception;

    @BeforeEach
    void setUp() throws Exception {
      db = createDatabase();
      JdbcReadingSource.builder(db.dataSource).setTable(db.names()).build().createSchema();
    }

    @AfterEach
    void tearDown() throws Exception {
      if (db != null) {
        db.dropTables();
      }
    }

    @Override
    void addReadings(int count) throws Exception {
      db.insertReadings(count);
    }

    @Override
    ReadingSource startProcess() {
      return JdbcReadingSource.builder(db.dataSource).setTable(db.names()).setClock(clock)
          .setWorkerId("worker-1").build();
    }

    @Override
    long pending(ReadingSource source) {
      return source.pendingCount();
    }
  }

  @ParameterizedTest
  @EnumSource(Step.class)
  void aCrashAtThisStepNeverSendsAReadingInTwoBatches(Step step) throws Exception {
    addReadings(READINGS);
    FakeClientSystemGateway server = new FakeClientSystemGateway();
    for (int crash = 0; crash < CRASHES; crash++) {
      // Die at a different batch each time, and restart with another batch size, as after a
      // configuration change: a batch re-formed from its readings would differ from the journal.
      runUntilDeath(step, crash + 2, BATCH + 70 * crash, server);
    }
    ReadingSource survivor = startProcess();
    SyncManager manager = manager(survivor, server, new ManualScheduler(clock), BATCH * 2);
    manager.start();

    Map<Long, ?> twice = server.readingsInTwoBatches();
    assertTrue(twice.isEmpty(), twice.size() + " readings reached the server in two batches, "
        + "such as " + twice.entrySet().stream().limit(2).collect(Collectors.toList()));
    assertEquals(READINGS, server.accepted().size());
    assertEquals(0, pending(survivor));
    assertEquals(0, server.conflictingReplays());
    assertTrue(manager.getSyncStats(1).readingsSynced() <= READINGS);
    manager.stop().join();
  }

  private void runUntilDeath(Step step, int atBatch, int batchSize,
      FakeClientSystemGateway server) {
    AtomicBoolean dead = new AtomicBoolean();
    ReadingSource dying = new Dying(startProcess(), dead, step == Step.CLAIMED ? atBatch : 0,
        step == Step.ANSWERED_NOT_SETTLED ? atBatch : 0);
    ClientSystemGateway link = new DyingLink(server, dead,
        step == Step.SENT_ANSWER_LOST ? atBatch : 0);
    // The dead process's timers are never advanced again: it is gone.
    SyncManager manager = manager(dying, link, new ManualScheduler(clock), batchSize);
    manager.start();
    assertTrue(dead.get(), "the process died at " + step);
  }

  private SyncManager manager(ReadingSource source, ClientSystemGateway gateway,
      ManualScheduler scheduler, int batchSize) {
    return SyncManager.builder().setSource(source).setGateway(gateway)
        .setClock(clock)
        .setScheduler(scheduler)
        .setExecutor(Runnable::run)
        .setBackgroundExecutor(Runnable::run)
        .setBatchSize(batchSize)
        .setMaxRetries(0)
        .setSleeper(d -> { })
        .build();
  }

  private static IllegalStateException killed() {
    return new IllegalStateException("the process was killed");
  }

  /** A source whose process dies at the n-th claim or the n-th settlement. */
  private static final class Dying implements ReadingSource {
    private final ReadingSource delegate;
    private final AtomicBoolean dead;
    private final int dieAfterClaim;
    private final int dieAtSettle;
    private final AtomicInteger claims = new AtomicInteger();
    private final AtomicInteger settles = new AtomicInteger();

    Dying(ReadingSource delegate, AtomicBoolean dead, int dieAfterClaim, int dieAtSettle) {
      this.delegate = delegate;
      this.dead = dead;
      this.dieAfterClaim = dieAfterClaim;
      this.dieAtSettle = dieAtSettle;
    }

    private void alive() {
      if (dead.get()) {
        throw killed();
      }
    }

    @Override
    public Claim claim(int maxReadings) {
      alive();
      Claim claim = delegate.claim(maxReadings);
      if (claims.incrementAndGet() == dieAfterClaim) {
        dead.set(true);
      }
      return claim;
    }

    @Override
    public void settle(Claim claim, List<Rejection> rejected) {
      alive();
      if (settles.incrementAndGet() == dieAtSettle) {
        dead.set(true);
        throw killed();
      }
      delegate.settle(claim, rejected);
    }

    @Override
    public void release(Claim claim) {
      alive();
      delegate.release(claim);
    }

    @Override
    public List<Claim> reform(Claim claim, List<List<Reading>> parts) {
      alive();
      return delegate.reform(claim, parts);
    }

    @Override
    public Map<String, Instant> renew(Collection<Claim> claims) {
      alive();
      return delegate.renew(claims);
    }

    @Override
    public long pendingCount() {
      alive();
      return delegate.pendingCount();
    }

    @Override
    public Optional<Instant> oldestPendingTimestamp() {
      alive();
      return delegate.oldestPendingTimestamp();
    }

    @Override
    public int recoverClaims() {
      alive();
      return delegate.recoverClaims();
    }
  }

  /** The link of a process that dies once the server recorded its n-th upload. */
  private static final class DyingLink implements ClientSystemGateway {
    private final ClientSystemGateway server;
    private final AtomicBoolean dead;
    private final int dieAtUpload;
    private final AtomicInteger uploads = new AtomicInteger();

    DyingLink(ClientSystemGateway server, AtomicBoolean dead, int dieAtUpload) {
      this.server = server;
      this.dead = dead;
      this.dieAtUpload = dieAtUpload;
    }

    @Override
    public boolean testConnection() {
      return !dead.get();
    }

    @Override
    public UploadResult uploadBatch(UploadBatch batch) {
      if (dead.get()) {
        throw killed();
      }
      UploadResult answer = server.uploadBatch(batch);
      if (uploads.incrementAndGet() == dieAtUpload) {
        dead.set(true);
        throw killed();
      }
      return answer;
    }
  }
}

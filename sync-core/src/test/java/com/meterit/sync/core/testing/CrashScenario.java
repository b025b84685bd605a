package com.meterit.sync.core.testing;

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
import com.meterit.sync.core.SyncManagerBuilder;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The crash cases of {@link ReadingSourceContractTest}: a process dies at each step of a batch,
 * without settling it, and a new process takes over the same queue. Against a server that
 * deduplicates only by {@code Idempotency-Key}, every reading must be counted exactly once: a
 * batch that may have reached the server goes out again only as itself.
 */
final class CrashScenario {
  static final int READINGS = 2_400;
  static final int BATCH = 300;
  static final int CRASHES = 3;

  /** Where a process dies. */
  enum Step {
    /** The batch was claimed (and journaled), nothing was sent. */
    CLAIMED,
    /** The server recorded the batch; its answer never came back. */
    SENT_ANSWER_LOST,
    /** The answer came back; the process died before settling it. */
    ANSWERED_NOT_SETTLED
  }

  /** Opens the queue as a new process does. */
  interface Processes {
    ReadingSource start() throws Exception;
  }

  private final ManualClock clock;
  private final Processes processes;
  /** Calls that settled a batch and claimed the next, in all processes of a test. */
  private final AtomicInteger settlementsWithClaim = new AtomicInteger();

  CrashScenario(ManualClock clock, Processes processes) {
    this.clock = clock;
    this.processes = processes;
  }

  static Stream<Arguments> steps() {
    return Arrays.stream(Step.values())
        .flatMap(step -> Stream.of(Arguments.of(step, false), Arguments.of(step, true)));
  }

  /**
   * Runs {@link #CRASHES} processes that die at {@code step}, then one that drains the queue,
   * and checks that the server counted each of the {@link #READINGS} queued readings once.
   *
   * @param fullWindow whether every upload is held until the next has started, in a window of
   *     two: then the run always waits for a place, and every claim after the second shares its
   *     call (and a database source's transaction) with a settlement; otherwise the production
   *     defaults, where that happens as the timing falls
   */
  void run(Step step, boolean fullWindow) throws Exception {
    FakeClientSystemGateway server = new FakeClientSystemGateway();
    for (int crash = 0; crash < CRASHES; crash++) {
      // Die at a different batch each time, and restart with another batch size, as after a
      // configuration change: a batch re-formed from its readings would differ from the journal.
      runUntilDeath(step, crash + 2, BATCH + 70 * crash, server, fullWindow);
    }
    Process last = new Process(fullWindow);
    ReadingSource survivor = new Dying(processes.start(), last, 0, 0);
    SyncManager manager = manager(survivor, new DyingLink(server, last, 0),
        new ManualScheduler(clock), BATCH * 2, fullWindow);
    manager.start();
    if (fullWindow) {
      assertTrue(settlementsWithClaim.get() > 0, "claims shared settlements' calls");
    }

    Map<Long, ?> twice = server.readingsInTwoBatches();
    assertTrue(twice.isEmpty(), twice.size() + " readings reached the server in two batches, "
        + "such as " + twice.entrySet().stream().limit(2).collect(Collectors.toList()));
    assertEquals(READINGS, server.accepted().size());
    assertEquals(0, survivor.pendingCount());
    assertEquals(0, server.conflictingReplays());
    assertTrue(manager.getSyncStats(1).readingsSynced() <= READINGS);
    manager.stop().join();
  }

  private void runUntilDeath(Step step, int atBatch, int batchSize,
      FakeClientSystemGateway server, boolean fullWindow) throws Exception {
    Process process = new Process(fullWindow);
    ReadingSource dying = new Dying(processes.start(), process,
        step == Step.CLAIMED ? atBatch : 0, step == Step.ANSWERED_NOT_SETTLED ? atBatch : 0);
    ClientSystemGateway link = new DyingLink(server, process,
        step == Step.SENT_ANSWER_LOST ? atBatch : 0);
    // The dead process's timers are never advanced again: it is gone.
    SyncManager manager =
        manager(dying, link, new ManualScheduler(clock), batchSize, fullWindow);
    manager.start();
    assertTrue(process.dead(), "the process died at " + step);
  }

  private SyncManager manager(ReadingSource source, ClientSystemGateway gateway,
      ManualScheduler scheduler, int batchSize, boolean fullWindow) {
    SyncManagerBuilder builder = SyncManager.builder().setSource(source).setGateway(gateway)
        .setClock(clock)
        .setScheduler(scheduler)
        .setExecutor(Runnable::run)
        .setBackgroundExecutor(Runnable::run)
        .setBatchSize(batchSize)
        .setMaxRetries(0)
        .setSleeper(d -> { });
    if (fullWindow) {
      builder.setMaxInFlight(2);
    }
    return builder.build();
  }

  /** What befalls one process: its death, and the pairing of its uploads. */
  private static final class Process {
    private final boolean pairUploads;
    private boolean dead;
    private boolean drained;
    private int uploadsStarted;

    Process(boolean pairUploads) {
      this.pairUploads = pairUploads;
    }

    synchronized boolean dead() {
      return dead;
    }

    synchronized void die() {
      dead = true;
      notifyAll();
    }

    /** Nothing more to claim: the last upload need not wait for another. */
    synchronized void drained() {
      drained = true;
      notifyAll();
    }

    /** Holds an upload, when pairing, until the next upload has started. */
    synchronized void uploadStarting() {
      int started = ++uploadsStarted;
      notifyAll();
      while (pairUploads && uploadsStarted == started && !dead && !drained) {
        try {
          wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private static IllegalStateException killed() {
    return new IllegalStateException("the process was killed");
  }

  /** A source whose process dies at the n-th claim or the n-th settlement. */
  private final class Dying implements ReadingSource {
    private final ReadingSource delegate;
    private final Process process;
    private final int dieAfterClaim;
    private final int dieAtSettle;
    private final AtomicInteger claims = new AtomicInteger();
    private final AtomicInteger settles = new AtomicInteger();

    Dying(ReadingSource delegate, Process process, int dieAfterClaim, int dieAtSettle) {
      this.delegate = delegate;
      this.process = process;
      this.dieAfterClaim = dieAfterClaim;
      this.dieAtSettle = dieAtSettle;
    }

    private void alive() {
      if (process.dead()) {
        throw killed();
      }
    }

    @Override
    public Claim claim(int maxReadings) {
      alive();
      return claimed(delegate.claim(maxReadings));
    }

    private Claim claimed(Claim claim) {
      if (claims.incrementAndGet() == dieAfterClaim) {
        process.die();
      }
      if (claim.isEmpty()) {
        process.drained();
      }
      return claim;
    }

    @Override
    public void settle(Claim claim, List<Rejection> rejected) {
      alive();
      if (settles.incrementAndGet() == dieAtSettle) {
        process.die();
        throw killed();
      }
      delegate.settle(claim, rejected);
    }

    /** The source's own, one transaction on PostgreSQL: it dies before it or after it. */
    @Override
    public Claim settleAndClaim(Claim claim, List<Rejection> rejected, int maxReadings) {
      alive();
      if (settles.incrementAndGet() == dieAtSettle) {
        process.die();
        throw killed();
      }
      settlementsWithClaim.incrementAndGet();
      return claimed(delegate.settleAndClaim(claim, rejected, maxReadings));
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
    private final Process process;
    private final int dieAtUpload;
    private final AtomicInteger uploads = new AtomicInteger();

    DyingLink(ClientSystemGateway server, Process process, int dieAtUpload) {
      this.server = server;
      this.process = process;
      this.dieAtUpload = dieAtUpload;
    }

    @Override
    public boolean testConnection() {
      return !process.dead();
    }

    @Override
    public UploadResult uploadBatch(UploadBatch batch) {
      process.uploadStarting();
      if (process.dead()) {
        throw killed();
      }
      UploadResult answer = server.uploadBatch(batch);
      if (uploads.incrementAndGet() == dieAtUpload) {
        process.die();
        throw killed();
      }
      return answer;
    }
  }
}

package com.meterit.sync.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.meterit.sync.api.Claim;
import com.meterit.sync.api.LeaseLostException;
import com.meterit.sync.api.Reading;
import com.meterit.sync.api.ReadingSource;
import com.meterit.sync.api.Rejection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@link ReadingSource} contract: what any source must do for the engine to lose no reading
 * and count none twice. A custom source runs it by extending this class and implementing its
 * hooks; the cases are inherited, and each runs on an empty queue. It uses only the interface, so
 * it checks what the engine relies on and nothing a source may do its own way. The crash cases,
 * which run a real {@link com.meterit.sync.core.SyncManager} against a server that deduplicates
 * by {@code Idempotency-Key} and kill it at every step of a batch, are part of it.
 *
 * <p>Published in sync-core's test jar: depend on {@code com.meterit.sync:sync-core} with
 * {@code <type>test-jar</type>} (classifier {@code tests}) and scope {@code test}, beside JUnit
 * Jupiter. The cases are package-private, so that a subclass cannot override one away.
 */
public abstract class ReadingSourceContractTest {
  /** The clock handed to {@link #newSource}: wall and monotonic time, moved only by the test. */
  protected final ManualClock clock = new ManualClock(Harness.START);

  /**
   * A source on this test's queue, as a new process of the same worker opens it after a crash:
   * it finds what earlier sources of the test queued, journaled and left held. A source that
   * lives in one process (an in-memory queue) may return the same instance every time.
   *
   * @param clock what the source times its leases by, wall and monotonic; the same instance for
   *     every call in a test
   */
  protected abstract ReadingSource newSource(ManualClock clock) throws Exception;

  /**
   * Queues {@code count} new readings, with ids above every reading queued before. It may be
   * called before the test's first {@link #newSource}.
   */
  protected abstract void addReadings(int count) throws Exception;

  /**
   * How long a claim holds its batch unless renewed; empty for a source whose leases never lapse
   * (one process, one worker), for which the cases that let a lease lapse are skipped.
   */
  protected abstract Optional<Duration> lease();

  /**
   * Lets {@code time} pass for every lease. The default advances {@link #clock}; a source whose
   * leases are also judged by another clock (a database server's) ages them there too.
   */
  protected void letTimePass(Duration time) throws Exception {
    clock.advance(time);
  }

  /** The ids of a claim's readings, in its order. */
  protected static List<Long> ids(Claim claim) {
    return claim.readings().stream().map(Reading::id).collect(Collectors.toList());
  }

  private Duration lapsingLease() {
    Optional<Duration> lease = lease();
    assumeTrue(lease.isPresent(), "the leases of this source never lapse");
    return lease.get();
  }

  private static void assertAscending(List<Long> ids) {
    List<Long> sorted = new ArrayList<>(ids);
    Collections.sort(sorted);
    assertEquals(sorted, ids, "oldest first");
  }

  @Test
  void claimsTheOldestReadingsFirstAndSettlesEachBatchOnce() throws Exception {
    ReadingSource source = newSource(clock);
    addReadings(10);

    Claim first = source.claim(4);
    assertEquals(4, first.size());
    assertFalse(first.resumed());
    assertAscending(ids(first));
    if (lease().isPresent()) {
      assertEquals(clock.instant().plus(lease().get()), first.leaseExpiresAt());
    }
    assertEquals(10, source.pendingCount(), "claimed readings are still pending");

    source.settle(first, List.of());
    assertEquals(6, source.pendingCount());
    assertThrows(LeaseLostException.class, () -> source.settle(first, List.of()), "settled once");
    Claim second = source.claim(4);
    assertEquals(4, second.size());
    assertAscending(ids(second));
    assertTrue(Collections.max(ids(first)) < ids(second).get(0), "the oldest pending first");
    Claim third = source.claim(4);
    assertEquals(2, third.size(), "the rest, not held by the second");
    assertTrue(Collections.disjoint(ids(second), ids(third)));
    assertTrue(source.claim(4).isEmpty(), "everything is held");
  }

  @Test
  void aReleasedBatchIsClaimedAgainWholeUnderANewKeyBeforeANewBatch() throws Exception {
    ReadingSource source = newSource(clock);
    addReadings(15);
    Claim first = source.claim(5);
    Claim second = source.claim(5);
    assertTrue(Collections.disjoint(ids(first), ids(second)), "the next batch, claimed ahead");
    source.release(first);

    Claim again = source.claim(3);
    assertEquals(first.batch().batchId(), again.batch().batchId(), "the same batch");
    assertEquals(ids(first), ids(again), "larger than asked for: a journaled batch is never cut");
    assertTrue(again.resumed());
    assertNotEquals(first.key(), again.key(), "a new claim, which the old key does not name");
    Claim third = source.claim(10);
    assertEquals(5, third.size());
    assertTrue(Collections.disjoint(ids(third), ids(first)));
    assertTrue(Collections.disjoint(ids(third), ids(second)));
    assertEquals(15, source.pendingCount());
  }

  @Test
  void aReleasedClaimHoldsNothingEvenOnceItsBatchIsClaimedAgain() throws Exception {
    ReadingSource source = newSource(clock);
    addReadings(3);
    Claim claim = source.claim(3);
    source.release(claim);
    source.release(claim);

    assertThrows(LeaseLostException.class, () -> source.settle(claim, List.of()));
    assertEquals(Map.of(), source.renew(List.of(claim)), "a released claim is not renewed");
    assertEquals(3, source.pendingCount());
    Claim again = source.claim(3);
    source.release(claim);
    assertThrows(LeaseLostException.class, () -> source.settle(claim, List.of()));
    assertThrows(LeaseLostException.class,
        () -> source.reform(claim, List.of(claim.readings().subList(0, 1))));
    assertEquals(Set.of(again.key()), source.renew(List.of(claim, again)).keySet(),
        "the stale release left the new claim's hold alone");
    source.settle(again, List.of());
    assertEquals(0, source.pendingCount());
    assertTrue(source.claim(3).isEmpty());
  }

  @Test
  void batchesHeldWhenAProcessDiesComeBackWholeAfterARestart() throws Exception {
    ReadingSource beforeCrash = newSource(clock);
    addReadings(12);
    Claim first = beforeCrash.claim(4);
    Claim second = beforeCrash.claim(4);
    addReadings(2);

    ReadingSource afterRestart = newSource(clock);
    int givenBack = afterRestart.recoverClaims();
    assertTrue(givenBack == 0 || givenBack == 2,
        "both batches, or none where holds die with their process: " + givenBack);
    Claim resumed1 = afterRestart.claim(100);
    Claim resumed2 = afterRestart.claim(100);
    assertEquals(first.batch().batchId(), resumed1.batch().batchId(), "the oldest batch first");
    assertEquals(second.batch().batchId(), resumed2.batch().batchId());
    assertEquals(ids(first), ids(resumed1));
    assertTrue(resumed1.resumed() && resumed2.resumed());
    Claim fresh = afterRestart.claim(100);
    assertEquals(6, fresh.size(), "then new batches, of readings in no journaled batch");
    assertTrue(Collections.disjoint(ids(fresh), ids(first)));
    assertTrue(Collections.disjoint(ids(fresh), ids(second)));
    afterRestart.settle(resumed1, List.of());
    assertEquals(10, afterRestart.pendingCount());
  }

  @Test
  void aLapsedLeaseLetsTheNextClaimTakeOverTheSameBatch() throws Exception {
    Duration lease = lapsingLease();
    ReadingSource source = newSource(clock);
    addReadings(5);
    Claim old = source.claim(5);
    letTimePass(lease.dividedBy(2));
    assertTrue(source.claim(5).isEmpty(), "the lease holds");

    // A source may look for lapsed batches now and then rather than at every claim (the
    // PostgreSQL source looks every quarter lease), so the takeover is not timed to the second.
    letTimePass(lease.dividedBy(2).plusSeconds(1));
    Claim takeover = source.claim(5);
    assertEquals(old.batch().batchId(), takeover.batch().batchId());
    assertEquals(ids(old), ids(takeover));
    assertTrue(takeover.resumed());
    assertEquals(clock.instant().plus(lease), takeover.leaseExpiresAt());
  }

  @Test
  void theOldClaimOfATakenOverBatchCanNeitherSettleNorRenewNorReformNorRelease()
      throws Exception {
    Duration lease = lapsingLease();
    ReadingSource source = newSource(clock);
    addReadings(5);
    Claim old = source.claim(5);
    letTimePass(lease.plusSeconds(1));
    Claim takeover = source.claim(5);

    assertThrows(LeaseLostException.class,
        () -> source.settle(old, List.of(new Rejection(ids(old).get(0), "refused"))));
    assertThrows(LeaseLostException.class,
        () -> source.reform(old, List.of(old.readings().subList(0, 2))));
    assertEquals(Map.of(), source.renew(List.of(old)));
    source.release(old);
    assertEquals(5, source.pendingCount(), "nothing changed");
    assertTrue(source.claim(5).isEmpty(), "the takeover still holds the batch");

    source.settle(takeover, List.of());
    assertEquals(0, source.pendingCount());
  }

  @Test
  void renewKeepsABatchHeldPastItsFirstLease() throws Exception {
    Duration lease = lapsingLease();
    ReadingSource source = newSource(clock);
    addReadings(5);
    Claim claim = source.claim(5);
    letTimePass(lease.dividedBy(2));
    assertEquals(Map.of(claim.key(), clock.instant().plus(lease)),
        source.renew(List.of(claim)));

    letTimePass(lease.dividedBy(2).plusSeconds(1));
    assertTrue(source.claim(5).isEmpty(), "still held past the first lease");
    letTimePass(lease);
    assertEquals(claim.batch().batchId(), source.claim(5).batch().batchId(),
        "a lease not renewed lapses");
  }

  @Test
  void renewReportsEveryClaimStillHeld() throws Exception {
    ReadingSource source = newSource(clock);
    addReadings(6);
    Claim a = source.claim(3);
    Claim b = source.claim(3);
    assertEquals(Set.of(a.key(), b.key()), source.renew(List.of(a, b)).keySet());
    source.settle(a, List.of());
    assertEquals(Set.of(b.key()), source.renew(List.of(a, b)).keySet(), "a settled claim is gone");
  }

  @Test
  void aPartialRejectionSettlesTheWholeBatchAtOnce() throws Exception {
    ReadingSource source = newSource(clock);
    addReadings(5);
    Claim claim = source.claim(5);
    source.settle(claim, List.of(new Rejection(ids(claim).get(1), "unknown meter"),
        new Rejection(ids(claim).get(3), "too old")));

    assertEquals(0, source.pendingCount(), "quarantined readings are not pending");
    assertTrue(source.claim(5).isEmpty());
    assertThrows(LeaseLostException.class, () -> source.settle(claim, List.of()),
        "settled once");
  }

  @Test
  void settleAndClaimSettlesTheBatchThenHandsOutTheNext() throws Exception {
    ReadingSource source = newSource(clock);
    addReadings(10);
    Claim first = source.claim(4);
    Claim second = source.settleAndClaim(first, List.of(new Rejection(ids(first).get(1), "bad")), 4);
    assertEquals(4, second.size());
    assertTrue(Collections.disjoint(ids(first), ids(second)));
    assertEquals(6, source.pendingCount());
    assertThrows(LeaseLostException.class, () -> source.settle(first, List.of()));
    Claim third = source.settleAndClaim(second, List.of(), 4);
    assertEquals(2, third.size());
    assertTrue(source.settleAndClaim(third, List.of(), 4).isEmpty());
    assertEquals(0, source.pendingCount());

    addReadings(2);
    assertThrows(LeaseLostException.class, () -> source.settleAndClaim(third, List.of(), 4));
    assertEquals(2, source.claim(4).size(), "the lost settlement claimed nothing");
  }

  @Test
  void reformJournalsEachPartUnderItsOwnClaimAndFreesTheRest() throws Exception {
    ReadingSource source = newSource(clock);
    addReadings(10);
    Claim refused = source.claim(10);
    List<Reading> r = refused.readings();
    List<Claim> parts = source.reform(refused, List.of(r.subList(0, 3), r.subList(3, 5)));

    assertEquals(2, parts.size());
    assertEquals(ids(refused).subList(0, 3), ids(parts.get(0)));
    assertEquals(ids(refused).subList(3, 5), ids(parts.get(1)));
    assertFalse(parts.get(0).resumed());
    assertNotEquals(parts.get(0).key(), parts.get(1).key());
    assertThrows(LeaseLostException.class, () -> source.settle(refused, List.of()));
    assertEquals(Set.of(parts.get(0).key(), parts.get(1).key()),
        source.renew(List.of(refused, parts.get(0), parts.get(1))).keySet(),
        "the parts are held, the refused batch is gone");
    assertEquals(ids(refused).subList(5, 10), ids(source.claim(10)),
        "readings in no part are pending again");

    source.settle(parts.get(0), List.of());
    ReadingSource afterRestart = newSource(clock);
    afterRestart.recoverClaims();
    Claim resumed = afterRestart.claim(10);
    assertEquals(parts.get(1).batch().batchId(), resumed.batch().batchId(),
        "a part is journaled like any batch");
    assertThrows(IllegalArgumentException.class,
        () -> afterRestart.reform(resumed, List.of(r.subList(0, 1))), "not in the batch");
    assertEquals(ids(resumed), ids(afterRestart.reform(resumed, List.of(resumed.readings()))
        .get(0)), "a refused reform changed nothing");
  }

  @Test
  void reformIntoNoPartsDissolvesTheBatch() throws Exception {
    ReadingSource source = newSource(clock);
    addReadings(4);
    Claim refused = source.claim(4);
    assertEquals(List.of(), source.reform(refused, List.of()));
    assertThrows(LeaseLostException.class, () -> source.settle(refused, List.of()));
    Claim again = source.claim(4);
    assertEquals(ids(refused), ids(again), "every reading is pending again");
    assertFalse(again.resumed(), "a new batch of the same readings");
    assertEquals(4, source.pendingCount());
  }

  /**
   * Implementations must be thread-safe: workers claiming, releasing and settling at once on one
   * source settle each reading exactly once and no batch twice.
   */
  @Test
  @Timeout(120)
  void fourThreadsDrainOneSourceAndSettleEachReadingExactlyOnce() throws Exception {
    int readings = 4_000;
    ReadingSource source = newSource(clock);
    addReadings(readings);
    Map<Long, AtomicInteger> settled = new ConcurrentHashMap<>();
    Set<String> batches = ConcurrentHashMap.newKeySet();
    ExecutorService workers = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> done = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        boolean releasesSome = w == 3;
        done.add(workers.submit((Callable<Integer>) () -> {
          int count = 0;
          for (Claim claim = source.claim(25); !claim.isEmpty(); claim = source.claim(25)) {
            if (releasesSome && !claim.resumed() && claim.readings().get(0).id() % 3 == 0) {
              source.release(claim);
              continue;
            }
            assertTrue(batches.add(claim.batch().batchId()), "a batch settled twice");
            source.settle(claim, List.of());
            for (long id : ids(claim)) {
              settled.computeIfAbsent(id, i -> new AtomicInteger()).incrementAndGet();
            }
            count += claim.size();
          }
          return count;
        }));
      }
      int total = 0;
      for (Future<Integer> f : done) {
        total += f.get(2, TimeUnit.MINUTES);
      }
      assertEquals(readings, total);
    } finally {
      workers.shutdownNow();
    }
    assertEquals(readings, settled.size());
    Set<Integer> times = new HashSet<>();
    settled.values().forEach(n -> times.add(n.get()));
    assertEquals(Set.of(1), times, "a reading was settled twice");
    assertEquals(0, source.pendingCount());
  }

  /**
   * A process dies at this step of a batch, without settling it, three times over, each time
   * with another batch size; then a new process drains the queue. The server, which deduplicates
   * only by {@code Idempotency-Key}, must have counted each reading exactly once: a batch that
   * may have reached it went out again only as itself.
   */
  @ParameterizedTest(name = "{0}, full window {1}")
  @MethodSource("com.meterit.sync.core.testing.CrashScenario#steps")
  @Timeout(120)
  void aCrashAtThisStepNeverSendsAReadingInTwoBatches(CrashScenario.Step step, boolean fullWindow)
      throws Exception {
    addReadings(CrashScenario.READINGS);
    new CrashScenario(clock, () -> newSource(clock)).run(step, fullWindow);
  }
}

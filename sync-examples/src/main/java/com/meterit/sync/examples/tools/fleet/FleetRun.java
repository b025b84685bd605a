package com.meterit.sync.examples.tools.fleet;

import com.meterit.sync.api.BackoffPolicy;
import com.meterit.sync.core.InMemorySyncHistory;
import com.meterit.sync.core.SyncManager;
import com.meterit.sync.core.SyncManagerBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;

/**
 * Runs one case: builds the fleet of real {@link SyncManager}s on one virtual clock, lets it reach
 * a steady state, cuts the server off for the outage, and runs on until every reading written
 * before the outage ended has been accepted. Then checks the ledger against every queue.
 */
final class FleetRun {
  static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");
  /** How long the simulation goes on after the drain, so the chart shows the return to normal. */
  static final Duration TAIL = Duration.ofMinutes(10);
  /** The lease of a claim in the simulated queues, as the agent's default. */
  static final Duration LEASE = Duration.ofMinutes(5);

  private FleetRun() {}

  static FleetResult run(FleetOptions o) {
    long wallStart = System.nanoTime();
    VirtualTime time = new VirtualTime(EPOCH);
    SimServer server = new SimServer(time, o);
    SplittableRandom seeds = new SplittableRandom(o.seed);
    SimQueue[] queues = new SimQueue[o.gateways];
    SyncManager[] managers = new SyncManager[o.gateways];
    Duration poll = o.round.dividedBy(o.meters);
    for (int g = 0; g < o.gateways; g++) {
      SplittableRandom random = seeds.split();
      // A fleet that has run for a while: gateways started, and poll their meters, at random
      // phases, not all at the same instant.
      Instant firstPoll = EPOCH.plusNanos(random.nextLong(poll.toNanos()));
      Duration startAt = Duration.ofNanos(random.nextLong(SyncManager.DEFAULT_SYNC_INTERVAL.toNanos()));
      queues[g] = new SimQueue(time.clock(), LEASE, firstPoll, poll, o.meters);
      SyncManagerBuilder b = SyncManager.builder(queues[g], server.gateway(g))
          .setClock(time.clock())
          .setTicker(time.clock())
          .setScheduler(time)
          .setExecutor(Runnable::run)
          .setBackgroundExecutor(Runnable::run)
          .setSleeper(time.sleeper())
          .setRandom(random::nextDouble)
          // Pipelining claims ahead on a thread of its own per manager: 10,000 threads, and
          // claims racing outside virtual time. The simulated queue costs nothing to claim from.
          .setPipelining(false)
          // Likewise the upload window's lanes: one batch at a time, on the simulation's thread.
          .setUploadExecutor(Runnable::run)
          .setHistory(new InMemorySyncHistory(16));
      if (o.client == FleetOptions.Client.NO_JITTER) {
        b.setBackoffPolicy(exponential(Duration.ofSeconds(1), Duration.ofMinutes(5), 2))
            .setConnectivityBackoff(exponential(Duration.ofSeconds(5), Duration.ofMinutes(5), 3));
        b.setReconnectSpread(Duration.ZERO);
      } else if (o.client == FleetOptions.Client.BEFORE) {
        b.setReconnectSpread(Duration.ZERO);
      }
      managers[g] = b.build();
      time.schedule(managers[g]::start, startAt);
    }
    Duration outageEnd = o.outageEnd();
    time.schedule(() -> {
      long[] produced = new long[queues.length];
      for (int g = 0; g < queues.length; g++) {
        produced[g] = queues[g].produced();
      }
      server.markBacklog(produced);
    }, outageEnd);

    Instant end = EPOCH.plus(o.horizon());
    Instant now = EPOCH.plus(outageEnd);
    time.runUntil(now);
    while (now.isBefore(end)) {
      double drained = server.drainedAt();
      if (drained >= 0 && Duration.between(EPOCH, now).getSeconds() >= drained + TAIL.getSeconds()) {
        break;
      }
      now = now.plus(Duration.ofMinutes(1));
      time.runUntil(now);
    }
    double simulated = Duration.between(EPOCH, now).getSeconds();
    for (SyncManager m : managers) {
      m.stop();
    }
    time.close();

    long lost = 0;
    long mismatched = 0;
    for (int g = 0; g < o.gateways; g++) {
      java.util.BitSet ledger = server.ledger(g);
      // Every reading below the queue's lowest unsettled id was settled, so must be on the server.
      long lowest = queues[g].lowestUnsettled();
      int firstMissing = ledger.nextClearBit(1);
      if (firstMissing < lowest) {
        lost += lowest - firstMissing;
      }
      if (ledger.cardinality() != queues[g].settled()) {
        mismatched++;
      }
    }
    return new FleetResult(o, server, simulated, (System.nanoTime() - wallStart) / 1e9,
        time.maxSleeping(), lost, mismatched);
  }

  /** Exponential backoff without jitter: base, base x m, base x m^2 ..., capped. */
  static BackoffPolicy exponential(Duration base, Duration cap, double multiplier) {
    return (attempt, previous, random) -> {
      double nanos = base.toNanos() * Math.pow(multiplier, attempt - 1);
      return nanos >= cap.toNanos() ? cap : Duration.ofNanos((long) nanos);
    };
  }
}

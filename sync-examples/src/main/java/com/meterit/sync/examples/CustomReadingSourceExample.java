package com.meterit.sync.examples;

import com.meterit.sync.api.Claim;
import com.meterit.sync.api.LeaseLostException;
import com.meterit.sync.api.Reading;
import com.meterit.sync.api.ReadingSource;
import com.meterit.sync.api.Rejection;
import com.meterit.sync.core.SyncManager;
import com.meterit.sync.core.http.HttpClientSystemGateway;
import com.meterit.sync.examples.tools.simulator.SimulatedClientSystem;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Embedding {@link SyncManager} with a {@link ReadingSource} of your own: here, the firmware's
 * existing store of readings, whatever it is. The contract that matters:
 *
 * <ul>
 *   <li>a batch is formed once and recorded (journaled) before it is handed out, and goes out
 *       again only as itself until it is settled: released, or left behind by a crash, it is the
 *       next claim's;
 *   <li>{@code settle} applies the server's answer to the whole batch at once;
 *   <li>{@code reform} is the only way a batch's readings may end up in other batches, and the
 *       engine calls it only after the server refused the batch outright.
 * </ul>
 *
 * <p>This store lives in one process, so its leases never lapse; a claim's key names the batch and
 * the hold, so that a claim given back holds nothing once the batch is claimed again. A store
 * shared by several processes needs leases that lapse, as {@code JdbcReadingSource} has them on
 * PostgreSQL. In production the journal must be as durable as the readings. Prove a store of
 * your own with {@code ReadingSourceContractTest}, from sync-core's test jar, as
 * {@code FirmwareStoreContractTest} proves this one.
 *
 * <p>Run it: {@code java -cp sync-examples/target/meter-sync-tools.jar
 * com.meterit.sync.examples.CustomReadingSourceExample}
 */
public final class CustomReadingSourceExample {
  private CustomReadingSourceExample() {}

  /**
   * Stands in for the firmware's own storage, keyed by a sequence number. Thread-safe: every
   * method holds the store's lock.
   */
  static final class FirmwareStore implements ReadingSource {
    private static final Instant NEVER = Instant.parse("9999-12-31T00:00:00Z");

    private final TreeMap<Long, Reading> pending = new TreeMap<>();
    /** The journal: batches handed out and not settled yet, by batch number. */
    private final TreeMap<Long, List<Reading>> batches = new TreeMap<>();
    /**
     * The batches a claim holds, and which claim: each hold gets a number of its own, so that a
     * claim given back, or replaced after a restart, can no longer settle, release or renew the
     * batch once another claim holds it.
     */
    private final Map<Long, Long> holds = new HashMap<>();
    private final Map<Long, String> deadLetters = new TreeMap<>();
    private long sequence;
    private long batchNumber;
    private long holdNumber;

    synchronized void record(String meterId, BigDecimal value) {
      sequence++;
      pending.put(sequence, Reading.of(sequence, meterId, Instant.now(), value, "kWh"));
    }

    @Override
    public synchronized Claim claim(int maxReadings) {
      for (Map.Entry<Long, List<Reading>> batch : batches.entrySet()) {
        if (!holds.containsKey(batch.getKey())) {
          return hold(batch.getKey(), batch.getValue(), true);
        }
      }
      List<Reading> readings = new ArrayList<>();
      while (readings.size() < maxReadings && !pending.isEmpty()) {
        readings.add(pending.pollFirstEntry().getValue());
      }
      return readings.isEmpty() ? Claim.empty() : journal(readings);
    }

    private Claim journal(List<Reading> readings) {
      long number = ++batchNumber;
      batches.put(number, readings);
      return hold(number, readings, false);
    }

    private Claim hold(long number, List<Reading> readings, boolean resumed) {
      long hold = ++holdNumber;
      holds.put(number, hold);
      return new Claim(number + ":" + hold, readings, NEVER, resumed);
    }

    @Override
    public synchronized void settle(Claim claim, List<Rejection> rejected) {
      long number = heldBatch(claim);
      rejected.forEach(r -> deadLetters.put(r.readingId(), r.reason()));
      batches.remove(number);
      holds.remove(number);
    }

    @Override
    public synchronized void release(Claim claim) {
      if (holds(claim)) {
        holds.remove(batchNumber(claim));
      }
    }

    @Override
    public synchronized List<Claim> reform(Claim claim, List<List<Reading>> parts) {
      long number = heldBatch(claim);
      Set<Reading> left = new HashSet<>(batches.get(number));
      for (List<Reading> part : parts) {
        for (Reading r : part) {
          if (!left.remove(r)) {
            throw new IllegalArgumentException("reading " + r.id() + " is not in batch " + number
                + " or is in two parts");
          }
        }
      }
      batches.remove(number);
      holds.remove(number);
      List<Claim> formed = new ArrayList<>();
      for (List<Reading> part : parts) {
        formed.add(journal(List.copyOf(part)));
      }
      left.forEach(r -> pending.put(r.id(), r));
      return formed;
    }

    /** Leases never lapse here; a claim is renewed for as long as it holds its batch. */
    @Override
    public synchronized Map<String, Instant> renew(Collection<Claim> claims) {
      Map<String, Instant> held = new HashMap<>();
      for (Claim claim : claims) {
        if (holds(claim)) {
          held.put(claim.key(), NEVER);
        }
      }
      return held;
    }

    private long heldBatch(Claim claim) {
      if (!holds(claim)) {
        throw new LeaseLostException("claim " + claim.key() + " no longer holds its batch");
      }
      return batchNumber(claim);
    }

    private boolean holds(Claim claim) {
      if (claim.isEmpty()) {
        return false;
      }
      Long hold = holds.get(batchNumber(claim));
      return hold != null && claim.key().equals(batchNumber(claim) + ":" + hold);
    }

    private static long batchNumber(Claim claim) {
      return Long.parseLong(claim.key().substring(0, claim.key().indexOf(':')));
    }

    @Override
    public synchronized long pendingCount() {
      return pending.size() + batches.values().stream().mapToLong(List::size).sum();
    }

    @Override
    public synchronized int recoverClaims() {
      int n = holds.size();
      holds.clear();
      return n;
    }
  }

  public static void main(String[] args) throws Exception {
    try (SimulatedClientSystem server = SimulatedClientSystem.start("example-key")) {
      FirmwareStore store = new FirmwareStore();
      for (int i = 0; i < 2_500; i++) {
        store.record("meter-" + (i % 50), BigDecimal.valueOf(1000 + i, 3));
      }
      SyncManager manager = SyncManager.builder()
          .setSource(store)
          .setGateway(HttpClientSystemGateway.builder(server.url(), "example-key", "example-gateway").build())
          .build();
      manager.start();
      manager.triggerSync().join();
      System.out.println("pending: " + store.pendingCount() + ", on the server: "
          + server.acceptedCount());
      manager.close();
    }
  }
}

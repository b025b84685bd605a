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
 * <p>This store lives in one process, so a claim's key is just the batch number and its leases
 * never lapse; a store shared by several processes needs leases and {@code renew}, as
 * {@code JdbcReadingSource} has them on PostgreSQL. In production the journal must be as durable
 * as the readings.
 *
 * <p>Run it: {@code java -cp sync-examples/target/meter-sync-tools.jar
 * com.meterit.sync.examples.CustomReadingSourceExample}
 */
public final class CustomReadingSourceExample {
  private CustomReadingSourceExample() {}

  /** Stands in for the firmware's own storage, keyed by a sequence number. */
  static final class FirmwareStore implements ReadingSource {
    private static final Instant NEVER = Instant.parse("9999-12-31T00:00:00Z");

    private final TreeMap<Long, Reading> pending = new TreeMap<>();
    /** The journal: batches handed out and not settled yet, by batch number. */
    private final TreeMap<Long, List<Reading>> batches = new TreeMap<>();
    private final Set<Long> held = new HashSet<>();
    private final Map<Long, String> deadLetters = new TreeMap<>();
    private long sequence;
    private long batchNumber;

    synchronized void record(String meterId, BigDecimal value) {
      sequence++;
      pending.put(sequence, Reading.of(sequence, meterId, Instant.now(), value, "kWh"));
    }

    @Override
    public synchronized Claim claim(int maxReadings) {
      for (Map.Entry<Long, List<Reading>> batch : batches.entrySet()) {
        if (held.add(batch.getKey())) {
          return new Claim(String.valueOf(batch.getKey()), batch.getValue(), NEVER, true);
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
      held.add(number);
      return new Claim(String.valueOf(number), readings, NEVER, false);
    }

    @Override
    public synchronized void settle(Claim claim, List<Rejection> rejected) {
      long number = heldBatch(claim);
      rejected.forEach(r -> deadLetters.put(r.readingId(), r.reason()));
      batches.remove(number);
      held.remove(number);
    }

    @Override
    public synchronized void release(Claim claim) {
      held.remove(Long.parseLong(claim.key()));
    }

    @Override
    public synchronized List<Claim> reform(Claim claim, List<List<Reading>> parts) {
      long number = heldBatch(claim);
      batches.remove(number);
      held.remove(number);
      Set<Reading> left = new HashSet<>(claim.readings());
      List<Claim> formed = new ArrayList<>();
      for (List<Reading> part : parts) {
        left.removeAll(part);
        formed.add(journal(List.copyOf(part)));
      }
      left.forEach(r -> pending.put(r.id(), r));
      return formed;
    }

    private long heldBatch(Claim claim) {
      long number = Long.parseLong(claim.key());
      if (!held.contains(number)) {
        throw new LeaseLostException("batch " + number + " is not held");
      }
      return number;
    }

    @Override
    public synchronized long pendingCount() {
      return pending.size() + batches.values().stream().mapToLong(List::size).sum();
    }

    @Override
    public synchronized int recoverClaims() {
      int n = held.size();
      held.clear();
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

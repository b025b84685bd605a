package com.meterit.sync.examples;

import com.meterit.sync.api.Claim;
import com.meterit.sync.api.Reading;
import com.meterit.sync.api.ReadingSource;
import com.meterit.sync.api.Rejection;
import com.meterit.sync.core.SyncManager;
import com.meterit.sync.core.http.HttpClientSystemGateway;
import com.meterit.sync.examples.simulator.SimulatedClientSystem;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Embedding {@link SyncManager} with a {@link ReadingSource} of your own: here, the firmware's
 * existing store of readings, whatever it is, behind five methods. The contract that matters:
 * hand out each pending reading to one claim at a time, mark it synced only when
 * {@code acknowledge} says so, and give unsettled claims back after a crash.
 *
 * <p>Run it: {@code java -cp sync-examples/target/meter-sync-agent.jar
 * com.meterit.sync.examples.CustomReadingSourceExample}
 */
public final class CustomReadingSourceExample {
  private CustomReadingSourceExample() {}

  /** Stands in for the firmware's own storage, keyed by a sequence number. */
  static final class FirmwareStore implements ReadingSource {
    private final TreeMap<Long, Reading> pending = new TreeMap<>();
    private final TreeMap<Long, Reading> inFlight = new TreeMap<>();
    private final Map<Long, String> deadLetters = new TreeMap<>();
    private long sequence;

    synchronized void record(String meterId, BigDecimal value) {
      sequence++;
      pending.put(sequence, Reading.of(sequence, meterId, Instant.now(), value, "kWh"));
    }

    @Override
    public synchronized Claim claim(int maxReadings) {
      List<Reading> batch = new ArrayList<>();
      while (batch.size() < maxReadings && !pending.isEmpty()) {
        Reading r = pending.pollFirstEntry().getValue();
        inFlight.put(r.id(), r);
        batch.add(r);
      }
      return new Claim(batch, Instant.now().plus(Duration.ofMinutes(5)));
    }

    @Override
    public synchronized void acknowledge(Collection<Long> readingIds) {
      readingIds.forEach(inFlight::remove);
    }

    @Override
    public synchronized void quarantine(Collection<Rejection> rejections) {
      rejections.forEach(r -> {
        inFlight.remove(r.readingId());
        deadLetters.put(r.readingId(), r.reason());
      });
    }

    @Override
    public synchronized void release(Collection<Long> readingIds) {
      readingIds.forEach(id -> {
        Reading r = inFlight.remove(id);
        if (r != null) {
          pending.put(id, r);
        }
      });
    }

    @Override
    public synchronized long pendingCount() {
      return pending.size() + inFlight.size();
    }

    @Override
    public synchronized int recoverClaims() {
      int n = inFlight.size();
      pending.putAll(inFlight);
      inFlight.clear();
      return n;
    }
  }

  public static void main(String[] args) throws Exception {
    try (SimulatedClientSystem server = SimulatedClientSystem.start("example-key")) {
      FirmwareStore store = new FirmwareStore();
      for (int i = 0; i < 2_500; i++) {
        store.record("meter-" + (i % 50), BigDecimal.valueOf(1000 + i, 3));
      }
      SyncManager manager = SyncManager.builder(store,
          HttpClientSystemGateway.builder(server.url(), "example-key", "example-gateway").build())
          .build();
      manager.start();
      manager.triggerSync().join();
      System.out.println("pending: " + store.pendingCount() + ", on the server: "
          + server.acceptedCount());
      manager.close();
    }
  }
}

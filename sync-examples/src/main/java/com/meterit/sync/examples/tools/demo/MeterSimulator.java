package com.meterit.sync.examples.tools.demo;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Meters that keep writing readings into the Sync Database the way a collector in any language
 * would: a plain {@code INSERT INTO meter_readings}, on connections that wait for the write lock
 * as the README tells collectors ({@code busy_timeout}). Values rise per meter, with three
 * decimals; times are ISO-8601 text, as SQLite keeps them.
 */
final class MeterSimulator implements AutoCloseable {
  private static final String INSERT =
      "INSERT INTO meter_readings (meter_id, read_at, value, unit) VALUES (?, ?, ?, ?)";

  private final String url;
  private final Properties collector = new Properties();
  private final int meters;
  private final long[] totals;
  private final AtomicLong written = new AtomicLong();
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "demo-meters");
    t.setDaemon(true);
    return t;
  });
  private Instant clock = Instant.parse("2026-01-01T00:00:00Z");

  MeterSimulator(String url, int meters) {
    this.url = url;
    // A collector waits for the agent's short write transactions instead of failing at once.
    collector.setProperty("busy_timeout", "5000");
    this.meters = meters;
    this.totals = new long[meters];
  }

  /** Every meter writes one reading every half second, until closed. */
  void start() {
    ticker.scheduleAtFixedRate(() -> {
      try {
        write(meters);
      } catch (SQLException e) {
        System.out.println("  ! meters could not write: " + e.getMessage());
      }
    }, 0, 500, TimeUnit.MILLISECONDS);
  }

  /** Writes {@code count} readings at once, round-robin over the meters. */
  synchronized void write(int count) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, collector);
        PreparedStatement insert = c.prepareStatement(INSERT)) {
      c.setAutoCommit(false);
      for (int i = 0; i < count; i++) {
        int meter = (int) (written.get() % meters);
        if (meter == 0) {
          clock = clock.plusSeconds(900);
        }
        totals[meter] += 100 + (written.get() * 7919) % 900;
        insert.setString(1, String.format("meter-%04d", meter));
        insert.setString(2, clock.toString());
        insert.setString(3, BigDecimal.valueOf(totals[meter], 3).toPlainString());
        insert.setString(4, "kWh");
        insert.addBatch();
        written.incrementAndGet();
        if (i % 5000 == 4999) {
          insert.executeBatch();
        }
      }
      insert.executeBatch();
      c.commit();
    }
  }

  /** Writes one reading with exactly these values, as a faulty collector might. */
  synchronized void writeRaw(String meterId, String value, String unit) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, collector);
        PreparedStatement insert = c.prepareStatement(INSERT)) {
      insert.setString(1, meterId);
      insert.setString(2, clock.toString());
      insert.setString(3, value);
      insert.setString(4, unit);
      insert.executeUpdate();
      written.incrementAndGet();
    }
  }

  long written() {
    return written.get();
  }

  /** Stops the meters, letting a write in progress finish. Idempotent. */
  void stop() {
    ticker.shutdown();
    try {
      ticker.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stop();
  }
}

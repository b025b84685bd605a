package com.example.quickstart;

import com.meterit.sync.api.SyncListener;
import com.meterit.sync.api.SyncRun;
import com.meterit.sync.api.SyncStats;
import com.meterit.sync.api.SyncStatus;
import com.meterit.sync.core.SyncConfig;
import com.meterit.sync.core.SyncManager;
import com.meterit.sync.core.http.HttpClientSystemGateway;
import com.meterit.sync.jdbc.JdbcReadingSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/** Writes two readings to the Sync Database and syncs them once to the Client System. */
public final class QuickStart {
  public static void main(String[] args) throws SQLException {
    SyncConfig config = SyncConfig.fromEnv();             // CLIENT_API_URL, CLIENT_API_KEY, GATEWAY_ID
    try (JdbcReadingSource source = JdbcReadingSource.fromEnv()) {  // SYNC_DB_URL, or your DataSource
      source.createSchema();                              // idempotent: safe on every start
      writeTwoReadings();                                 // your meter collectors do this
      HttpClientSystemGateway gateway = HttpClientSystemGateway.fromConfig(config);

      SyncManager manager = SyncManager.builder()
          .setSource(source)
          .setGateway(gateway)
          .setSyncInterval(Duration.ofMinutes(5))
          .setBatchSize(1000)
          .setHistory(source.history())                   // statistics survive restarts
          .addListener(new SyncListener() {
            @Override
            public void onSyncFailed(SyncRun run, Throwable cause) {
              System.err.println("sync failed; the readings stay queued: " + cause.getMessage());
            }
          })
          .build();
      manager.start();                                    // drains the queue now, then every 5 minutes
      manager.triggerSync().join();                       // sync now; joins a run already going

      SyncStatus status = manager.getStatus();            // state, pending, sync lag, last success
      SyncStats stats = manager.getSyncStats(24);         // runs, readings synced and rejected, bytes
      String pending = status.pendingReadings().isPresent()   // empty when the queue cannot be read
          ? String.valueOf(status.pendingReadings().getAsLong()) : "unknown";
      System.out.println(status.state() + ": " + pending + " pending, "
          + stats.readingsSynced() + " synced in the last 24 hours");

      manager.close();                                    // graceful: the batch in flight is finished or released
    }
  }

  /** A meter collector, in any language, writes readings with a plain INSERT. */
  private static void writeTwoReadings() throws SQLException {
    String url = JdbcReadingSource.databaseUrl(System.getenv());   // the database fromEnv() opened
    try (Connection db = DriverManager.getConnection(url); Statement insert = db.createStatement()) {
      insert.executeUpdate("INSERT INTO meter_readings (meter_id, read_at, value, unit) VALUES "
          + "('meter-17', '2026-01-01T00:15:00Z', '1234.500', 'kWh'), "
          + "('meter-18', '2026-01-01T00:15:00Z', '86.250', 'kWh')");
    }
  }
}

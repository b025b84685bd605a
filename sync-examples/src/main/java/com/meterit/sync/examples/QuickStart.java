package com.meterit.sync.examples;

import com.meterit.sync.api.SyncListener;
import com.meterit.sync.api.SyncRun;
import com.meterit.sync.api.SyncStats;
import com.meterit.sync.api.SyncStatus;
import com.meterit.sync.core.SyncConfig;
import com.meterit.sync.core.SyncManager;
import com.meterit.sync.core.http.HttpClientSystemGateway;
import com.meterit.sync.jdbc.JdbcReadingSource;
import java.time.Duration;

/** Syncs the Sync Database once to the Client System, both named by environment variables. */
public final class QuickStart {
  public static void main(String[] args) {
    SyncConfig config = SyncConfig.fromEnv();             // CLIENT_API_URL, CLIENT_API_KEY, GATEWAY_ID
    try (JdbcReadingSource source = JdbcReadingSource.fromEnv()) {  // SYNC_DB_URL, or your DataSource
      source.createSchema();                              // idempotent: safe on every start
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
}

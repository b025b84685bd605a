package com.meterit.sync.examples;

import com.meterit.sync.core.SyncManager;
import com.meterit.sync.core.http.HttpClientSystemGateway;
import com.meterit.sync.examples.tools.simulator.SimulatedClientSystem;
import com.meterit.sync.jdbc.JdbcReadingSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;

/**
 * PostgreSQL as the Sync Database, the original service's choice. Meter collectors INSERT into
 * {@code meter_readings}; several agents (or threads) can drain the same table at once, each
 * with its own lease owner, because claims skip rows another worker has locked.
 *
 * <p>Run it with a PostgreSQL URL: {@code java -cp sync-examples/target/meter-sync-tools.jar
 * com.meterit.sync.examples.PostgresExample jdbc:postgresql://127.0.0.1:5432/test?user=postgres}
 */
public final class PostgresExample {
  private PostgresExample() {}

  public static void main(String[] args) throws Exception {
    String url = args.length > 0 ? args[0] : "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    try (SimulatedClientSystem server = SimulatedClientSystem.start("example-key");
        JdbcReadingSource source = JdbcReadingSource.fromEnv(
            Map.of("SYNC_DB_URL", url, "GATEWAY_ID", "example-gateway"))) {
      source.createSchema();
      try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
        s.executeUpdate("INSERT INTO meter_readings (meter_id, read_at, value, unit) "
            + "SELECT 'meter-' || (g % 100), now(), 1000 + g / 1000.0, 'kWh' "
            + "FROM generate_series(1, 10000) AS g");
      }
      SyncManager manager = SyncManager.builder()
          .setSource(source)
          .setGateway(HttpClientSystemGateway.builder(server.url(), "example-key", "example-gateway").build())
          .setHistory(source.history())
          .build();
      manager.start();
      manager.triggerSync().join();
      System.out.println(manager.getSyncStats(1));
      manager.close();
    }
  }
}

package com.meterit.sync.examples.osgi;

import com.meterit.sync.api.SyncRun;
import com.meterit.sync.api.SyncStatus;
import com.meterit.sync.core.SyncManager;
import com.meterit.sync.core.http.HttpClientSystemGateway;
import com.meterit.sync.jdbc.JdbcReadingSource;
import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Function;
import org.h2.jdbcx.JdbcDataSource;

/**
 * Host code that runs inside the OSGi framework, in a bundle of its own that imports only the
 * exported packages: what a Kura component or any other bundle would write. {@link
 * OsgiBundlesTest} packs this class into that bundle; the test talks to it through {@link
 * Function}, a type both sides share from the JDK.
 *
 * <p>Input: {@code clientApiUrl apiKey h2Url readings}, separated by spaces. Output: {@code
 * outcome pending health classLoader}.
 */
public final class OsgiHost implements Function<String, String> {

  @Override
  public String apply(String input) {
    String[] args = input.split(" ");
    // In Kura the DataSource comes from its H2 DbService or a DataSourceFactory service; a
    // bundle of its own makes one here.
    JdbcDataSource dataSource = new JdbcDataSource();
    dataSource.setURL(args[2]);
    try (JdbcReadingSource source = JdbcReadingSource.builder(dataSource).build()) {
      source.createSchema();
      insert(dataSource, Integer.parseInt(args[3]));
      HttpClientSystemGateway gateway =
          HttpClientSystemGateway.builder(URI.create(args[0]), args[1], "gw-osgi").build();
      SyncManager manager = SyncManager.builder()
          .setSource(source)
          .setGateway(gateway)
          .setHistory(source.history())
          .build();
      manager.start();
      SyncRun run = manager.triggerSync().join();
      SyncStatus status = manager.getStatus();
      manager.close();
      return run.outcome() + " " + status.pendingReadings().getAsLong() + " "
          + status.health().health() + " " + SyncManager.class.getClassLoader().getClass().getName();
    }
  }

  private static void insert(JdbcDataSource dataSource, int count) {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      s.executeUpdate("INSERT INTO meter_readings (meter_id, read_at, value, unit) "
          + "SELECT 'meter-' || MOD(X, 50), TIMESTAMP WITH TIME ZONE '2026-01-01 00:00:00+00', "
          + "X / 1000.0, 'kWh' FROM SYSTEM_RANGE(1, " + count + ")");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}

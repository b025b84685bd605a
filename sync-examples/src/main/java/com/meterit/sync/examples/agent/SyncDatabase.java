package com.meterit.sync.examples.agent;

import com.meterit.sync.api.ConfigurationException;
import com.meterit.sync.jdbc.JdbcReadingSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;

/** The Sync Database the agent's environment names, and one plain connection to try it. */
final class SyncDatabase {
  private SyncDatabase() {}

  /**
   * {@code SYNC_DB_URL}, or the default ({@link JdbcReadingSource#databaseUrl}).
   *
   * @throws ConfigurationException naming {@code SYNC_DB_URL} when it is unset and the former
   *     default's H2 file is there; checked before anything creates the default's file
   */
  static String url(Map<String, String> env) {
    return JdbcReadingSource.databaseUrl(env);
  }

  /**
   * Connects once and lets go.
   *
   * @throws ConfigurationException naming {@code SYNC_DB_URL} when no driver takes the URL
   * @throws SQLException as the driver reports the failure
   */
  static void probe(String url, Map<String, String> env) throws SQLException {
    if (!url.startsWith("jdbc:")) {
      throw new ConfigurationException(JdbcReadingSource.SYNC_DB_URL,
          JdbcReadingSource.SYNC_DB_URL + " must be a JDBC URL starting with jdbc:");
    }
    try {
      DriverManager.getDriver(url);
    } catch (SQLException e) {
      throw new ConfigurationException(JdbcReadingSource.SYNC_DB_URL, JdbcReadingSource.SYNC_DB_URL
          + " names a database this agent has no driver for (H2, PostgreSQL and SQLite are built in)");
    }
    Properties properties = new Properties();
    putIfSet(properties, "user", env.get(JdbcReadingSource.SYNC_DB_USER));
    putIfSet(properties, "password", env.get(JdbcReadingSource.SYNC_DB_PASSWORD));
    try (Connection c = DriverManager.getConnection(url, properties)) {
      c.isValid(5);
    }
  }

  private static void putIfSet(Properties properties, String key, String value) {
    if (value != null && !value.isEmpty()) {
      properties.setProperty(key, value);
    }
  }
}

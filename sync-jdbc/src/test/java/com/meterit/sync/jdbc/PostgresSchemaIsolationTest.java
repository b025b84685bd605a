package com.meterit.sync.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.meterit.sync.api.Claim;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two tenants of one PostgreSQL database, each in its own schema with its own
 * {@code meter_readings}: preparing one must look only at its own table.
 */
class PostgresSchemaIsolationTest {
  private String url;
  private String prepared;
  private String hosts;

  @BeforeEach
  void createSchemas() throws SQLException {
    url = System.getenv(PostgresDatabase.URL_VARIABLE);
    assumeTrue(url != null, "set " + PostgresDatabase.URL_VARIABLE + " to run against PostgreSQL");
    String suffix = Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
    prepared = "sync_prepared_" + suffix;
    hosts = "sync_host_" + suffix;
    execute(url, "CREATE SCHEMA " + prepared, "CREATE SCHEMA " + hosts);
  }

  @AfterEach
  void dropSchemas() throws SQLException {
    if (prepared != null) {
      execute(url, "DROP SCHEMA IF EXISTS " + prepared + " CASCADE",
          "DROP SCHEMA IF EXISTS " + hosts + " CASCADE");
    }
  }

  @Test
  void addsSyncColumnsToItsOwnTableWhenAnotherSchemaAlreadyHasThem() throws SQLException {
    // Another tenant's meter_readings, already with every sync_* column.
    try (JdbcReadingSource other = JdbcReadingSource.builder(inSchema(prepared), null, null).build()) {
      other.createSchema();
    }
    // This tenant's own readings table, as a host made it, without meter-sync's columns.
    execute(inSchema(hosts), "CREATE TABLE meter_readings (id BIGSERIAL PRIMARY KEY, "
            + "meter_id VARCHAR(128) NOT NULL, read_at TIMESTAMPTZ NOT NULL, "
            + "value NUMERIC NOT NULL, unit VARCHAR(32) NOT NULL, quality VARCHAR(32))",
        "INSERT INTO meter_readings (meter_id, read_at, value, unit) "
            + "VALUES ('meter-1', '2026-01-01 00:15:00+00', 1.500, 'kWh')");

    try (JdbcReadingSource source = JdbcReadingSource.builder(inSchema(hosts), null, null).build()) {
      source.createSchema();
      Claim claim = source.claim(10);
      assertEquals(1, claim.readings().size());
      assertEquals("meter-1", claim.readings().get(0).meterId());
    }
  }

  private String inSchema(String schema) {
    return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  private static void execute(String url, String... statements) throws SQLException {
    try (Connection c = java.sql.DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    }
  }
}

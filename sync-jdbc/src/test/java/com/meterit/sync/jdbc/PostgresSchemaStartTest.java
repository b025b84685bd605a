package com.meterit.sync.jdbc;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Workers that prepare the schema of a PostgreSQL table others already use, or that start
 * together on an empty database. Found by a kill-and-restart soak of two agents on one table: a
 * restarted agent's {@code CREATE INDEX IF NOT EXISTS} took share locks that deadlocked with a
 * running worker's settlement, and the agent exited as if the database were unusable.
 */
class PostgresSchemaStartTest {
  private String url;
  private String schema;

  @BeforeEach
  void createSchema() throws SQLException {
    String base = System.getenv(PostgresDatabase.URL_VARIABLE);
    assumeTrue(base != null, "set " + PostgresDatabase.URL_VARIABLE + " to run against PostgreSQL");
    schema = "sync_start_" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
    execute(base, "CREATE SCHEMA " + schema);
    url = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  @AfterEach
  void dropSchema() throws SQLException {
    if (schema != null) {
      execute(System.getenv(PostgresDatabase.URL_VARIABLE), "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }

  @Test
  void aWorkerStartingBesideARunningOneTakesNoLockOnItsTables() throws Exception {
    try (JdbcReadingSource first = JdbcReadingSource.builder(url, null, null).build()) {
      first.createSchema();
    }
    try (Connection running = DriverManager.getConnection(url)) {
      running.setAutoCommit(false);
      try (Statement s = running.createStatement()) {
        // What a running worker's claim or settlement holds mid-transaction.
        s.execute("LOCK TABLE meter_readings_batches IN ROW EXCLUSIVE MODE");
        CompletableFuture<Void> starting = CompletableFuture.runAsync(() -> {
          try (JdbcReadingSource second = JdbcReadingSource.builder(url, null, null).build()) {
            second.createSchema();
          }
        });
        try {
          starting.get(10, TimeUnit.SECONDS);
        } finally {
          running.rollback();
          starting.join();
        }
      }
    }
  }

  @Test
  void workersPreparingOneEmptyDatabaseTakeTurns() throws Exception {
    try (Connection other = DriverManager.getConnection(url)) {
      other.setAutoCommit(false);
      try (PreparedStatement lock = other.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
        lock.setLong(1, Schema.lockKey("meter_readings"));
        lock.execute();
      }
      CompletableFuture<Void> starting = CompletableFuture.runAsync(() -> {
        try (JdbcReadingSource source = JdbcReadingSource.builder(url, null, null).build()) {
          source.createSchema();
        }
      });
      try {
        await("a second preparation waits for the first").atMost(Duration.ofSeconds(10))
            .until(() -> waitingForAdvisoryLock(other) > 0);
        assertFalse(starting.isDone());
      } finally {
        other.rollback();
      }
      starting.get(10, TimeUnit.SECONDS);
    }
    try (JdbcReadingSource after = JdbcReadingSource.builder(url, null, null).build()) {
      after.createSchema();
      assertEquals(0, after.pendingCount(), "the schema was created once and is usable");
    }
  }

  /** How many other sessions of this database wait for an advisory lock. */
  private static long waitingForAdvisoryLock(Connection c) throws SQLException {
    try (PreparedStatement waiting = c.prepareStatement(
        "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
            + " AND pid <> pg_backend_pid()"
            + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())");
        ResultSet rs = waiting.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void execute(String url, String... statements) throws SQLException {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    }
  }
}

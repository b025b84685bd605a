package com.meterit.sync.jdbc;

import com.meterit.sync.api.SyncHistory;
import com.meterit.sync.api.SyncOutcome;
import com.meterit.sync.api.SyncRun;
import com.meterit.sync.api.SyncStats;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Sync history in the Sync Database, so that {@code getSyncStats(24)} survives a restart.
 * Obtained from {@link JdbcReadingSource#history()}; its table is created with the source's
 * schema, and old rows are purged by {@link JdbcReadingSource#purge()}. Thread-safe.
 */
public final class JdbcSyncHistory implements SyncHistory {
  private static final int MAX_ERROR_LENGTH = 1000;

  private final Jdbc jdbc;
  private final Statements sql;

  JdbcSyncHistory(Jdbc jdbc, Statements sql) {
    this.jdbc = jdbc;
    this.sql = sql;
  }

  @Override
  public void record(SyncRun run) {
    Objects.requireNonNull(run, "run");
    if (run.outcome() == SyncOutcome.SKIPPED) {
      return;
    }
    jdbc.inTransaction("recording a sync run", c -> {
      try (PreparedStatement insert = c.prepareStatement(sql.insertRun())) {
        insert.setLong(1, run.startedAt().toEpochMilli());
        insert.setLong(2, run.finishedAt().toEpochMilli());
        insert.setString(3, run.outcome().name());
        insert.setLong(4, run.readingsSynced());
        insert.setLong(5, run.readingsRejected());
        insert.setLong(6, run.bytesSent());
        insert.setInt(7, run.batches());
        String error = run.error().orElse(null);
        insert.setString(8, error == null || error.length() <= MAX_ERROR_LENGTH
            ? error : error.substring(0, MAX_ERROR_LENGTH));
        return insert.executeUpdate();
      }
    });
  }

  @Override
  public SyncStats summarize(Instant from, Instant to) {
    return jdbc.inTransaction("summarizing sync runs", c -> {
      try (PreparedStatement select = c.prepareStatement(sql.summarizeRuns())) {
        select.setLong(1, ceilMillis(from));
        select.setLong(2, to.toEpochMilli());
        try (ResultSet rs = select.executeQuery()) {
          rs.next();
          long runs = rs.getLong(1);
          long totalMillis = rs.getLong(7);
          long lastSuccess = rs.getLong(9);
          boolean anySuccess = !rs.wasNull();
          return SyncStats.builder(Duration.between(from, to))
              .setRuns(runs, rs.getLong(2), rs.getLong(3))
              .setReadings(rs.getLong(4), rs.getLong(5))
              .setBytesSent(rs.getLong(6))
              .setRunDurations(
                  runs == 0 ? Duration.ZERO : Duration.ofMillis(totalMillis / runs),
                  Duration.ofMillis(rs.getLong(8)))
              .setLastSuccessAt(anySuccess ? Instant.ofEpochMilli(lastSuccess) : null)
              .build();
        }
      }
    });
  }

  /**
   * The most recent runs, newest first, for an operator's status view. Skipped runs are never
   * recorded, so they never appear here.
   *
   * @param limit the most to return, 1 to 1000
   */
  public List<SyncRun> recentRuns(int limit) {
    if (limit < 1 || limit > 1000) {
      throw new IllegalArgumentException("limit must be between 1 and 1000: " + limit);
    }
    return jdbc.inTransaction("listing recent sync runs", c -> {
      List<SyncRun> runs = new ArrayList<>();
      try (PreparedStatement statement = c.prepareStatement(sql.recentRuns())) {
        statement.setInt(1, limit);
        try (ResultSet rs = statement.executeQuery()) {
          while (rs.next()) {
            Instant started = Instant.ofEpochMilli(rs.getLong(1));
            Instant finished = Instant.ofEpochMilli(Math.max(rs.getLong(1), rs.getLong(2)));
            runs.add(new SyncRun(started, finished, outcome(rs.getString(3)), rs.getLong(4),
                rs.getLong(5), rs.getLong(6), rs.getInt(7), rs.getString(8)));
          }
        }
      }
      return runs;
    });
  }

  private static SyncOutcome outcome(String name) {
    try {
      return SyncOutcome.valueOf(name);
    } catch (IllegalArgumentException | NullPointerException e) {
      // Written by a newer meter-sync; shown as a failure rather than hiding the run.
      return SyncOutcome.FAILED;
    }
  }

  /**
   * The history table as the statements quote it. Statements keeps the name to itself; the
   * insert statement is where it is spelled out.
   */
  /** Runs are stored in whole milliseconds; rounding {@code from} up keeps [from, to] exact. */
  private static long ceilMillis(Instant instant) {
    long millis = instant.toEpochMilli();
    return instant.getNano() % 1_000_000 == 0 ? millis : millis + 1;
  }

  @Override
  public String toString() {
    return "JdbcSyncHistory{dialect=" + sql.dialect + '}';
  }
}

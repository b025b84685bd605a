package com.meterit.sync.jdbc;

import com.meterit.sync.api.Claim;
import com.meterit.sync.api.PendingCount;
import com.meterit.sync.api.Reading;
import com.meterit.sync.api.Rejection;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What both claim models do to the readings table, on a connection whose transaction the caller
 * owns: settle a batch's readings, quarantine, read a journaled batch back. Thread-safe.
 */
final class QueueRows {
  private static final Logger log = LoggerFactory.getLogger(QueueRows.class);

  final Statements sql;
  final RowReader rows;

  QueueRows(Statements sql, RowReader rows) {
    this.sql = sql;
    this.rows = rows;
  }

  /**
   * Applies the server's answer to a batch: the rejected readings quarantined, the rest synced.
   * Rejections of readings outside the batch are ignored: they are not this batch's to settle.
   */
  void settle(Connection c, Claim claim, List<Rejection> rejected, long now) throws SQLException {
    if (rejected.isEmpty()) {
      // The usual answer, all accepted: no id sets to build.
      acknowledge(c, IdRangeCodec.ofReadings(claim.readings()), now);
      return;
    }
    Set<Long> inBatch = new HashSet<>();
    claim.readings().forEach(r -> inBatch.add(r.id()));
    List<Rejection> ours = new ArrayList<>(rejected.size());
    Set<Long> refused = new HashSet<>();
    for (Rejection r : rejected) {
      if (inBatch.contains(r.readingId()) && refused.add(r.readingId())) {
        ours.add(r);
      }
    }
    if (ours.size() < rejected.size()) {
      log.warn("Ignored {} rejection(s) of readings not in {} (or repeated)",
          rejected.size() - ours.size(), claim);
    }
    List<Long> accepted = new ArrayList<>(inBatch.size());
    for (Reading r : claim.readings()) {
      if (!refused.contains(r.id())) {
        accepted.add(r.id());
      }
    }
    acknowledge(c, IdRangeCodec.of(accepted), now);
    quarantine(c, ours);
  }

  private void acknowledge(Connection c, List<long[]> ranges, long now) throws SQLException {
    if (ranges.isEmpty()) {
      return;
    }
    try (PreparedStatement ack = c.prepareStatement(sql.acknowledgeRange())) {
      if (ranges.size() == 1) {
        // One run, the usual batch: a plain statement, not a JDBC batch of one.
        ack.setLong(1, now);
        ack.setLong(2, ranges.get(0)[0]);
        ack.setLong(3, ranges.get(0)[1]);
        ack.executeUpdate();
        return;
      }
      for (long[] range : ranges) {
        ack.setLong(1, now);
        ack.setLong(2, range[0]);
        ack.setLong(3, range[1]);
        ack.addBatch();
      }
      ack.executeBatch();
    }
  }

  void quarantine(Connection c, Collection<Rejection> rejections) throws SQLException {
    if (rejections.isEmpty()) {
      return;
    }
    try (PreparedStatement update = c.prepareStatement(sql.quarantine())) {
      for (Rejection r : rejections) {
        update.setString(1, r.reason());
        update.setLong(2, r.readingId());
        update.addBatch();
      }
      update.executeBatch();
    }
  }

  /** Runs a statement with two range parameters once per range. */
  void forEachRange(Connection c, String statement, List<long[]> ranges) throws SQLException {
    if (ranges.isEmpty()) {
      return;
    }
    try (PreparedStatement update = c.prepareStatement(statement)) {
      for (long[] range : ranges) {
        update.setLong(1, range[0]);
        update.setLong(2, range[1]);
        update.addBatch();
      }
      update.executeBatch();
    }
  }

  /**
   * Reads a journaled batch back by its ranges, in the status its readings have while journaled,
   * ascending by id. A row that is no longer a valid reading goes into {@code unreadable}, and is
   * not quarantined: the batch may have reached the server, so its other readings must not go
   * out in another batch ({@link #setAside}).
   */
  List<Reading> readBatch(Connection c, Journal.Batch batch, int status,
      List<Rejection> unreadable) throws SQLException {
    List<Reading> readings = new ArrayList<>(Math.min(batch.size, 10_000));
    try (PreparedStatement select = c.prepareStatement(
        sql.rowsInRange(rows.columns(c, ""), status))) {
      for (long[] range : batch.ranges) {
        select.setLong(1, range[0]);
        select.setLong(2, range[1]);
        try (ResultSet rs = select.executeQuery()) {
          rows.read(rs, id -> true, readings, unreadable);
        }
      }
    }
    return readings;
  }

  /**
   * Takes the write lock at the start of a transaction where a claim that reads first could not
   * write later (SQLite); elsewhere does nothing.
   */
  void beginWrite(Connection c, Journal journal) throws SQLException {
    String statement = sql.dialect.beginWrite(journal.table);
    if (statement != null) {
      try (Statement s = c.createStatement()) {
        s.executeUpdate(statement);
      }
    }
  }

  /**
   * The lowest pending id, or one above the highest id when nothing is pending (the next reading
   * will be written above every id there is). A walk of the primary key that stops at the first
   * pending row.
   */
  long lowestPending(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery(sql.lowestPending())) {
        if (rs.next()) {
          return rs.getLong(1);
        }
      }
      try (ResultSet rs = s.executeQuery(sql.highestId())) {
        rs.next();
        return rs.getLong(1) + 1;
      }
    }
  }

  /** Rows of a status from an id up. */
  long count(Connection c, int status, long floor) throws SQLException {
    try (PreparedStatement count = c.prepareStatement(sql.count(status))) {
      count.setLong(1, floor);
      try (ResultSet rs = count.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** Pending and claimed rows from an id up, both in one snapshot. */
  long countUnsettled(Connection c, long floor) throws SQLException {
    try (PreparedStatement count = c.prepareStatement(sql.countUnsettled())) {
      count.setLong(1, floor);
      count.setLong(2, floor);
      try (ResultSet rs = count.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** Rows of a status from an id up, counted up to {@code limit}. */
  long countUpTo(Connection c, int status, long floor, long limit) throws SQLException {
    try (PreparedStatement count = c.prepareStatement(sql.countUpTo(status))) {
      count.setLong(1, floor);
      count.setLong(2, limit);
      try (ResultSet rs = count.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** The highest id in the table, or 0 when it is empty. */
  long highestId(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql.highestId())) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * A pending count that stays cheap however long the backlog: counted from {@code from} up to
   * {@code exactUpTo}; past that, estimated from the span of ids above {@code from} (every id
   * there pending, at most off by the quarantined and the gaps), plus {@code extra}.
   *
   * @param from no pending reading has a lower id
   * @param extra readings pending elsewhere, already counted
   */
  PendingCount boundedCount(Connection c, long from, long extra, long exactUpTo)
      throws SQLException {
    long counted = extra + countUpTo(c, Statements.PENDING, from, exactUpTo + 1 - Math.min(extra, exactUpTo));
    if (counted <= exactUpTo) {
      return PendingCount.exact(counted);
    }
    long span = highestId(c) - from + 1;
    return PendingCount.estimate(Math.max(counted, extra + span));
  }

  /**
   * The timestamp of the lowest-id row of a status from an id up; empty when there is none, or
   * when that row is not a valid reading (the next claim quarantines it).
   */
  Optional<Instant> oldest(Connection c, int status, long floor) throws SQLException {
    List<Reading> first = new ArrayList<>(1);
    try (PreparedStatement select = c.prepareStatement(
        sql.lowestRow(rows.columns(c, ""), status))) {
      select.setLong(1, floor);
      try (ResultSet rs = select.executeQuery()) {
        rows.read(rs, id -> true, first, new ArrayList<>(1));
      }
    }
    return first.isEmpty() ? Optional.empty() : Optional.of(first.get(0).timestamp());
  }

  /**
   * Checks a batch read back against its journaled digest. A difference means rows were changed
   * behind meter-sync's back: the batch goes out under a new id, which a server may count twice.
   */
  /**
   * Says why a journaled batch is not sent: some of its rows no longer read as readings (the
   * read-at unit or the value bounds changed with an upgrade, or a row was edited). It may have
   * reached the server, so sending the rest under a new id could count them twice, and
   * quarantining those rows would send them later in another batch. It stays journaled, its
   * readings pending, and is tried again a lease later: once the rows read as before, it goes out
   * unchanged.
   */
  static void setAside(Journal.Batch batch, List<Rejection> unreadable) {
    log.error("Journaled {} is set aside, not sent: {} of its readings no longer read as "
        + "readings, first {}: {}. It may have reached the Client System, so it is sent only "
        + "as it was; restore those rows (or declare their read-at unit with "
        + "ReadingsTable.Builder.setNumericTimestampUnit) and it goes out unchanged",
        batch, unreadable.size(), unreadable.get(0).readingId(), unreadable.get(0).reason());
  }

  static void checkDigest(Journal.Batch batch, Claim claim) {
    if (!claim.batch().batchId().equals(batch.batchId)) {
      log.error("Journaled {} changed in the Sync Database: it now has {} readings and id {}; "
          + "sending it as it is now, so the server may count changed readings twice",
          batch, claim.size(), claim.batch().batchId());
    }
  }
}

package com.meterit.sync.jdbc;

import com.meterit.sync.api.Claim;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The batch journal: one row per batch formed and not yet settled, written in the transaction
 * that forms the batch, so before it can be sent. Its readings are stored as id ranges, and the
 * batch id (the content digest) beside them, to detect rows altered behind meter-sync's back.
 *
 * <p>A row also carries the batch's hold: the owner (worker id), a token that changes at every
 * new hold, and the lease end. {@link TableLeases} keeps holds here (lease times in the
 * database's clock); {@link EmbeddedClaims} keeps them in memory and uses the row only to find
 * the batch again after a restart. A claim's key is {@code <row id>:<token>}.
 *
 * <p>The SQL and the statements that run it, on a connection the caller's transaction owns.
 * Thread-safe.
 */
final class Journal {
  final String table;
  final String rawTable;
  private final Dialect dialect;
  private final String id;
  private final String batchId;
  private final String owner;
  private final String token;
  private final String leaseUntil;
  private final String firstId;
  private final String lastId;
  private final String ranges;
  private final String size;
  private final String createdAt;
  /** The lease end for a bound lease length: the database's clock plus it, or the bound end. */
  private final String leaseEnd;

  Journal(Dialect dialect, ReadingsTable names) {
    this.dialect = dialect;
    this.rawTable = names.journalTable;
    this.table = dialect.quote(names.journalTable);
    this.id = dialect.quote("id");
    this.batchId = dialect.quote("batch_id");
    this.owner = dialect.quote("owner");
    this.token = dialect.quote("token");
    this.leaseUntil = dialect.quote("lease_until");
    this.firstId = dialect.quote("first_id");
    this.lastId = dialect.quote("last_id");
    this.ranges = dialect.quote("ranges");
    this.size = dialect.quote("size");
    this.createdAt = dialect.quote("created_at");
    this.leaseEnd = dialect.dbNowMillis() == null ? "?" : dialect.dbNowMillis() + " + ?";
  }

  /** One journaled batch, as stored. */
  static final class Batch {
    final long id;
    final String batchId;
    final String owner;
    final long token;
    final List<long[]> ranges;
    final long firstId;
    final long lastId;
    final int size;

    Batch(long id, String batchId, String owner, long token, List<long[]> ranges, int size) {
      this.id = id;
      this.batchId = batchId;
      this.owner = owner;
      this.token = token;
      this.ranges = ranges;
      this.firstId = ranges.isEmpty() ? 0 : ranges.get(0)[0];
      this.lastId = ranges.isEmpty() ? 0 : ranges.get(ranges.size() - 1)[1];
      this.size = size;
    }

    Batch withHold(String newOwner, long newToken) {
      return new Batch(id, batchId, newOwner, newToken, ranges, size);
    }

    String key() {
      return Journal.key(id, token);
    }

    @Override
    public String toString() {
      return "batch " + batchId + " (journal row " + id + ", " + size + " readings from id "
          + firstId + ")";
    }
  }

  /** A new journal row id or hold token: random, positive, never 0. */
  static long newId() {
    return ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
  }

  static String key(long rowId, long holdToken) {
    return rowId + ":" + holdToken;
  }

  /**
   * The row id and token of a claim's key.
   *
   * @throws IllegalArgumentException when the claim is empty or not one of a JDBC source
   */
  static long[] parseKey(Claim claim) {
    String key = claim.key();
    int colon = key.indexOf(':');
    try {
      return new long[] {Long.parseLong(key.substring(0, colon)),
          Long.parseLong(key.substring(colon + 1))};
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a claim of a JdbcReadingSource: " + claim);
    }
  }

  // ---- schema

  String createTable() {
    return "CREATE TABLE IF NOT EXISTS " + table + " (" + id + " BIGINT NOT NULL PRIMARY KEY, "
        + batchId + " VARCHAR(32) NOT NULL, " + owner + " VARCHAR(64) NOT NULL, "
        + token + " BIGINT NOT NULL, " + leaseUntil + " BIGINT NOT NULL, "
        + firstId + " BIGINT NOT NULL, " + lastId + " BIGINT NOT NULL, "
        + ranges + " " + dialect.longTextType() + " NOT NULL, " + size + " INTEGER NOT NULL, "
        + createdAt + " BIGINT NOT NULL)";
  }

  List<String> createIndexes() {
    List<String> ddl = new ArrayList<>();
    ddl.add("CREATE INDEX IF NOT EXISTS " + dialect.quote(rawTable + "_first") + " ON " + table
        + " (" + firstId + ")");
    if (dialect.dbNowMillis() != null) {
      // Takeovers look for lapsed leases; with many workers the table holds many batches.
      ddl.add("CREATE INDEX IF NOT EXISTS " + dialect.quote(rawTable + "_lease") + " ON " + table
          + " (" + leaseUntil + ")");
    }
    return ddl;
  }

  // ---- statements

  /**
   * Journals a batch.
   *
   * @param lease the lease length in ms where the database's clock judges leases, else its end
   */
  void insert(Connection c, Batch b, long lease, long now) throws SQLException {
    try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + table + " (" + id + ", "
        + batchId + ", " + owner + ", " + token + ", " + leaseUntil + ", " + firstId + ", "
        + lastId + ", " + ranges + ", " + size + ", " + createdAt + ") VALUES (?, ?, ?, ?, "
        + leaseEnd + ", ?, ?, ?, ?, ?)")) {
      insert.setLong(1, b.id);
      insert.setString(2, b.batchId);
      insert.setString(3, b.owner);
      insert.setLong(4, b.token);
      insert.setLong(5, lease);
      insert.setLong(6, b.firstId);
      insert.setLong(7, b.lastId);
      insert.setString(8, IdRangeCodec.format(b.ranges));
      insert.setInt(9, b.size);
      insert.setLong(10, now);
      insert.executeUpdate();
    }
  }

  /**
   * Deletes a batch's row if {@code holdToken} still holds it.
   *
   * @return whether it did
   */
  boolean deleteHeld(Connection c, long rowId, long holdToken) throws SQLException {
    try (PreparedStatement delete = c.prepareStatement("DELETE FROM " + table + " WHERE " + id
        + " = ? AND " + token + " = ?")) {
      delete.setLong(1, rowId);
      delete.setLong(2, holdToken);
      return delete.executeUpdate() == 1;
    }
  }

  /** Every journaled batch, lowest first id first. */
  List<Batch> all(Connection c) throws SQLException {
    List<Batch> batches = new ArrayList<>();
    try (PreparedStatement select = c.prepareStatement("SELECT " + id + ", " + batchId + ", "
        + owner + ", " + token + ", " + ranges + ", " + size + " FROM " + table + " ORDER BY "
        + firstId);
        ResultSet rs = select.executeQuery()) {
      while (rs.next()) {
        batches.add(new Batch(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4),
            IdRangeCodec.parse(rs.getString(5)), rs.getInt(6)));
      }
    }
    return batches;
  }

  /**
   * Database clock: holds the journaled batch with the lowest first id whose lease lapsed or
   * was given back, skipping rows another worker is taking over at this moment.
   *
   * @return the batch under its new hold, or null when there is none
   */
  Batch takeOver(Connection c, String newOwner, long newToken, long lease) throws SQLException {
    try (PreparedStatement update = c.prepareStatement("UPDATE " + table + " SET " + owner
        + " = ?, " + token + " = ?, " + leaseUntil + " = " + leaseEnd + " WHERE " + id
        + " = (SELECT " + id + " FROM " + table + " WHERE " + leaseUntil + " < "
        + dialect.dbNowMillis() + " ORDER BY " + firstId + " LIMIT 1 FOR UPDATE SKIP LOCKED)"
        + " RETURNING " + id + ", " + batchId + ", " + ranges + ", " + size)) {
      update.setString(1, newOwner);
      update.setLong(2, newToken);
      update.setLong(3, lease);
      try (ResultSet rs = update.executeQuery()) {
        return rs.next() ? new Batch(rs.getLong(1), rs.getString(2), newOwner, newToken,
            IdRangeCodec.parse(rs.getString(3)), rs.getInt(4)) : null;
      }
    }
  }

  /**
   * Database clock: gives a held batch back, due at once, under a token no claim has, so that
   * the released claim holds nothing.
   *
   * @return whether the claim held it
   */
  boolean release(Connection c, long rowId, long holdToken) throws SQLException {
    try (PreparedStatement update = c.prepareStatement("UPDATE " + table + " SET " + leaseUntil
        + " = 0, " + token + " = ? WHERE " + id + " = ? AND " + token + " = ?")) {
      update.setLong(1, newId());
      update.setLong(2, rowId);
      update.setLong(3, holdToken);
      return update.executeUpdate() == 1;
    }
  }

  /**
   * Database clock: extends the leases of held batches.
   *
   * @return per key, whether still held
   */
  boolean[] renew(Connection c, List<long[]> keys, long lease) throws SQLException {
    boolean[] held = new boolean[keys.size()];
    try (PreparedStatement update = c.prepareStatement("UPDATE " + table + " SET " + leaseUntil
        + " = " + leaseEnd + " WHERE " + id + " = ? AND " + token + " = ?")) {
      for (int i = 0; i < keys.size(); i++) {
        update.setLong(1, lease);
        update.setLong(2, keys.get(i)[0]);
        update.setLong(3, keys.get(i)[1]);
        held[i] = update.executeUpdate() == 1;
      }
    }
    return held;
  }

  /**
   * Database clock: makes every batch of {@code worker} due at once.
   *
   * @return how many
   */
  int recover(Connection c, String worker) throws SQLException {
    try (PreparedStatement update = c.prepareStatement("UPDATE " + table + " SET " + leaseUntil
        + " = 0 WHERE " + owner + " = ? AND " + leaseUntil + " > 0")) {
      update.setString(1, worker);
      return update.executeUpdate();
    }
  }

  /**
   * A condition on readings aliased {@code r}: in no journaled batch's id span. Conservative: a
   * reading between a batch's first and last id is kept even when the batch skipped it.
   */
  String notJournaled(String readingId) {
    return " AND NOT EXISTS (SELECT 1 FROM " + table + " j WHERE r." + readingId + " BETWEEN j."
        + firstId + " AND j." + lastId + ")";
  }
}

package com.meterit.sync.jdbc;

import java.util.ArrayList;
import java.util.List;

/**
 * Every SQL statement meter-sync runs, built once per source from the dialect and the configured
 * names. Names were checked as plain identifiers and are quoted here; values are always bound.
 */
final class Statements {
  /**
   * The {@code sync_status} values. Literals in SQL, so that partial indexes apply. The unsettled
   * ones sort below {@link #SYNCED}; queries rely on that.
   */
  static final int PENDING = 0;
  static final int CLAIMED = 1;
  static final int SYNCED = 2;
  static final int QUARANTINED = 3;
  static final int DROPPED = 4;

  /** The schema version this code writes. Bump it with a migration step in {@link Schema}. */
  static final int SCHEMA_VERSION = 2;

  /** The longest prefix of a column shown in a quarantine listing: {@value}. */
  static final int LISTED_LENGTH = 200;
  static final int LISTED_REASON_LENGTH = 500;

  final Dialect dialect;
  final String table;
  /** The quoted id column, for the journal's conditions on readings. */
  final String idColumn;
  final String rawTable;
  private final String id;
  private final String meterId;
  private final String readAt;
  private final String value;
  private final String unit;
  private final String quality;
  private final String status;
  private final String claim;
  private final String owner;
  private final String leaseUntil;
  private final String attempts;
  private final String syncedAt;
  private final String reason;
  private final String history;
  /** The history table's name, unquoted. */
  final String rawHistory;

  Statements(Dialect dialect, ReadingsTable names) {
    this.dialect = dialect;
    this.rawTable = names.table;
    this.table = dialect.quote(names.table);
    this.id = dialect.quote(names.id);
    this.idColumn = id;
    this.meterId = dialect.quote(names.meterId);
    this.readAt = dialect.quote(names.readAt);
    this.value = dialect.quote(names.value);
    this.unit = dialect.quote(names.unit);
    this.quality = dialect.quote(names.quality);
    this.status = dialect.quote("sync_status");
    this.claim = dialect.quote("sync_claim");
    this.owner = dialect.quote("sync_lease_owner");
    this.leaseUntil = dialect.quote("sync_lease_until");
    this.attempts = dialect.quote("sync_attempts");
    this.syncedAt = dialect.quote("sync_synced_at");
    this.reason = dialect.quote("sync_reason");
    this.rawHistory = names.historyTable;
    this.history = dialect.quote(names.historyTable);
  }

  // ---- schema

  String createSchemaTable() {
    return "CREATE TABLE IF NOT EXISTS " + dialect.quote("meter_sync_schema") + " ("
        + dialect.quote("table_name") + " VARCHAR(63) NOT NULL PRIMARY KEY, "
        + dialect.quote("version") + " INTEGER NOT NULL)";
  }

  String selectSchemaVersion() {
    return "SELECT " + dialect.quote("version") + " FROM " + dialect.quote("meter_sync_schema")
        + " WHERE " + dialect.quote("table_name") + " = ?";
  }

  String insertSchemaVersion() {
    return "INSERT INTO " + dialect.quote("meter_sync_schema") + " (" + dialect.quote("table_name")
        + ", " + dialect.quote("version") + ") VALUES (?, ?)";
  }

  String updateSchemaVersion() {
    return "UPDATE " + dialect.quote("meter_sync_schema") + " SET " + dialect.quote("version")
        + " = ? WHERE " + dialect.quote("table_name") + " = ?";
  }

  String createReadingsTable() {
    StringBuilder ddl = new StringBuilder("CREATE TABLE IF NOT EXISTS ").append(table).append(" (")
        .append(dialect.idColumn(rawColumnName(id))).append(", ")
        .append(meterId).append(" VARCHAR(128) NOT NULL, ")
        .append(readAt).append(' ').append(dialect.timestampType()).append(" NOT NULL, ")
        .append(value).append(' ').append(dialect.valueType()).append(" NOT NULL, ")
        .append(unit).append(" VARCHAR(32) NOT NULL, ")
        .append(quality).append(" VARCHAR(32)");
    for (String[] column : syncColumns()) {
      ddl.append(", ").append(column[0]).append(' ').append(column[1]);
    }
    return ddl.append(')').toString();
  }

  /** The library's own columns: quoted name and definition, for CREATE and for ALTER. */
  List<String[]> syncColumns() {
    List<String[]> columns = new ArrayList<>();
    columns.add(new String[] {status, "SMALLINT DEFAULT 0 NOT NULL"});
    columns.add(new String[] {claim, "BIGINT"});
    columns.add(new String[] {owner, "VARCHAR(64)"});
    columns.add(new String[] {leaseUntil, "BIGINT"});
    columns.add(new String[] {attempts, "INTEGER DEFAULT 0 NOT NULL"});
    columns.add(new String[] {syncedAt, "BIGINT"});
    columns.add(new String[] {reason, "VARCHAR(500)"});
    return columns;
  }

  String addColumn(String[] column) {
    return "ALTER TABLE " + table + " ADD COLUMN " + column[0] + ' ' + column[1];
  }

  List<String> createIndexes() {
    List<String> ddl = new ArrayList<>();
    if (dialect.partialIndexes()) {
      ddl.add(partialIndex("sync_pending", id, PENDING));
      ddl.add(partialIndex("sync_claimed", leaseUntil, CLAIMED));
      ddl.add(partialIndex("sync_synced", id, SYNCED));
      ddl.add(partialIndex("sync_quarantined", id, QUARANTINED));
      ddl.add(partialIndex("sync_dropped", id, DROPPED));
    }
    // Elsewhere the primary key serves the queue, from the lowest pending id (QueueFloor).
    return ddl;
  }

  private String partialIndex(String suffix, String column, int statusValue) {
    return "CREATE INDEX IF NOT EXISTS " + dialect.quote(rawTable + "_" + suffix) + " ON " + table
        + " (" + column + ") WHERE " + status + " = " + statusValue;
  }

  String createHistoryTable() {
    return "CREATE TABLE IF NOT EXISTS " + history + " ("
        + dialect.idColumn("id") + ", "
        + dialect.quote("started_at") + " BIGINT NOT NULL, "
        + dialect.quote("finished_at") + " BIGINT NOT NULL, "
        + dialect.quote("outcome") + " VARCHAR(16) NOT NULL, "
        + dialect.quote("readings_synced") + " BIGINT NOT NULL, "
        + dialect.quote("readings_rejected") + " BIGINT NOT NULL, "
        + dialect.quote("bytes_sent") + " BIGINT NOT NULL, "
        + dialect.quote("batches") + " INTEGER NOT NULL, "
        + dialect.quote("error") + " VARCHAR(1000))";
  }

  String createHistoryIndex() {
    return "CREATE INDEX IF NOT EXISTS " + dialect.quote(rawHistory + "_started") + " ON " + history
        + " (" + dialect.quote("started_at") + ")";
  }

  /** The name the database reports for one of our quoted identifiers. */
  static String rawColumnName(String quoted) {
    return quoted.substring(1, quoted.length() - 1);
  }

  // ---- the queue

  /**
   * PostgreSQL: claim, skipping rows other workers hold, and return the rows in one statement.
   * Rows only change status; the lease is the batch's journal row. The lower bound keeps the
   * index scan off the dead entries that claimed rows leave until vacuum.
   *
   * @param columns the bounded select list of {@link RowReader}, with the alias {@code r.}
   */
  String claimReturning(String columns) {
    return "WITH c AS (SELECT " + id + " FROM " + table + " WHERE " + id + " >= ? AND " + status
        + " = " + PENDING + " ORDER BY " + id + " LIMIT ? FOR UPDATE SKIP LOCKED) "
        + "UPDATE " + table + " AS r SET " + status + " = " + CLAIMED + ", " + attempts + " = r."
        + attempts + " + 1 FROM c WHERE r." + id + " = c." + id + " RETURNING " + columns;
  }

  /**
   * H2 and SQLite: the oldest pending rows from an id on. Claims are held in the process there
   * (see {@link EmbeddedClaims}), so forming a batch is this one indexed read and a journal row.
   */
  String pendingFrom(String columns) {
    return "SELECT " + columns + " FROM " + table + " WHERE " + id + " >= ? AND " + status + " = "
        + PENDING + " ORDER BY " + id + " LIMIT ?";
  }

  /** The rows of one id range of a journaled batch, in their status while journaled. */
  String rowsInRange(String columns, int statusValue) {
    return "SELECT " + columns + " FROM " + table + " WHERE " + id + " BETWEEN ? AND ? AND "
        + status + " = " + statusValue + " ORDER BY " + id;
  }

  /**
   * Counts an attempt for the rows of a range in a status: on H2 and SQLite when a batch is
   * released (the claim itself was never written), on PostgreSQL when a batch is taken over.
   */
  String countAttempts(int statusValue) {
    return "UPDATE " + table + " SET " + attempts + " = " + attempts + " + 1 WHERE " + id
        + " BETWEEN ? AND ? AND " + status + " = " + statusValue;
  }

  /** PostgreSQL: readings of a re-formed batch that are in no part are pending again. */
  String unclaimRange() {
    return "UPDATE " + table + " SET " + status + " = " + PENDING + " WHERE " + id
        + " BETWEEN ? AND ? AND " + status + " = " + CLAIMED;
  }

  /**
   * Puts rows that version 1 left claimed (leases in the rows) back in the queue: version 2 keeps
   * leases in the journal, which knows nothing of them.
   */
  String unclaimAll() {
    return "UPDATE " + table + " SET " + status + " = " + PENDING + ", " + clearLease() + " WHERE "
        + status + " = " + CLAIMED;
  }

  /**
   * {@code < SYNCED} rather than {@code IN (PENDING, CLAIMED)} so that H2 walks the primary key
   * range instead of every pending row of its status index.
   */
  String acknowledgeRange() {
    return "UPDATE " + table + " SET " + status + " = " + SYNCED + ", " + syncedAt + " = ? WHERE "
        + id + " BETWEEN ? AND ? AND " + status + " < " + SYNCED;
  }

  String quarantine() {
    // Where claims live in memory, the claim that ends in quarantine was not counted yet.
    String countAttempt = dialect.sharedClaims() ? "" : attempts + " = " + attempts + " + 1, ";
    return "UPDATE " + table + " SET " + status + " = " + QUARANTINED + ", " + reason + " = ?, "
        + countAttempt + clearLease() + " WHERE " + id + " = ? AND " + status + " < " + SYNCED;
  }

  private String clearLease() {
    return claim + " = NULL, " + owner + " = NULL, " + leaseUntil + " = NULL";
  }

  /**
   * Pending and claimed rows, from an id up, in one statement: under READ COMMITTED each statement
   * sees its own snapshot, and a batch claimed between two counts would be counted twice. Each
   * scalar subquery keeps its status's partial index.
   */
  String countUnsettled() {
    return "SELECT (" + count(PENDING) + ") + (" + count(CLAIMED) + ")";
  }

  /** Rows of a status from an id up; the bound lets the primary key serve where no index does. */
  String count(int statusValue) {
    return "SELECT COUNT(*) FROM " + table + " WHERE " + id + " >= ? AND " + status + " = "
        + statusValue;
  }

  /**
   * Rows of a status from an id up, counted up to ?: a walk that stops after the limit, for a
   * count that must stay cheap however long the backlog.
   */
  String countUpTo(int statusValue) {
    return "SELECT COUNT(*) FROM (SELECT " + id + " FROM " + table + " WHERE " + id + " >= ? AND "
        + status + " = " + statusValue + " ORDER BY " + id + " LIMIT ?) q";
  }

  /** The lowest-id row of a status from an id up, as {@link RowReader} reads it. */
  String lowestRow(String columns, int statusValue) {
    return "SELECT " + columns + " FROM " + table + " WHERE " + id + " >= ? AND " + status + " = "
        + statusValue + " ORDER BY " + id + " LIMIT 1";
  }

  /**
   * The lowest pending id: a walk of the primary key that stops at the first pending row, once
   * at start and at each purge. (MIN() with a filter would read the whole table.)
   */
  String lowestPending() {
    return "SELECT " + id + " FROM " + table + " WHERE " + status + " = " + PENDING + " ORDER BY "
        + id + " LIMIT 1";
  }

  String highestId() {
    return "SELECT MAX(" + id + ") FROM " + table;
  }

  // ---- quarantine, retention

  /**
   * Every column as a bounded prefix and its length, the reason too: a quarantined row may be
   * there precisely because a value is huge.
   */
  String listQuarantined(RowReader rows) {
    return "SELECT " + id + ", " + rows.bounded(meterId, 0, LISTED_LENGTH) + ", "
        + rows.bounded(readAt, 0, LISTED_LENGTH) + ", " + rows.bounded(value, 0, LISTED_LENGTH)
        + ", " + rows.bounded(unit, 0, LISTED_LENGTH) + ", "
        + rows.bounded(quality, 0, LISTED_LENGTH) + ", "
        + rows.bounded(reason, java.sql.Types.VARCHAR, LISTED_REASON_LENGTH) + ", " + attempts
        + " FROM " + table + " WHERE " + status + " = " + QUARANTINED + " ORDER BY " + id
        + " LIMIT ?";
  }

  /**
   * Re-queues one quarantined reading, unless it lies within a journaled batch's span: a batch
   * taken over later reads its rows back by range, and the reading must not be in two batches.
   */
  String requeue(String notJournaled) {
    return "UPDATE " + table + " SET " + status + " = " + PENDING + ", " + reason + " = NULL WHERE "
        + id + " IN (SELECT r." + id + " FROM " + table + " r WHERE r." + id + " = ? AND r."
        + status + " = " + QUARANTINED + notJournaled + ")";
  }

  String requeueAll(String notJournaled) {
    return "UPDATE " + table + " SET " + status + " = " + PENDING + ", " + reason + " = NULL WHERE "
        + id + " IN (SELECT r." + id + " FROM " + table + " r WHERE r." + status + " = "
        + QUARANTINED + notJournaled + ")";
  }

  /** Deletes up to ? finished rows (synced or dropped) finished before ?. */
  String purgeChunk(int statusValue) {
    return "DELETE FROM " + table + " WHERE " + id + " IN (SELECT " + id + " FROM " + table
        + " WHERE " + status + " = " + statusValue + " AND " + syncedAt + " < ? ORDER BY "
        + id + " LIMIT ?)";
  }

  /**
   * Drops up to ? of the oldest pending rows from an id up that {@code notInFlight} allows. The
   * outer status check keeps a row that a concurrent claim took (PostgreSQL re-checks the
   * condition on the row it waited for) from being dropped.
   *
   * @param notInFlight a condition on the alias {@code r} excluding journaled readings, or empty
   */
  String dropOldest(String notInFlight) {
    return "UPDATE " + table + " SET " + status + " = " + DROPPED + ", " + syncedAt + " = ?, "
        + reason + " = ? WHERE " + id + " IN (SELECT r." + id + " FROM " + table + " r WHERE r."
        + id + " >= ? AND r." + status + " = " + PENDING + notInFlight + " ORDER BY r." + id
        + " LIMIT ?) AND " + status + " = " + PENDING;
  }

  // ---- history

  String insertRun() {
    return "INSERT INTO " + history + " (" + dialect.quote("started_at") + ", "
        + dialect.quote("finished_at") + ", " + dialect.quote("outcome") + ", "
        + dialect.quote("readings_synced") + ", " + dialect.quote("readings_rejected") + ", "
        + dialect.quote("bytes_sent") + ", " + dialect.quote("batches") + ", "
        + dialect.quote("error") + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
  }

  String summarizeRuns() {
    String started = dialect.quote("started_at");
    String finished = dialect.quote("finished_at");
    String outcome = dialect.quote("outcome");
    return "SELECT COUNT(*), "
        + "SUM(CASE WHEN " + outcome + " = 'SUCCEEDED' THEN 1 ELSE 0 END), "
        + "SUM(CASE WHEN " + outcome + " = 'FAILED' THEN 1 ELSE 0 END), "
        + "SUM(" + dialect.quote("readings_synced") + "), "
        + "SUM(" + dialect.quote("readings_rejected") + "), "
        + "SUM(" + dialect.quote("bytes_sent") + "), "
        + "SUM(" + finished + " - " + started + "), "
        + "MAX(" + finished + " - " + started + "), "
        + "MAX(CASE WHEN " + outcome + " = 'SUCCEEDED' THEN " + finished + " END) "
        + "FROM " + history + " WHERE " + started + " >= ? AND " + started + " <= ?";
  }

  /** The latest runs, newest first, with the columns of {@link #insertRun()}. */
  String recentRuns() {
    return "SELECT " + dialect.quote("started_at") + ", " + dialect.quote("finished_at") + ", "
        + dialect.quote("outcome") + ", " + dialect.quote("readings_synced") + ", "
        + dialect.quote("readings_rejected") + ", " + dialect.quote("bytes_sent") + ", "
        + dialect.quote("batches") + ", " + dialect.quote("error") + " FROM " + history
        + " ORDER BY " + dialect.quote("started_at") + " DESC LIMIT ?";
  }

  String purgeRuns() {
    return "DELETE FROM " + history + " WHERE " + dialect.quote("started_at") + " < ?";
  }
}

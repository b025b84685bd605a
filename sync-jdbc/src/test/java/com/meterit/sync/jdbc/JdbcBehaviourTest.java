package com.meterit.sync.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.api.Claim;
import com.meterit.sync.api.LeaseLostException;
import com.meterit.sync.api.PendingCount;
import com.meterit.sync.api.Rejection;
import com.meterit.sync.api.SyncListener;
import com.meterit.sync.api.SyncOutcome;
import com.meterit.sync.api.SyncRun;
import com.meterit.sync.api.SyncStats;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What the JDBC source does beyond the contract, on each database: quarantine, rows that are
 * not readings, retention, schema, history, and its lock order.
 */
abstract class JdbcBehaviourTest extends JdbcReadingSourceContractTest {

  @Test
  void aShortBacklogIsCountedAndALongOneEstimatedFromItsIds() throws Exception {
    JdbcReadingSource source = source();
    db.insertReadings(30);
    assertPending(source.pendingCount(30), 30, false);
    assertPending(source.pendingCount(10), 30, true);

    Claim first = source.claim(5);
    assertPending(source.pendingCount(100), 30, false);
    assertPending(source.pendingCount(10), 30, true);
    source.settle(first, List.of(new Rejection(3, "unknown meter")));
    assertPending(source.pendingCount(100), 25, false);
    assertPending(source.pendingCount(10), 25, true);

    for (Claim c = source.claim(7); !c.isEmpty(); c = source.claim(7)) {
      source.settle(c, List.of());
    }
    assertPending(source.pendingCount(10), 0, false);
    assertPending(source.pendingCount(0), 0, false);
    assertThrows(IllegalArgumentException.class, () -> source.pendingCount(-1));
  }

  @Test
  void settleAndClaimSettlesTheBatchAndHandsOutTheNextAllOrNothing() throws Exception {
    JdbcReadingSource source = source();
    db.insertReadings(10);
    Claim first = source.claim(4);
    Claim second = source.settleAndClaim(first, List.of(new Rejection(2, "unknown meter")), 4);
    assertEquals(List.of(5L, 6L, 7L, 8L), ids(second));
    assertEquals(1, source.quarantinedCount());
    Claim third = source.settleAndClaim(second, List.of(), 4);
    assertEquals(List.of(9L, 10L), ids(third));
    assertTrue(source.settleAndClaim(third, List.of(), 4).isEmpty());
    assertEquals(0, source.pendingCount());

    db.insertReadings(2);
    assertThrows(LeaseLostException.class, () -> source.settleAndClaim(third, List.of(), 4));
    assertEquals(List.of(11L, 12L), ids(source.claim(4)), "the lost settlement claimed nothing");
  }

  private static void assertPending(PendingCount pending, long count, boolean estimate) {
    assertEquals(count, pending.count(), pending.toString());
    assertEquals(estimate, pending.isEstimate(), pending.toString());
  }

  @Test
  void quarantineKeepsTheReasonAndAttemptsAndCanBeRequeued() throws Exception {
    JdbcReadingSource source = source();
    db.insertReadings(3);
    source.release(source.claim(3));
    Claim again = source.claim(3);
    source.settle(again, List.of(new Rejection(2, "unknown meter")));

    List<QuarantinedReading> list = source.listQuarantined(10);
    assertEquals(1, list.size());
    assertEquals(2, list.get(0).id());
    assertEquals("unknown meter", list.get(0).reason());
    assertEquals(2, list.get(0).attempts());
    assertEquals(0, source.pendingCount());

    assertEquals(1, source.requeueQuarantined(List.of(2L)));
    assertEquals(List.of(2L), ids(source.claim(3)));
    assertTrue(source.listQuarantined(10).isEmpty());
  }

  @Test
  void aQuarantinedReadingInsideAJournaledBatchIsNotRequeuedUntilTheBatchSettles()
      throws Exception {
    JdbcReadingSource source = source();
    db.insertReadings(5);
    Claim batch = source.claim(5);
    // Quarantined while its batch is journaled, as when a row turns unreadable before a takeover.
    db.execute("UPDATE " + db.table + " SET sync_status = 3, sync_reason = 'unreadable' "
        + "WHERE id = 3");
    assertEquals(0, source.requeueQuarantined(List.of(3L)), "it would join a second batch");
    assertEquals(0, source.requeueAllQuarantined());

    source.settle(batch, List.of());
    assertEquals(1, source.requeueQuarantined(List.of(3L)));
    assertEquals(List.of(3L), ids(source.claim(5)));
  }

  /**
   * A row of a journaled batch that turns unreadable is not
   * quarantined when the batch resumes (the batch may have reached the server, and the rest
   * would go out under a new key): the batch is set aside, still journaled, its ids in no new
   * batch, and goes out unchanged a lease after the row reads again.
   */
  @Test
  void aJournaledBatchWithARowThatTurnedUnreadableIsSetAsideUntilTheRowReadsAgain()
      throws Exception {
    JdbcReadingSource source = source();
    db.insertReadings(5);
    Claim first = source.claim(5);
    source.release(first);
    db.execute("UPDATE " + db.table + " SET unit = ' ' WHERE id = 3");
    assertTrue(source.claim(5).isEmpty(), "sent without reading 3, under a new key");
    assertEquals(0, source.quarantinedCount());
    assertEquals(5, source.pendingCount());
    db.insertReadings(1);
    assertEquals(List.of(6L), ids(source.claim(5)), "set aside, the batch keeps its readings");

    db.execute("UPDATE " + db.table + " SET unit = 'kWh' WHERE id = 3");
    assertTrue(source.claim(5).isEmpty(), "tried again before a lease passed");
    advance(LEASE);
    Claim again = source.claim(5);
    assertTrue(again.resumed());
    assertEquals(first.batch().batchId(), again.batch().batchId());
    source.settle(again, List.of());
    assertEquals(5, db.count(db.table, "sync_status = 2 AND id <= 5"));
  }

  @Test
  void anUnreadableRowIsQuarantinedAtClaimAndTheRestFlows() throws Exception {
    List<List<Rejection>> told = new CopyOnWriteArrayList<>();
    JdbcReadingSource source = builder().setListener(new SyncListener() {
      @Override
      public void onReadingsRejected(List<Rejection> rejections) {
        told.add(rejections);
      }
    }).build();
    source.createSchema();
    db.execute("INSERT INTO " + db.table + " (meter_id, read_at, value, unit) VALUES "
        + "('m-1', '2026-01-01 00:00:00+00', " + db.valueLiteral("1.0") + ", 'kWh'), "
        + "('m-2', '2026-01-01 00:00:00+00', " + db.valueLiteral("2.0") + ", ' '), "
        + "('m-3', '2026-01-01 00:00:00+00', " + db.valueLiteral("3.0") + ", 'kWh')");

    assertEquals(List.of(1L, 3L), ids(source.claim(10)));
    assertEquals(1, told.size());
    assertEquals("invalid reading in the Sync Database: unit must not be blank",
        source.listQuarantined(10).get(0).reason());
    assertEquals(2, source.pendingCount());
  }

  /** A host's table whose columns are all text, so that writers can put anything in them. */
  JdbcReadingSource hostSource(String name) throws Exception {
    return hostSource(name, ReadingsTable.builder());
  }

  /** The host's table, mapped with {@code mapping}'s other settings. */
  JdbcReadingSource hostSource(String name, ReadingsTable.Builder mapping) throws Exception {
    db.execute("CREATE TABLE " + name + " (reading_no " + db.hostIdType() + ", meter "
        + db.textType() + ", taken_at " + db.textType() + ", amount " + db.textType() + ", uom "
        + db.textType() + ", q " + db.textType() + ")");
    mapping.setTable(name)
        .setIdColumn("reading_no").setMeterIdColumn("meter").setReadAtColumn("taken_at")
        .setValueColumn("amount").setUnitColumn("uom").setQualityColumn("q")
        .setHistoryTable(db.historyTable);
    JdbcReadingSource source = JdbcReadingSource.builder(db.dataSource).setTable(mapping.build())
        .setClock(clock).setTicker(clock::nanos).build();
    source.createSchema();
    return source;
  }

  void insertHost(String table, long id, String meter, String at, String amount)
      throws Exception {
    try (Connection c = db.dataSource.getConnection();
        PreparedStatement insert = c.prepareStatement("INSERT INTO " + table
            + " (reading_no, meter, taken_at, amount, uom) VALUES (?, ?, ?, ?, 'kWh')")) {
      insert.setLong(1, id);
      insert.setString(2, meter);
      insert.setString(3, at);
      insert.setString(4, amount);
      insert.executeUpdate();
    }
  }

  void dropHost(String table) throws Exception {
    db.execute("DROP TABLE IF EXISTS " + table + ReadingsTable.JOURNAL_SUFFIX);
    db.execute("DROP TABLE " + table);
  }

  @Test
  void garbageInAHostsTextColumnsIsQuarantinedRowByRow() throws Exception {
    String table = "host_garbage_" + db.table;
    try {
      JdbcReadingSource source = hostSource(table);
      insertHost(table, 1, "m-1", "2026-01-01T00:00:00Z", "1.5");
      insertHost(table, 2, "m-2", "2026-01-01T00:00:00Z", "twelve\n[ERROR] forged");
      insertHost(table, 3, "m-3", "yesterday", "2");
      insertHost(table, 4, "m-4", "+300000-01-01T00:00:00Z", "3");
      insertHost(table, 5, "m-5", "2026-01-01 00:15:00", "NaN");
      insertHost(table, 6, "m-6", "1767225600000", "4.250");

      assertEquals(List.of(1L), ids(source.claim(10)));
      List<String> reasons = new ArrayList<>();
      source.listQuarantined(10).forEach(q -> reasons.add(q.reason()));
      String prefix = "invalid reading in the Sync Database: ";
      assertEquals(List.of(
          prefix + "amount is not a decimal number: 'twelve\\u000a[ERROR] forged'",
          prefix + "taken_at is not a date-time: 'yesterday'",
          prefix + "taken_at is out of range: +300000-01-01T00:00:00Z",
          prefix + "amount is not a decimal number: 'NaN'",
          prefix + "taken_at is a number of no declared unit: '1767225600000' (seconds or "
              + "milliseconds? see ReadingsTable.Builder.setNumericTimestampUnit)"), reasons);
    } finally {
      dropHost(table);
    }
  }

  /**
   * Issue 22, items 2 and 3: '1E+2147483647' threw NegativeArraySizeException in every claim's
   * digest, '1E+100000000' built a 100-million-digit string, and '1E+10000' could not be written
   * on the wire. Each is short as text; each is now quarantined alone, naming the column.
   */
  @Test
  void valuesTooWideToWriteOutAreQuarantinedNamingTheColumnAndTheRestFlows() throws Exception {
    String table = "host_wide_" + db.table;
    try {
      JdbcReadingSource source = hostSource(table);
      insertHost(table, 1, "m-1", "2026-01-01T00:00:00Z", "1E+2147483647");
      insertHost(table, 2, "m-2", "2026-01-01T00:00:00Z", "1.5");
      insertHost(table, 3, "m-3", "2026-01-01T00:00:00Z", "1E+100000000");
      insertHost(table, 4, "m-4", "2026-01-01T00:00:00Z", "-1E+10000");
      insertHost(table, 5, "m-5", "2026-01-01T00:00:00Z", "1" + "0".repeat(38) + "\n");
      insertHost(table, 6, "m-6", "2026-01-01T00:00:00Z", "1E+37");
      insertHost(table, 7, "m-7", "2026-01-01T00:00:00Z", "1E-65");

      Claim claim = source.claim(10);
      assertEquals(List.of(2L, 6L), ids(claim));
      assertEquals("1" + "0".repeat(37), claim.readings().get(1).value().toPlainString());
      List<String> reasons = new ArrayList<>();
      source.listQuarantined(10).forEach(q -> reasons.add(q.reason()));
      String prefix = "invalid reading in the Sync Database: amount ";
      assertEquals(List.of(
          prefix + "has 2147483648 digits, more than 38: '1E+2147483647'",
          prefix + "has 100000001 digits, more than 38: '1E+100000000'",
          prefix + "has 10001 digits, more than 38: '-1E+10000'",
          prefix + "has 39 digits, more than 38: '1" + "0".repeat(38) + "\\u000a'",
          prefix + "is 67 characters long written out, more than 64: '1E-65'"), reasons);
      source.settle(claim, List.of());
      assertEquals(0, source.pendingCount());
    } finally {
      dropHost(table);
    }
  }

  /**
   * Issue 22, item 5: a number in a text timestamp column was read as epoch milliseconds, so a
   * collector writing epoch seconds sent January 1970. It is read only in the declared unit.
   */
  @Test
  void numericTimestampsAreReadInTheUnitTheTableDeclares() throws Exception {
    String table = "host_epoch_" + db.table;
    try {
      JdbcReadingSource source = hostSource(table,
          ReadingsTable.builder().setNumericTimestampUnit(ChronoUnit.SECONDS));
      insertHost(table, 1, "m-1", "1767225600", "1.5");
      insertHost(table, 2, "m-2", " 1767225601 ", "1.5");
      insertHost(table, 3, "m-3", "2026-01-01T00:00:02Z", "1.5");
      insertHost(table, 4, "m-4", "99999999999999999999", "1.5");
      insertHost(table, 5, "m-5", "-1", "1.5");
      insertHost(table, 6, "m-6", "253402300800", "1.5");

      Claim claim = source.claim(10);
      assertEquals(List.of(1L, 2L, 3L), ids(claim));
      assertEquals(List.of(Instant.parse("2026-01-01T00:00:00Z"),
          Instant.parse("2026-01-01T00:00:01Z"), Instant.parse("2026-01-01T00:00:02Z")),
          claim.readings().stream().map(r -> r.timestamp()).collect(Collectors.toList()));
      List<String> reasons = new ArrayList<>();
      source.listQuarantined(10).forEach(q -> reasons.add(q.reason()));
      String prefix = "invalid reading in the Sync Database: taken_at ";
      assertEquals(List.of(prefix + "is not a date-time: '99999999999999999999'",
          prefix + "is not a date-time: '-1'",
          prefix + "is out of range: +10000-01-01T00:00:00Z"), reasons);
    } finally {
      dropHost(table);
    }
  }

  @Test
  void numericTimestampsInMillisecondsAreReadWhenDeclared() throws Exception {
    String table = "host_millis_" + db.table;
    try {
      JdbcReadingSource source = hostSource(table,
          ReadingsTable.builder().setNumericTimestampUnit(ChronoUnit.MILLIS));
      insertHost(table, 1, "m-1", "1767225600250", "1.5");
      assertEquals(Instant.parse("2026-01-01T00:00:00.250Z"),
          source.claim(10).readings().get(0).timestamp());
    } finally {
      dropHost(table);
    }
  }

  @Test
  void aNumericTimestampUnitMustBeAnEpochUnit() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ReadingsTable.builder().setNumericTimestampUnit(ChronoUnit.DAYS));
    assertEquals("numericTimestampUnit must be SECONDS, MILLIS, MICROS or NANOS: DAYS",
        e.getMessage());
    assertEquals("numericTimestampUnit", assertThrows(NullPointerException.class,
        () -> ReadingsTable.builder().setNumericTimestampUnit(null)).getMessage());
    assertTrue(ReadingsTable.builder().setNumericTimestampUnit(ChronoUnit.NANOS).build()
        .toString().contains("numericTimestampUnit=NANOS"));
  }

  /**
   * A collector's row quoted in a quarantine reason, which the engine logs as it is: bidi
   * overrides and other invisible format characters would reorder what an operator reads in the
   * log line, so they are escaped like control characters.
   */
  @Test
  void aQuarantineReasonQuotesNoInvisibleFormatCharacters() throws Exception {
    String table = "host_bidi_" + db.table;
    String meter = "m-\u202e\u2066\u200b\ufeff" + "y".repeat(200) + "\u001b[2J";
    try {
      JdbcReadingSource source = hostSource(table);
      insertHost(table, 1, meter, "2026-01-01T00:00:00Z", "1.0");
      source.claim(10);
      String reason = source.listQuarantined(10).get(0).reason();
      assertTrue(reason.startsWith("invalid reading in the Sync Database: meter is 210 "
          + "characters long, more than 128: 'm-\\u202e\\u2066\\u200b\\ufeffyyy"), reason);
      assertTrue(reason.chars().noneMatch(c -> Character.isISOControl(c)
          || Character.getType(c) == Character.FORMAT), reason);
    } finally {
      dropHost(table);
    }
  }

  @Test
  void oversizedValuesAreQuarantinedByTheirLengthAndNeverLoaded() throws Exception {
    String table = "host_huge_" + db.table;
    String huge = "x".repeat(1_000_000);
    try {
      JdbcReadingSource source = hostSource(table);
      for (int i = 1; i <= 40; i++) {
        insertHost(table, i, i % 2 == 0 ? huge : "m-" + i, "2026-01-01T00:00:00Z",
            i % 10 == 1 ? "9".repeat(65) : "1.0");
      }
      Claim claim = source.claim(100);
      assertEquals(16, claim.size());
      assertEquals(24, source.listQuarantined(100).size());
      QuarantinedReading meter = source.listQuarantined(100).get(1);
      assertEquals(2, meter.id());
      assertTrue(meter.reason().startsWith("invalid reading in the Sync Database: meter is "
          + "1000000 characters long, more than 128: 'xxxxx"), meter.reason());
      assertTrue(meter.reason().length() < 200, "the reason quotes an excerpt");
      assertEquals("x".repeat(200) + "... (1000000 characters)", meter.meterId().orElseThrow(),
          "a listing shows a bounded prefix");
      assertTrue(source.listQuarantined(100).get(0).reason()
          .contains("amount is 65 characters long, more than 64"));
    } finally {
      dropHost(table);
    }
  }

  @Test
  void aReadingMadePendingBehindTheSourcesBackIsFoundByThePurgeAtTheLatest() throws Exception {
    JdbcReadingSource source = source();
    db.insertReadings(5);
    source.settle(source.claim(5), List.of());
    db.execute("UPDATE " + db.table + " SET sync_status = 0 WHERE id = 2");

    source.purge();
    assertEquals(1, source.pendingCount());
    assertEquals(List.of(2L), ids(source.claim(5)));
  }

  @Test
  void aPurgeNeverTouchesUnsyncedRows() throws Exception {
    JdbcReadingSource source = builder()
        .setRetention(RetentionPolicy.builder().setSyncedRetention(Duration.ofHours(1))
            .setChunkSize(2).build())
        .build();
    source.createSchema();
    db.insertReadings(20);
    source.settle(source.claim(7), List.of());
    source.settle(source.claim(1), List.of(new Rejection(8, "bad")));
    Claim held = source.claim(4);
    // 9 to 12 are journaled; 13 to 20 were never claimed.

    assertEquals(0, source.purge().readingsPurged(), "synced too recently");
    advance(Duration.ofHours(1).plusSeconds(1));
    PurgeResult result = source.purge();

    assertEquals(7, result.readingsPurged());
    assertEquals(12, result.pendingReadings());
    assertEquals(12, source.pendingCount());
    assertEquals(1, source.listQuarantined(10).size());
    assertEquals(ids(held), ids(source.claim(100)), "the journaled batch, after its lease");
    assertEquals(List.of(13L, 14L, 15L, 16L, 17L, 18L, 19L, 20L), ids(source.claim(100)));
  }

  @Test
  void aBacklogOverTheCapIsReportedAndKeptUnderWarn() throws Exception {
    List<String> events = new CopyOnWriteArrayList<>();
    JdbcReadingSource source = builder().setListener(recorder(events))
        .setRetention(RetentionPolicy.builder().setMaxPendingReadings(5, OverflowPolicy.WARN).build())
        .build();
    source.createSchema();
    db.insertReadings(8);
    PurgeResult result = source.purge();
    assertEquals(0, result.readingsDropped());
    assertEquals(8, source.pendingCount());
    assertEquals(List.of("over cap 8/5"), events);
  }

  @Test
  void dropOldestIsOptInCountedAndReportedAndSparesJournaledBatches() throws Exception {
    List<String> events = new CopyOnWriteArrayList<>();
    JdbcReadingSource source = builder().setListener(recorder(events))
        .setRetention(RetentionPolicy.builder().setMaxPendingReadings(5, OverflowPolicy.DROP_OLDEST)
            .setChunkSize(2).build())
        .build();
    source.createSchema();
    db.insertReadings(10);
    Claim inFlight = source.claim(2);
    PurgeResult result = source.purge();

    assertEquals(5, result.readingsDropped());
    assertEquals(5, source.pendingCount());
    assertEquals(List.of("dropped 5: dropped unsent: more than 5 readings were pending "
        + "(policy DROP_OLDEST)"), events);
    source.settle(inFlight, List.of());
    assertEquals(List.of(1L, 2L), ids(inFlight), "a batch in flight is never dropped");
    assertEquals(List.of(8L, 9L, 10L), ids(source.claim(10)));
    assertEquals(2, db.count(db.table, "sync_status = 2"));
  }

  private static SyncListener recorder(List<String> events) {
    return new SyncListener() {
      @Override
      public void onBacklogOverCap(long pending, long cap) {
        events.add("over cap " + pending + "/" + cap);
      }

      @Override
      public void onReadingsDropped(long count, String reason) {
        events.add("dropped " + count + ": " + reason);
      }
    };
  }

  @Test
  void aHostileTableNameIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ReadingsTable.builder().setTable("meter_readings; DROP TABLE meter_readings"));
    assertEquals("table must be a plain SQL identifier (letters, digits, underscores): "
        + "'meter_readings; DROP TABLE meter_readings'", e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> ReadingsTable.builder().setValueColumn("value\" --"));
    assertThrows(IllegalArgumentException.class, () -> ReadingsTable.builder().setTable("1abc"));
    assertThrows(IllegalArgumentException.class,
        () -> ReadingsTable.builder().setJournalTable("j; --"));
  }

  @Test
  void createsTheSchemaIdempotentlyOnAHostsOwnTable() throws Exception {
    db.execute("CREATE TABLE host_" + db.table + " (reading_no " + db.hostIdType() + ", "
        + "meter VARCHAR(64), taken_at VARCHAR(40), amount VARCHAR(40), uom VARCHAR(10), q VARCHAR(10))");
    try {
      ReadingsTable mapping = ReadingsTable.builder().setTable("host_" + db.table)
          .setIdColumn("reading_no").setMeterIdColumn("meter").setReadAtColumn("taken_at")
          .setValueColumn("amount").setUnitColumn("uom").setQualityColumn("q")
          .setHistoryTable(db.historyTable).setJournalTable("host_journal_" + db.table).build();
      db.execute("INSERT INTO host_" + db.table + " (reading_no, meter, taken_at, amount, uom) "
          + "VALUES (7, 'm-7', '2026-01-01T00:00:00Z', '42.50', 'kWh')");
      JdbcReadingSource source = JdbcReadingSource.builder(db.dataSource).setTable(mapping)
          .setClock(clock).setTicker(clock::nanos).build();
      source.createSchema();
      source.createSchema();
      Claim claim = source.claim(10);
      assertEquals(List.of(7L), ids(claim));
      assertEquals("42.50", claim.readings().get(0).value().toPlainString());
      assertEquals(1, db.count("host_journal_" + db.table, ""));
    } finally {
      db.execute("DROP TABLE IF EXISTS host_journal_" + db.table);
      db.execute("DROP TABLE host_" + db.table);
    }
  }

  @Test
  void aSchemaOfVersionOneIsMigratedToTheJournal() throws Exception {
    source();
    db.insertReadings(4);
    db.execute("DROP TABLE " + db.journalTable());
    db.execute("UPDATE meter_sync_schema SET version = 1 WHERE table_name = '" + db.table + "'");
    db.execute("UPDATE " + db.table + " SET sync_status = 1, sync_lease_owner = 'old' WHERE id <= 2");

    JdbcReadingSource source = source();
    assertEquals(1, db.count("meter_sync_schema", "table_name = '" + db.table + "' AND version = 2"));
    Claim claim = source.claim(10);
    source.settle(claim, List.of());
    assertEquals(0, source.pendingCount(), "nothing left claimed by a version 1 lease");
  }

  @Test
  void historySurvivesARestart() {
    JdbcReadingSource source = source();
    Instant start = clock.instant();
    source.history().record(new SyncRun(start, start.plusSeconds(2), SyncOutcome.SUCCEEDED,
        2_500, 3, 40_000, 3, null));

    SyncStats stats = source().history().summarize(start.minusSeconds(60), start.plusSeconds(60));
    assertEquals(1, stats.runs());
    assertEquals(2_500, stats.readingsSynced());
  }

  @Test
  void noPathDeadlocksOnAPoolOfOneConnection() throws Exception {
    source();
    db.insertReadings(400);
    JdbcReadingSource source = JdbcReadingSource.builder(new OneConnectionDataSource(db.dataSource))
        .setTable(db.names()).setClock(clock).setTicker(clock::nanos).setLease(LEASE)
        .setRetention(RetentionPolicy.builder()
            .setMaxPendingReadings(250, OverflowPolicy.DROP_OLDEST).setChunkSize(7).build())
        .build();
    ConcurrentLinkedQueue<Long> delivered = new ConcurrentLinkedQueue<>();
    AtomicLong dropped = new AtomicLong();
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
          boolean releaseFirst = t == 1;
          done.add(threads.submit(() -> {
            for (Claim c = source.claim(7); !c.isEmpty(); c = source.claim(7)) {
              if (releaseFirst) {
                source.release(c);
                c = source.claim(7);
                if (c.isEmpty()) {
                  break;
                }
              }
              source.settle(c, List.of());
              c.readings().forEach(r -> delivered.add(r.id()));
            }
            return null;
          }));
        }
        done.add(threads.submit(() -> {
          for (int i = 0; i < 30; i++) {
            source.pendingCount();
            source.oldestPendingTimestamp();
          }
          return null;
        }));
        done.add(threads.submit(() -> {
          for (int i = 0; i < 3; i++) {
            dropped.addAndGet(source.purge().readingsDropped());
          }
          return null;
        }));
        for (Future<?> f : done) {
          f.get();
        }
      });
    } finally {
      threads.shutdownNow();
    }
    assertEquals(400, delivered.size() + dropped.get() + source.pendingCount());
    assertEquals(dropped.get(), db.count(db.table, "sync_status = 4"));
    for (long id : delivered) {
      assertEquals(1, db.count(db.table, "id = " + id + " AND sync_status = 2"),
          "reading " + id + " was delivered, so it must not be dropped");
    }
  }
}

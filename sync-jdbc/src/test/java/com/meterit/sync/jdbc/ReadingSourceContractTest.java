package com.meterit.sync.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.api.Claim;
import com.meterit.sync.api.Reading;
import com.meterit.sync.api.ReadingSourceException;
import com.meterit.sync.api.Rejection;
import com.meterit.sync.api.SyncListener;
import com.meterit.sync.api.SyncOutcome;
import com.meterit.sync.api.SyncStats;
import com.meterit.sync.core.SyncManager;
import com.meterit.sync.core.testing.FakeClientSystemGateway;
import com.meterit.sync.core.testing.ManualClock;
import com.meterit.sync.core.testing.ManualScheduler;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every behaviour of {@link JdbcReadingSource}, run on each supported database. */
abstract class ReadingSourceContractTest {
  final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T00:00:00Z"));
  Database db;

  abstract Database createDatabase() throws Exception;

  @BeforeEach
  void setUp() throws Exception {
    db = createDatabase();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (db != null) {
      db.dropTables();
    }
  }

  JdbcReadingSource.Builder builder() {
    return JdbcReadingSource.builder(db.dataSource).setTable(db.names()).setClock(clock);
  }

  JdbcReadingSource source() {
    JdbcReadingSource source = builder().build();
    source.createSchema();
    return source;
  }

  void insert(String meterId, String readAt, String value, String unit) throws SQLException {
    db.execute("INSERT INTO " + db.table + " (meter_id, read_at, value, unit) VALUES ('" + meterId
        + "', '" + readAt + "', " + db.valueLiteral(value) + ", '" + unit + "')");
  }

  static List<Long> ids(Claim claim) {
    return claim.readings().stream().map(Reading::id).collect(Collectors.toList());
  }

  @Test
  void aPlainInsertIsClaimedOldestFirstAndAcknowledged() throws Exception {
    JdbcReadingSource source = source();
    db.execute("INSERT INTO " + db.table + " (meter_id, read_at, value, unit, quality) VALUES "
        + "('meter-1', '2026-01-01 00:15:00+00', " + db.valueLiteral("1234.500") + ", 'kWh', 'estimated')");
    db.insertReadings(9);

    Claim first = source.claim(4);
    assertEquals(List.of(1L, 2L, 3L, 4L), ids(first));
    Reading r = first.readings().get(0);
    assertEquals("meter-1", r.meterId());
    assertEquals(Instant.parse("2026-01-01T00:15:00Z"), r.timestamp());
    assertEquals(new BigDecimal("1234.500"), r.value());
    assertEquals("estimated", r.quality().orElseThrow());
    assertTrue(first.readings().get(1).quality().isEmpty());
    assertEquals(clock.instant().plus(JdbcReadingSource.DEFAULT_LEASE), first.leaseExpiresAt());
    assertEquals(10, source.pendingCount(), "claimed readings are still pending");

    source.acknowledge(ids(first));
    assertEquals(6, source.pendingCount());
    assertEquals(List.of(5L, 6L, 7L, 8L), ids(source.claim(4)));
    assertEquals(List.of(9L, 10L), ids(source.claim(4)));
    assertTrue(source.claim(4).isEmpty());
  }

  @Test
  void decimalValuesRoundTripExactly() throws Exception {
    JdbcReadingSource source = source();
    List<String> values = List.of("1234.500", "0.001", "-5.10", "12345678901234567890.123456789", "7");
    for (String v : values) {
      insert("meter-x", "2026-01-01 00:00:00+00", v, "kWh");
    }
    List<String> read = source.claim(10).readings().stream()
        .map(r -> r.value().toPlainString()).collect(Collectors.toList());
    assertEquals(values, read);
  }

  @Test
  void releasedReadingsAreClaimableAgain() throws Exception {
    JdbcReadingSource source = source();
    db.insertReadings(5);
    Claim claim = source.claim(5);
    assertTrue(source.claim(5).isEmpty(), "a claim holds its readings");
    source.release(ids(claim).subList(1, 3));
    assertEquals(List.of(2L, 3L), ids(source.claim(5)));
  }

  @Test
  void readingsReleasedWhileALaterClaimIsHeldAreClaimedNext() throws Exception {
    JdbcReadingSource source = source();
    db.insertReadings(15);
    Claim first = source.claim(5);
    Claim second = source.claim(5);
    assertEquals(List.of(6L, 7L, 8L, 9L, 10L), ids(second), "the next batch, claimed ahead");
    source.release(ids(first));

    assertEquals(List.of(1L, 2L, 3L, 4L, 5L), ids(source.claim(5)));
    assertEquals(List.of(11L, 12L, 13L, 14L, 15L), ids(source.claim(10)));
    source.quarantine(List.of(new Rejection(3, "bad")));
    source.requeueQuarantined(List.of(3L));
    assertEquals(List.of(3L), ids(source.claim(10)), "re-queued while claims are held");
  }

  @Test
  void aReadingMadePendingBehindTheSourcesBackIsFoundByThePurgeAtTheLatest() throws Exception {
    JdbcReadingSource source = source();
    db.insertReadings(5);
    source.acknowledge(ids(source.claim(5)));
    db.execute("UPDATE " + db.table + " SET sync_status = 0 WHERE id = 2");

    source.purge();
    assertEquals(1, source.pendingCount());
    assertEquals(List.of(2L), ids(source.claim(5)));
  }

  @Test
  void anExpiredLeaseBringsTheClaimBack() throws Exception {
    JdbcReadingSource source = builder().setLease(Duration.ofMinutes(2)).build();
    source.createSchema();
    db.insertReadings(3);
    assertEquals(3, source.claim(10).size());

    assertTrue(source.claim(10).isEmpty(), "the lease still holds");
    clock.advance(Duration.ofMinutes(2).plusSeconds(1));
    assertEquals(List.of(1L, 2L, 3L), ids(source.claim(10)));
  }

  @Test
  void aRestartOfTheSameOwnerGetsItsClaimsBackAtOnce() throws Exception {
    source();
    db.insertReadings(4);
    JdbcReadingSource beforeCrash = source();
    assertEquals(4, beforeCrash.claim(10).size());

    JdbcReadingSource afterRestart = source();
    afterRestart.recoverClaims();
    assertEquals(List.of(1L, 2L, 3L, 4L), ids(afterRestart.claim(10)));
  }

  @Test
  void aClaimAbandonedWithoutCommitIsDeliveredAgain() throws Exception {
    source();
    db.insertReadings(6);
    AtomicBoolean crashOnCommit = new AtomicBoolean(false);
    DataSource crashing = crashingOnCommit(db.dataSource, crashOnCommit);
    JdbcReadingSource dying = JdbcReadingSource.builder(crashing).setTable(db.names())
        .setClock(clock).build();

    crashOnCommit.set(true);
    assertThrows(ReadingSourceException.class, () -> dying.claim(4));
    crashOnCommit.set(false);
    assertEquals(List.of(1L, 2L, 3L, 4L), ids(source().claim(4)));
  }

  /** A DataSource whose connections die at commit, leaving the transaction uncommitted. */
  static DataSource crashingOnCommit(DataSource real, AtomicBoolean crash) {
    return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(),
        new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
          Object result = method.invoke(real, args);
          if (!method.getName().equals("getConnection")) {
            return result;
          }
          Connection connection = (Connection) result;
          return Proxy.newProxyInstance(Connection.class.getClassLoader(),
              new Class<?>[] {Connection.class}, (p, m, a) -> {
                if (m.getName().equals("commit") && crash.get()) {
                  throw new SQLException("simulated crash before commit");
                }
                try {
                  return m.invoke(connection, a);
                } catch (java.lang.reflect.InvocationTargetException e) {
                  throw e.getCause();
                }
              });
        });
  }

  @Test
  void quarantineKeepsTheReasonAndAttemptsAndCanBeRequeued() throws Exception {
    JdbcReadingSource source = source();
    db.insertReadings(3);
    source.release(ids(source.claim(3)));
    Claim again = source.claim(3);
    source.quarantine(List.of(new Rejection(2, "unknown meter")));
    source.acknowledge(List.of(1L, 3L));

    List<QuarantinedReading> list = source.listQuarantined(10);
    assertEquals(1, list.size());
    assertEquals(2, list.get(0).id());
    assertEquals("unknown meter", list.get(0).reason());
    assertEquals(2, list.get(0).attempts());
    assertEquals(0, source.pendingCount());
    assertEquals(3, again.size());

    assertEquals(1, source.requeueQuarantined(List.of(2L)));
    assertEquals(List.of(2L), ids(source.claim(3)));
    assertTrue(source.listQuarantined(10).isEmpty());
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
    insert("meter-1", "2026-01-01 00:00:00+00", "1.0", "kWh");
    insert("meter-2", "2026-01-01 00:00:00+00", "2.0", " ");
    insert("meter-3", "2026-01-01 00:00:00+00", "3.0", "kWh");

    assertEquals(List.of(1L, 3L), ids(source.claim(10)));
    assertEquals(1, told.size());
    assertEquals("invalid reading in the Sync Database: unit must not be blank",
        source.listQuarantined(10).get(0).reason());
    assertEquals(2, source.pendingCount());
  }

  @Test
  void aPurgeNeverTouchesUnsyncedRows() throws Exception {
    JdbcReadingSource source = builder()
        .setRetention(RetentionPolicy.builder().setSyncedRetention(Duration.ofHours(1))
            .setChunkSize(2).build())
        .build();
    source.createSchema();
    db.insertReadings(20);
    Claim claim = source.claim(12);
    source.acknowledge(ids(claim).subList(0, 7));
    source.quarantine(List.of(new Rejection(8, "bad")));
    source.release(ids(claim).subList(8, 10));
    // Two readings (11, 12) stay claimed; 13 to 20 were never claimed.

    assertEquals(0, source.purge().readingsPurged(), "synced too recently");
    clock.advance(Duration.ofHours(1).plusSeconds(1));
    PurgeResult result = source.purge();

    assertEquals(7, result.readingsPurged());
    assertEquals(12, result.pendingReadings());
    assertEquals(12, source.pendingCount());
    assertEquals(1, source.listQuarantined(10).size());
    // The two still claimed came back when their lease expired; nothing unsynced was lost.
    List<Long> left = new ArrayList<>(ids(source.claim(100)));
    assertEquals(List.of(9L, 10L, 11L, 12L, 13L, 14L, 15L, 16L, 17L, 18L, 19L, 20L), left);
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
  void dropOldestIsOptInCountedAndReported() throws Exception {
    List<String> events = new CopyOnWriteArrayList<>();
    JdbcReadingSource source = builder().setListener(recorder(events))
        .setRetention(RetentionPolicy.builder().setMaxPendingReadings(5, OverflowPolicy.DROP_OLDEST)
            .setChunkSize(2).build())
        .build();
    source.createSchema();
    db.insertReadings(8);
    PurgeResult result = source.purge();
    assertEquals(3, result.readingsDropped());
    assertEquals(5, source.pendingCount());
    assertEquals(List.of(4L, 5L, 6L, 7L, 8L), ids(source.claim(10)));
    assertEquals(1, events.size());
    assertTrue(events.get(0).startsWith("dropped 3: dropped unsent"), events.get(0));
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
  }

  @Test
  void createsTheSchemaIdempotentlyOnAHostsOwnTable() throws Exception {
    db.execute("CREATE TABLE host_" + db.table + " (reading_no INTEGER PRIMARY KEY, "
        + "meter VARCHAR(64), taken_at VARCHAR(40), amount VARCHAR(40), uom VARCHAR(10), q VARCHAR(10))");
    try {
      ReadingsTable mapping = ReadingsTable.builder().setTable("host_" + db.table)
          .setIdColumn("reading_no").setMeterIdColumn("meter").setReadAtColumn("taken_at")
          .setValueColumn("amount").setUnitColumn("uom").setQualityColumn("q")
          .setHistoryTable(db.historyTable).build();
      db.execute("INSERT INTO host_" + db.table + " (reading_no, meter, taken_at, amount, uom) "
          + "VALUES (7, 'm-7', '2026-01-01T00:00:00Z', '42.50', 'kWh')");
      JdbcReadingSource source = JdbcReadingSource.builder(db.dataSource).setTable(mapping)
          .setClock(clock).build();
      source.createSchema();
      source.createSchema();
      Claim claim = source.claim(10);
      assertEquals(List.of(7L), ids(claim));
      assertEquals(new BigDecimal("42.50"), claim.readings().get(0).value());
    } finally {
      db.execute("DROP TABLE host_" + db.table);
    }
  }

  @Test
  void statisticsSurviveARestart() throws Exception {
    source();
    db.insertReadings(2_500);
    FakeClientSystemGateway gateway = new FakeClientSystemGateway();
    runManagerOnce(gateway);

    // A new process: a new source, history and manager on the same database.
    SyncManager restarted = manager(source(), gateway);
    SyncStats stats = restarted.getSyncStats(24);
    assertEquals(1, stats.runs());
    assertEquals(1, stats.successes());
    assertEquals(2_500, stats.readingsSynced());
    assertEquals(0, stats.pendingReadings());
  }

  @Test
  void syncManagerDrainsAHundredThousandReadingBacklog() throws Exception {
    source();
    db.insertReadings(100_000);
    FakeClientSystemGateway gateway = new FakeClientSystemGateway();
    SyncOutcome outcome = runManagerOnce(gateway);

    assertEquals(SyncOutcome.SUCCEEDED, outcome);
    assertEquals(100_000, gateway.accepted().size());
    assertEquals(0, source().pendingCount());
    Map<Long, Reading> accepted = gateway.accepted();
    assertEquals(new BigDecimal("1000.000"), accepted.get(1L).value());
    assertEquals(new BigDecimal("1099.999"), accepted.get(100_000L).value());
  }

  private SyncOutcome runManagerOnce(FakeClientSystemGateway gateway) {
    JdbcReadingSource source = source();
    SyncManager manager = manager(source, gateway);
    manager.start();
    manager.stop().join();
    return manager.getSyncStats(1).successes() == 1 ? SyncOutcome.SUCCEEDED : SyncOutcome.FAILED;
  }

  private SyncManager manager(JdbcReadingSource source, FakeClientSystemGateway gateway) {
    return SyncManager.builder(source, gateway)
        .setHistory(source.history())
        .setClock(clock)
        .setScheduler(new ManualScheduler(clock))
        .setExecutor(Runnable::run)
        .build();
  }
}

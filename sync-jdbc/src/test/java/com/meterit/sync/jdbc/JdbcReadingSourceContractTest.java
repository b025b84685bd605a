package com.meterit.sync.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.api.Claim;
import com.meterit.sync.api.LeaseLostException;
import com.meterit.sync.api.Reading;
import com.meterit.sync.api.ReadingSource;
import com.meterit.sync.api.ReadingSourceException;
import com.meterit.sync.api.Rejection;
import com.meterit.sync.core.testing.ManualClock;
import com.meterit.sync.core.testing.ReadingSourceContractTest;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link com.meterit.sync.api.ReadingSource} contract on each supported database: the
 * published contract, as a host's source runs it, and what the JDBC source promises beyond it
 * about its claims (exact ids, the journal table, wall-clock steps, commits that fail).
 * Quarantine, retention and schema are in {@link JdbcBehaviourTest}.
 */
abstract class JdbcReadingSourceContractTest extends ReadingSourceContractTest {
  static final Duration LEASE = Duration.ofMinutes(1);

  Database db;
  private boolean schemaMade;

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

  /** A new process of worker-a on the database, as the agent opens it: schema first. */
  @Override
  protected ReadingSource newSource(ManualClock clock) {
    return source();
  }

  /** The queue's table is made by the first source, as the agent makes it. */
  @Override
  protected void addReadings(int count) throws SQLException {
    if (!schemaMade) {
      source();
    }
    db.insertReadings(count);
  }

  @Override
  protected Optional<Duration> lease() {
    return Optional.of(LEASE);
  }

  @Override
  protected void letTimePass(Duration time) throws SQLException {
    advance(time);
  }

  JdbcReadingSourceBuilder builder() {
    return JdbcReadingSource.builder(db.dataSource).setTable(db.names()).setClock(clock)
        .setTicker(clock::nanos).setLease(LEASE).setWorkerId("worker-a");
  }

  JdbcReadingSource source() {
    JdbcReadingSource source = builder().build();
    source.createSchema();
    schemaMade = true;
    return source;
  }

  /** Lets time pass for every lease: the source's clock, and the database's where it judges. */
  void advance(Duration time) throws SQLException {
    clock.advance(time);
    db.ageLeases(time);
  }

  long journaled() throws SQLException {
    return db.count(db.journalTable(), "");
  }

  @Test
  void aPlainInsertIsClaimedOldestFirstJournaledAndSettled() throws Exception {
    JdbcReadingSource source = source();
    db.execute("INSERT INTO " + db.table + " (meter_id, read_at, value, unit, quality) VALUES "
        + "('meter-1', '2026-01-01 00:15:00+00', " + db.valueLiteral("1234.500")
        + ", 'kWh', 'estimated')");
    db.insertReadings(9);

    Claim first = source.claim(4);
    assertEquals(List.of(1L, 2L, 3L, 4L), ids(first));
    assertFalse(first.resumed());
    Reading r = first.readings().get(0);
    assertEquals("meter-1", r.meterId());
    assertEquals(Instant.parse("2026-01-01T00:15:00Z"), r.timestamp());
    assertEquals(new BigDecimal("1234.500"), r.value());
    assertEquals("estimated", r.quality().orElseThrow());
    assertTrue(first.readings().get(1).quality().isEmpty());
    assertEquals(clock.instant().plus(LEASE), first.leaseExpiresAt());
    assertEquals(1, journaled(), "journaled when claimed, before it can be sent");
    assertEquals(10, source.pendingCount(), "claimed readings are still pending");

    source.settle(first, List.of());
    assertEquals(0, journaled());
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
      db.execute("INSERT INTO " + db.table + " (meter_id, read_at, value, unit) VALUES ('m', "
          + "'2026-01-01 00:00:00+00', " + db.valueLiteral(v) + ", 'kWh')");
    }
    List<String> read = source.claim(10).readings().stream()
        .map(r -> r.value().toPlainString()).collect(Collectors.toList());
    assertEquals(values, read);
  }

  @Test
  void aReleasedBatchComesBackWholeBeforeANewOne() throws Exception {
    JdbcReadingSource source = source();
    db.insertReadings(15);
    Claim first = source.claim(5);
    Claim second = source.claim(5);
    assertEquals(List.of(6L, 7L, 8L, 9L, 10L), ids(second), "the next batch, claimed ahead");
    source.release(first);

    Claim again = source.claim(3);
    assertEquals(first.batch().batchId(), again.batch().batchId(), "the same batch, whole");
    assertEquals(ids(first), ids(again), "larger than asked for: a journaled batch is never cut");
    assertTrue(again.resumed());
    assertNotEquals(first.key(), again.key());
    assertEquals(List.of(11L, 12L, 13L, 14L, 15L), ids(source.claim(10)));
    assertEquals(15, source.pendingCount());
  }

  @Test
  void aReleasedClaimHoldsNothing() throws Exception {
    JdbcReadingSource source = source();
    db.insertReadings(3);
    Claim claim = source.claim(3);
    source.release(claim);
    source.release(claim);

    assertThrows(LeaseLostException.class, () -> source.settle(claim, List.of()));
    assertEquals(Map.of(), source.renew(List.of(claim)));
    assertEquals(3, source.pendingCount());
    Claim again = source.claim(3);
    source.release(claim);
    source.settle(again, List.of());
    assertEquals(0, source.pendingCount());
  }

  @Test
  void batchesJournaledBeforeACrashComeBackWholeAfterARestart() throws Exception {
    JdbcReadingSource beforeCrash = source();
    db.insertReadings(12);
    Claim first = beforeCrash.claim(4);
    Claim second = beforeCrash.claim(4);
    db.insertReadings(2);

    // A new process of the same worker on the same database.
    JdbcReadingSource afterRestart = source();
    afterRestart.recoverClaims();
    Claim resumed1 = afterRestart.claim(100);
    Claim resumed2 = afterRestart.claim(100);
    assertEquals(first.batch().batchId(), resumed1.batch().batchId());
    assertEquals(second.batch().batchId(), resumed2.batch().batchId());
    assertTrue(resumed1.resumed() && resumed2.resumed());
    assertEquals(List.of(9L, 10L, 11L, 12L, 13L, 14L), ids(afterRestart.claim(100)),
        "then new batches, of readings in no journaled batch");
    afterRestart.settle(resumed1, List.of());
    assertEquals(2, journaled());
  }

  @Test
  void aLapsedLeaseIsTakenOverWithTheSameBatchAndTheOldClaimChangesNothing() throws Exception {
    JdbcReadingSource source = source();
    db.insertReadings(5);
    Claim old = source.claim(5);
    assertTrue(source.claim(5).isEmpty(), "the lease holds");

    advance(LEASE.plusSeconds(1));
    Claim takeover = source.claim(5);
    assertEquals(old.batch().batchId(), takeover.batch().batchId());
    assertTrue(takeover.resumed());
    assertEquals(ids(old), ids(takeover));
  }

  @Test
  void theOldClaimOfATakenOverBatchCanNeitherSettleNorRenewNorReform() throws Exception {
    JdbcReadingSource source = source();
    db.insertReadings(5);
    Claim old = source.claim(5);
    advance(LEASE.plusSeconds(1));
    Claim takeover = source.claim(5);

    assertThrows(LeaseLostException.class,
        () -> source.settle(old, List.of(new Rejection(1, "refused"))));
    assertThrows(LeaseLostException.class,
        () -> source.reform(old, List.of(old.readings().subList(0, 2))));
    assertEquals(Map.of(), source.renew(List.of(old)));
    source.release(old);
    assertEquals(5, source.pendingCount(), "nothing changed");
    assertTrue(source.listQuarantined(10).isEmpty());
    assertEquals(1, journaled());

    source.settle(takeover, List.of());
    assertEquals(0, source.pendingCount());
  }

  /**
   * A lease is timed in this process on monotonic time: after the wall clock stepped back a day, a
   * lapsed batch is taken over once its lease has passed, not a day later (the look for lapsed
   * batches was due at a wall-clock instant, and an in-process hold lapsed at one).
   */
  @Test
  void aLapsedLeaseIsTakenOverOnTimeAfterTheWallClockStepsBackADay() throws Exception {
    JdbcReadingSource source = source();
    db.insertReadings(5);
    Claim old = source.claim(5);
    assertTrue(source.claim(5).isEmpty(), "the lease holds");

    clock.stepWallClock(Duration.ofDays(-1));
    advance(LEASE.plusSeconds(1));
    Claim takeover = source.claim(5);
    assertEquals(old.batch().batchId(), takeover.batch().batchId(),
        "taken over once the lease passed, not a day later");
    assertTrue(takeover.resumed());
    assertEquals(clock.instant().plus(LEASE), takeover.leaseExpiresAt(),
        "the lease told to the engine is stamped on the wall clock as it reads now");
  }

  /**
   * A step of the wall clock forward does not lapse a lease held in this process (on PostgreSQL
   * the database's clock, which did not step, judges it): the batch is not handed out a second
   * time while its holder is still sending it, and the holder renews and settles it.
   */
  @Test
  void aWallClockStepForwardLapsesNoLease() throws Exception {
    JdbcReadingSource source = source();
    db.insertReadings(5);
    Claim held = source.claim(5);

    clock.stepWallClock(Duration.ofDays(1));
    clock.advance(Duration.ofSeconds(1));
    assertTrue(source.claim(5).isEmpty(), "still held: no time passed for the lease");
    assertEquals(Map.of(held.key(), clock.instant().plus(LEASE)), source.renew(List.of(held)));
    source.settle(held, List.of());
    assertEquals(0, source.pendingCount());
    assertEquals(0, journaled());
  }

  /**
   * A reading committed late, below the rows already claimed, is found once the queue looks
   * drained, on monotonic time: after the wall clock stepped back a day it was not looked for
   * until the wall clock caught up.
   */
  @Test
  void aReadingCommittedLateBelowTheClaimsIsFoundAfterTheWallClockStepsBackADay()
      throws Exception {
    JdbcReadingSource source = source();
    insertWithId(10);
    Claim claim = source.claim(10);
    assertEquals(List.of(10L), ids(claim));
    source.settle(claim, List.of());
    assertTrue(source.claim(10).isEmpty());

    insertWithId(5);
    clock.stepWallClock(Duration.ofDays(-1));
    advance(LEASE);
    assertEquals(List.of(5L), ids(source.claim(10)));
  }

  private void insertWithId(long id) throws SQLException {
    db.execute("INSERT INTO " + db.table + " (id, meter_id, read_at, value, unit) VALUES (" + id
        + ", 'meter-late', '2026-01-01 00:15:00+00', " + db.valueLiteral("1.000") + ", 'kWh')");
  }

  @Test
  void renewKeepsABatchHeldPastItsOriginalLease() throws Exception {
    JdbcReadingSource source = source();
    db.insertReadings(5);
    Claim claim = source.claim(5);
    advance(LEASE.dividedBy(2));
    Map<String, Instant> renewed = source.renew(List.of(claim, Claim.empty()));
    assertEquals(Map.of(claim.key(), clock.instant().plus(LEASE)), renewed);

    advance(LEASE.dividedBy(2).plusSeconds(1));
    assertTrue(source.claim(5).isEmpty(), "still held past the original lease");
    advance(LEASE);
    assertEquals(claim.batch().batchId(), source.claim(5).batch().batchId());
  }

  @Test
  void aPartialRejectionIsSettledAtomically() throws Exception {
    JdbcReadingSource source = source();
    db.insertReadings(5);
    Claim claim = source.claim(5);
    source.settle(claim, List.of(new Rejection(2, "unknown meter"), new Rejection(4, "too old"),
        new Rejection(99, "not in this batch")));

    assertEquals(3, db.count(db.table, "sync_status = 2"));
    List<QuarantinedReading> quarantined = source.listQuarantined(10);
    assertEquals(List.of(2L, 4L), quarantined.stream().map(QuarantinedReading::id)
        .collect(Collectors.toList()));
    assertEquals("unknown meter", quarantined.get(0).reason());
    assertEquals(0, source.pendingCount());
    assertEquals(0, journaled());
    assertThrows(LeaseLostException.class, () -> source.settle(claim, List.of()),
        "settled once");
  }

  @Test
  void aFailedSettlementLeavesTheBatchJournaledAndUnchanged() throws Exception {
    source();
    db.insertReadings(4);
    AtomicBoolean crash = new AtomicBoolean(false);
    JdbcReadingSource source = JdbcReadingSource.builder(crashingOnCommit(db.dataSource, crash))
        .setTable(db.names()).setClock(clock)
        .setTicker(clock::nanos).setLease(LEASE).setWorkerId("worker-a").build();
    Claim claim = source.claim(4);

    crash.set(true);
    assertThrows(ReadingSourceException.class,
        () -> source.settle(claim, List.of(new Rejection(2, "refused"))));
    crash.set(false);
    assertEquals(4, source.pendingCount());
    assertEquals(0, db.count(db.table, "sync_status = 2"));
    assertTrue(source.listQuarantined(10).isEmpty());
    assertEquals(1, journaled());

    source.release(claim);
    Claim again = source.claim(10);
    assertEquals(claim.batch().batchId(), again.batch().batchId());
    source.settle(again, List.of(new Rejection(2, "refused")));
    assertEquals(1, source.listQuarantined(10).size());
  }

  @Test
  void reformJournalsEachPartAndFreesTheRest() throws Exception {
    JdbcReadingSource source = source();
    db.insertReadings(10);
    Claim refused = source.claim(10);
    List<Reading> r = refused.readings();
    List<Claim> parts = source.reform(refused,
        List.of(List.of(r.get(2), r.get(0), r.get(1)), r.subList(3, 5)));

    assertEquals(List.of(1L, 2L, 3L), ids(parts.get(0)), "each part in id order");
    assertEquals(List.of(4L, 5L), ids(parts.get(1)));
    assertFalse(parts.get(0).resumed());
    assertEquals(2, journaled());
    assertThrows(LeaseLostException.class, () -> source.settle(refused, List.of()));
    assertEquals(List.of(6L, 7L, 8L, 9L, 10L), ids(source.claim(10)),
        "readings in no part are pending again");

    source.settle(parts.get(0), List.of());
    JdbcReadingSource afterRestart = source();
    afterRestart.recoverClaims();
    Claim resumed = afterRestart.claim(10);
    assertEquals(parts.get(1).batch().batchId(), resumed.batch().batchId(),
        "a part is journaled like any batch");
    assertThrows(IllegalArgumentException.class,
        () -> afterRestart.reform(resumed, List.of(r.subList(0, 1))), "not in the batch");
  }

  @Test
  void aClaimAbandonedWithoutCommitIsDeliveredAgain() throws Exception {
    source();
    db.insertReadings(6);
    AtomicBoolean crashOnCommit = new AtomicBoolean(false);
    JdbcReadingSource dying = JdbcReadingSource.builder(crashingOnCommit(db.dataSource, crashOnCommit))
        .setTable(db.names()).setClock(clock).setTicker(clock::nanos).build();

    crashOnCommit.set(true);
    assertThrows(ReadingSourceException.class, () -> dying.claim(4));
    crashOnCommit.set(false);
    assertEquals(0, journaled());
    assertEquals(List.of(1L, 2L, 3L, 4L), ids(source().claim(4)));
  }

  /** A DataSource whose connections fail at commit, leaving the transaction uncommitted. */
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
  void theBuilderRefusesAShortLeaseAndABadWorkerId() {
    JdbcReadingSourceBuilder builder = JdbcReadingSource.builder(db.dataSource);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> builder.setLease(Duration.ofSeconds(1)));
    assertEquals("lease must be between PT5S and PT24H: PT1S", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> builder.setWorkerId(" "));
    assertEquals("workerId must be 1 to 64 characters: ' '", e.getMessage());
    assertTrue(builder.build().toString().contains("workerId="));
  }
}

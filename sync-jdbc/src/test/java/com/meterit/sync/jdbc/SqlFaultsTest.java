package com.meterit.sync.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.meterit.sync.api.StoreFault;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each database's error codes, and what kind of store failure each one is. */
class SqlFaultsTest {

  /** sqlite-jdbc puts the primary result code in the error code, and no SQLState. */
  @ParameterizedTest(name = "SQLite {0} {1} is {2}")
  @CsvSource({
      "11, SQLITE_CORRUPT, DAMAGED",
      "26, SQLITE_NOTADB, DAMAGED",
      "13, SQLITE_FULL, FULL",
      "8, SQLITE_READONLY, UNAVAILABLE",
      "10, SQLITE_IOERR, UNAVAILABLE",
      "14, SQLITE_CANTOPEN, UNAVAILABLE",
      "7, SQLITE_NOMEM, UNAVAILABLE",
      "5, SQLITE_BUSY, TRANSIENT",
      "6, SQLITE_LOCKED, TRANSIENT",
      "19, SQLITE_CONSTRAINT, TRANSIENT",
  })
  void sqliteResultCodes(int code, String name, StoreFault fault) {
    assertEquals(fault, SqlFaults.classify(Dialect.SQLITE,
        new SQLException("[" + name + "] test", null, code)));
  }

  @Test
  void sqliteExtendedIoErrorCodeIsUnavailable() {
    // SQLITE_IOERR_WRITE: an extended code, whose low byte is the primary one.
    assertEquals(StoreFault.UNAVAILABLE,
        SqlFaults.classify(Dialect.SQLITE, new SQLException("disk I/O error", null, 778)));
  }

  @Test
  void sqliteMissingTableIsASchemaError() {
    assertEquals(StoreFault.DAMAGED, SqlFaults.classify(Dialect.SQLITE,
        new SQLException("[SQLITE_ERROR] SQL error or missing database (no such table: "
            + "meter_readings)", null, 1)));
  }

  @Test
  void sqliteClosedConnectionIsUnavailable() {
    assertEquals(StoreFault.UNAVAILABLE, SqlFaults.classify(Dialect.SQLITE,
        new SQLException("database connection closed")));
  }

  @ParameterizedTest(name = "H2 {0} {1} is {2}")
  @CsvSource({
      "90030, FILE_CORRUPTED_1, DAMAGED",
      "90048, FILE_VERSION_ERROR_1, DAMAGED",
      "42102, TABLE_OR_VIEW_NOT_FOUND_DATABASE_EMPTY_1, DAMAGED",
      "42103, TABLE_OR_VIEW_NOT_FOUND_WITH_CANDIDATES_2, DAMAGED",
      "42104, TABLE_OR_VIEW_NOT_FOUND_1, DAMAGED",
      "42122, COLUMN_NOT_FOUND_1, DAMAGED",
      "90143, ROW_NOT_FOUND_IN_PRIMARY_INDEX, DAMAGED",
      "8000, ERROR_OPENING_DATABASE_1, UNAVAILABLE",
      "90098, DATABASE_IS_CLOSED, UNAVAILABLE",
      "90121, DATABASE_CALLED_AT_SHUTDOWN, UNAVAILABLE",
      "90108, OUT_OF_MEMORY, UNAVAILABLE",
      "90097, DATABASE_IS_READ_ONLY, UNAVAILABLE",
      "90028, IO_EXCEPTION_1, UNAVAILABLE",
      "90031, IO_EXCEPTION_2, UNAVAILABLE",
      "90067, CONNECTION_BROKEN_1, UNAVAILABLE",
      "90020, DATABASE_ALREADY_OPEN_1, UNAVAILABLE",
      "90146, DATABASE_NOT_FOUND_WITH_IF_EXISTS_1, UNAVAILABLE",
      "50200, LOCK_TIMEOUT_1, TRANSIENT",
      "40001, DEADLOCK_1, TRANSIENT",
      "23505, DUPLICATE_KEY_1, TRANSIENT",
  })
  void h2ErrorCodes(int code, String name, StoreFault fault) {
    assertEquals(fault, SqlFaults.classify(Dialect.H2,
        new SQLException(name, String.valueOf(code), code)));
  }

  @Test
  void h2WriteFailureForLackOfSpaceIsFull() {
    // H2 2.x has no code of its own for a full disk: the file system's ENOSPC is the cause.
    SQLException e = new SQLException("IO Exception: \"java.io.IOException: No space left on "
        + "device\"", "90028", 90028, new java.io.IOException("No space left on device"));
    assertEquals(StoreFault.FULL, SqlFaults.classify(Dialect.H2, e));
  }

  @ParameterizedTest(name = "PostgreSQL {0} is {1}")
  @CsvSource({
      "XX001, DAMAGED",
      "XX002, DAMAGED",
      "42P01, DAMAGED",
      "42703, DAMAGED",
      "53100, FULL",
      "54000, TRANSIENT",
      "08006, UNAVAILABLE",
      "08001, UNAVAILABLE",
      "57P01, UNAVAILABLE",
      "57P02, UNAVAILABLE",
      "57P03, UNAVAILABLE",
      "53200, UNAVAILABLE",
      "25006, UNAVAILABLE",
      "58030, UNAVAILABLE",
      "40001, TRANSIENT",
      "40P01, TRANSIENT",
      "55P03, TRANSIENT",
      "57014, TRANSIENT",
      "23505, TRANSIENT",
  })
  void postgresSqlStates(String sqlState, StoreFault fault) {
    assertEquals(fault, SqlFaults.classify(Dialect.POSTGRESQL,
        new SQLException("test", sqlState)));
  }

  @Test
  void theWorstFaultAmongTheCausesCounts() {
    // HikariCP's "connection is not available" carries the driver's reason as its cause.
    SQLException corrupt = new SQLException("[SQLITE_CORRUPT] malformed", null, 11);
    assertEquals(StoreFault.DAMAGED, SqlFaults.classify(Dialect.SQLITE,
        new SQLTransientConnectionException("meter-sync - Connection is not available", "08001",
            corrupt)));
  }

  @Test
  void outOfMemoryAmongTheCausesIsUnavailable() {
    SQLException e = new SQLException("General error", "HY000", 50000,
        new OutOfMemoryError("Java heap space"));
    assertEquals(StoreFault.UNAVAILABLE, SqlFaults.classify(Dialect.H2, e));
  }

  @Test
  void aChainedNextExceptionCounts() {
    SQLException batch = new SQLException("batch entry 0 failed", "XX000");
    batch.setNextException(new SQLException("could not write block: No space left", "53100"));
    assertEquals(StoreFault.FULL, SqlFaults.classify(Dialect.POSTGRESQL, batch));
  }

  @Test
  void beforeTheDatabaseIsKnownTheDriverDecides() {
    assertEquals(StoreFault.DAMAGED,
        SqlFaults.classify(null, new SQLException("[SQLITE_NOTADB] file is not a database", null, 26)));
    assertEquals(StoreFault.UNAVAILABLE,
        SqlFaults.classify(null, new SQLException("Database is already closed", "90121", 90121)));
    assertEquals(StoreFault.DAMAGED, SqlFaults.classify(null, new SQLException("x", "XX001")));
  }

  @Test
  void faultsHaveAShortLabelForOneLineErrors() {
    assertEquals("disk full", SqlFaults.label(StoreFault.FULL));
    assertEquals("database damaged", SqlFaults.label(StoreFault.DAMAGED));
    assertEquals("database unavailable", SqlFaults.label(StoreFault.UNAVAILABLE));
  }
}

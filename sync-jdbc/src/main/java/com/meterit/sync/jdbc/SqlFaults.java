package com.meterit.sync.jdbc;

import com.meterit.sync.api.StoreFault;
import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Tells what kind of {@link StoreFault} a driver's {@link SQLException} reports, by each
 * database's own codes: SQLite's result codes (sqlite-jdbc puts the primary one in the error
 * code), H2's error codes, PostgreSQL's SQLStates. The worst fault found anywhere in the chain
 * of causes and next exceptions counts, since a pool wraps the driver's reason in its own.
 */
final class SqlFaults {
  // SQLite primary result codes.
  private static final int SQLITE_ERROR = 1;
  private static final int SQLITE_BUSY = 5;
  private static final int SQLITE_LOCKED = 6;
  private static final int SQLITE_NOMEM = 7;
  private static final int SQLITE_READONLY = 8;
  private static final int SQLITE_IOERR = 10;
  private static final int SQLITE_CORRUPT = 11;
  private static final int SQLITE_FULL = 13;
  private static final int SQLITE_CANTOPEN = 14;
  private static final int SQLITE_NOTADB = 26;

  // H2 error codes (org.h2.api.ErrorCode), named here so that sync-jdbc needs no H2 class.
  private static final int H2_ERROR_OPENING_DATABASE = 8000;
  private static final int H2_DATABASE_NOT_FOUND = 90013;
  private static final int H2_DATABASE_ALREADY_OPEN = 90020;
  private static final int H2_IO_EXCEPTION_1 = 90028;
  private static final int H2_FILE_CORRUPTED = 90030;
  private static final int H2_IO_EXCEPTION_2 = 90031;
  private static final int H2_FILE_VERSION_ERROR = 90048;
  private static final int H2_FILE_ENCRYPTION_ERROR = 90049;
  private static final int H2_FILE_CREATION_FAILED = 90062;
  private static final int H2_CONNECTION_BROKEN = 90067;
  private static final int H2_SCHEMA_NOT_FOUND = 90079;
  private static final int H2_DATABASE_IS_READ_ONLY = 90097;
  private static final int H2_DATABASE_IS_CLOSED = 90098;
  private static final int H2_OUT_OF_MEMORY = 90108;
  private static final int H2_DATABASE_CALLED_AT_SHUTDOWN = 90121;
  private static final int H2_FILE_NOT_FOUND = 90124;
  private static final int H2_ROW_NOT_FOUND_IN_PRIMARY_INDEX = 90143;
  private static final int H2_DATABASE_NOT_FOUND_WITH_IF_EXISTS = 90146;

  private SqlFaults() {}

  /**
   * The kind of failure {@code e} reports on {@code dialect}, or on any of the three when the
   * database is not known yet (null): the worst found in its chain.
   */
  static StoreFault classify(Dialect dialect, SQLException e) {
    StoreFault worst = StoreFault.TRANSIENT;
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    Deque<Throwable> todo = new ArrayDeque<>();
    todo.push(e);
    while (!todo.isEmpty()) {
      Throwable t = todo.pop();
      if (seen.put(t, Boolean.TRUE) != null) {
        continue;
      }
      worst = worse(worst, one(dialect, t));
      if (t.getCause() != null) {
        todo.push(t.getCause());
      }
      if (t instanceof SQLException && ((SQLException) t).getNextException() != null) {
        todo.push(((SQLException) t).getNextException());
      }
    }
    return worst;
  }

  /** A few words naming {@code fault}, for a one-line error. */
  static String label(StoreFault fault) {
    switch (fault) {
      case FULL:
        return "disk full";
      case DAMAGED:
        return "database damaged";
      case UNAVAILABLE:
        return "database unavailable";
      default:
        return "transient";
    }
  }

  private static StoreFault one(Dialect dialect, Throwable t) {
    if (t instanceof OutOfMemoryError) {
      return StoreFault.UNAVAILABLE;
    }
    if (noSpaceLeft(t)) {
      return StoreFault.FULL;
    }
    if (!(t instanceof SQLException)) {
      return StoreFault.TRANSIENT;
    }
    SQLException e = (SQLException) t;
    if (dialect == null) {
      return worse(worse(sqlite(e), h2(e)), postgresql(e));
    }
    switch (dialect) {
      case SQLITE:
        return sqlite(e);
      case H2:
        return h2(e);
      default:
        return postgresql(e);
    }
  }

  private static StoreFault sqlite(SQLException e) {
    if (e.getSQLState() != null) {
      return connectionState(e.getSQLState());
    }
    String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    switch (e.getErrorCode() & 0xff) {
      case SQLITE_CORRUPT:
      case SQLITE_NOTADB:
        return StoreFault.DAMAGED;
      case SQLITE_FULL:
        return StoreFault.FULL;
      case SQLITE_READONLY:
      case SQLITE_IOERR:
      case SQLITE_CANTOPEN:
      case SQLITE_NOMEM:
        return StoreFault.UNAVAILABLE;
      case SQLITE_BUSY:
      case SQLITE_LOCKED:
        return StoreFault.TRANSIENT;
      case SQLITE_ERROR:
        // SQLITE_ERROR is generic; on meter-sync's own statements, a missing table or column
        // means the schema is not the one this code made.
        return message.contains("no such table") || message.contains("no such column")
            || message.contains("has no column named")
            ? StoreFault.DAMAGED : StoreFault.TRANSIENT;
      default:
        // sqlite-jdbc's own "database connection closed" has no code.
        return e.getErrorCode() == 0 && message.contains("closed")
            ? StoreFault.UNAVAILABLE : StoreFault.TRANSIENT;
    }
  }

  private static StoreFault h2(SQLException e) {
    int code = e.getErrorCode();
    if (code >= 42000 && code < 43000) {
      return StoreFault.DAMAGED;
    }
    switch (code) {
      case H2_FILE_CORRUPTED:
      case H2_FILE_VERSION_ERROR:
      case H2_FILE_ENCRYPTION_ERROR:
      case H2_SCHEMA_NOT_FOUND:
      case H2_ROW_NOT_FOUND_IN_PRIMARY_INDEX:
        return StoreFault.DAMAGED;
      case H2_ERROR_OPENING_DATABASE:
      case H2_DATABASE_NOT_FOUND:
      case H2_DATABASE_ALREADY_OPEN:
      case H2_IO_EXCEPTION_1:
      case H2_IO_EXCEPTION_2:
      case H2_FILE_CREATION_FAILED:
      case H2_CONNECTION_BROKEN:
      case H2_DATABASE_IS_READ_ONLY:
      case H2_DATABASE_IS_CLOSED:
      case H2_OUT_OF_MEMORY:
      case H2_DATABASE_CALLED_AT_SHUTDOWN:
      case H2_FILE_NOT_FOUND:
      case H2_DATABASE_NOT_FOUND_WITH_IF_EXISTS:
        return StoreFault.UNAVAILABLE;
      default:
        return code == 0 ? connectionState(e.getSQLState()) : StoreFault.TRANSIENT;
    }
  }

  private static StoreFault postgresql(SQLException e) {
    String state = e.getSQLState();
    if (state == null || state.length() != 5) {
      return StoreFault.TRANSIENT;
    }
    if (state.equals("XX001") || state.equals("XX002") || state.startsWith("42")) {
      return StoreFault.DAMAGED;
    }
    if (state.equals("53100")) {
      return StoreFault.FULL;
    }
    if (state.startsWith("08") || state.startsWith("58") || state.equals("57P01")
        || state.equals("57P02") || state.equals("57P03") || state.equals("53200")
        || state.equals("25006")) {
      return StoreFault.UNAVAILABLE;
    }
    return StoreFault.TRANSIENT;
  }

  /** SQLState class 08, which pools (HikariCP's "Connection is closed") use for any database. */
  private static StoreFault connectionState(String state) {
    return state != null && state.startsWith("08") ? StoreFault.UNAVAILABLE : StoreFault.TRANSIENT;
  }

  private static boolean noSpaceLeft(Throwable t) {
    String message = t.getMessage();
    return t instanceof IOException && message != null
        && message.contains("No space left on device");
  }

  private static StoreFault worse(StoreFault a, StoreFault b) {
    return rank(b) > rank(a) ? b : a;
  }

  /** Damage outranks a full disk, which outranks a lost connection: the more specific reason. */
  private static int rank(StoreFault fault) {
    switch (fault) {
      case DAMAGED:
        return 3;
      case FULL:
        return 2;
      case UNAVAILABLE:
        return 1;
      default:
        return 0;
    }
  }
}

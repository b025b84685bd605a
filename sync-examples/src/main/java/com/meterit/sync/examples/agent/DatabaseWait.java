package com.meterit.sync.examples.agent;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Waits for a Sync Database that is not up yet, as after a power cut when the agent starts
 * before PostgreSQL: retries with backoff and says so once per change of reason, rather than
 * exiting as if the configuration were wrong. A database that answers and refuses (bad
 * credentials, an H2 file that cannot be created) is not waited for.
 */
final class DatabaseWait {
  /** The first pause between attempts. */
  static final Duration DEFAULT_FIRST_DELAY = Duration.ofSeconds(1);
  /** The longest pause between attempts. */
  static final Duration DEFAULT_MAX_DELAY = Duration.ofSeconds(30);

  /** One connection attempt. */
  interface Connector {
    void connect() throws SQLException;
  }

  private DatabaseWait() {}

  /**
   * Connects until it works or {@code stop} opens.
   *
   * @return true once a connection worked; false if stop opened first
   * @throws SQLException the first failure that waiting would not cure
   */
  static boolean await(Connector connector, CountDownLatch stop, Duration firstDelay,
      Duration maxDelay, Consumer<String> log) throws SQLException {
    long startedNanos = System.nanoTime();
    String lastReason = null;
    Duration delay = firstDelay;
    while (true) {
      try {
        connector.connect();
        if (lastReason != null) {
          log.accept("Sync Database reachable after "
              + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startedNanos) + " s");
        }
        return true;
      } catch (SQLException e) {
        if (!notUpYet(e)) {
          throw e;
        }
        String reason = reason(e);
        if (!reason.equals(lastReason)) {
          lastReason = reason;
          log.accept("Sync Database not reachable yet (" + reason + "); retrying every "
              + firstDelay.getSeconds() + " to " + maxDelay.getSeconds() + " s until it answers");
        }
      }
      try {
        if (stop.await(delay.toMillis(), TimeUnit.MILLISECONDS)) {
          return false;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
      delay = delay.multipliedBy(2).compareTo(maxDelay) > 0 ? maxDelay : delay.multipliedBy(2);
    }
  }

  /**
   * Whether the failure is one that time may cure: nothing listens yet, the server is starting,
   * the database is not created yet, all connections are taken, an H2 file is held by another
   * process, or the disk is full (the agent waits out a disk that fills while it runs, too).
   */
  static boolean notUpYet(SQLException failure) {
    if (diskFull(failure)) {
      return true;
    }
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ConnectException || t instanceof UnknownHostException
          || t instanceof SocketTimeoutException || t instanceof NoRouteToHostException) {
        return true;
      }
      if (t instanceof SQLException) {
        String state = ((SQLException) t).getSQLState();
        if (state != null && (state.startsWith("08")  // connection exception
            || state.equals("57P03")                   // PostgreSQL: starting up
            || state.equals("3D000")                   // PostgreSQL: no such database yet
            || state.equals("53300")                   // PostgreSQL: too many connections
            || state.equals("90020"))) {               // H2: file in use by another process
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Whether the file system of an embedded database is full: SQLITE_FULL, or, in WAL mode, the
   * {@code -shm} file that a full disk keeps from growing (sqlite-jdbc names the extended code in
   * its message only); H2 passes the system's own words on.
   */
  static boolean diskFull(SQLException failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      String message = String.valueOf(t.getMessage());
      if (message.startsWith("[SQLITE_FULL]") || message.startsWith("[SQLITE_IOERR_SHMSIZE]")
          || message.contains("No space left on device")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the database itself is damaged, which no wait and no restart cures: SQLite's
   * SQLITE_CORRUPT or SQLITE_NOTADB (sqlite-jdbc names them at the start of its message), H2's
   * 90030 (file corrupted), PostgreSQL's XX001 and XX002 (data or index corrupted).
   */
  static boolean damaged(SQLException failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      String message = String.valueOf(t.getMessage());
      if (message.startsWith("[SQLITE_CORRUPT") || message.startsWith("[SQLITE_NOTADB]")) {
        return true;
      }
      if (t instanceof SQLException) {
        String state = ((SQLException) t).getSQLState();
        if ("90030".equals(state) || "XX001".equals(state) || "XX002".equals(state)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether the database refused the credentials: SYNC_DB_USER or SYNC_DB_PASSWORD is wrong. */
  static boolean badCredentials(SQLException failure) {
    String state = failure.getSQLState();
    return state != null && state.startsWith("28");
  }

  /** The failure in a few words, without a stack trace. */
  static String reason(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException || t instanceof UnknownHostException) {
        return Failures.why(t);
      }
    }
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (diskFull(e)) {
      message = "its disk is full: " + message;
    }
    // PostgreSQL prefixes the severity; H2 appends its error code in brackets.
    String line = message.replaceFirst("^FATAL: ", "").replaceAll("\\s+", " ").trim();
    int period = line.indexOf(". ");
    return period > 0 ? line.substring(0, period) : line;
  }
}

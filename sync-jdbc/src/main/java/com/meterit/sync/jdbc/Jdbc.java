package com.meterit.sync.jdbc;

import com.meterit.sync.api.ReadingSourceException;
import com.meterit.sync.api.StoreFault;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs work in one transaction on a borrowed connection, and maps failures to the API's, each
 * with its {@link StoreFault}.
 */
final class Jdbc {
  private static final Logger log = LoggerFactory.getLogger(Jdbc.class);

  interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private final Dialect dialect;
  private volatile DataSource dataSource;

  /** @param dialect the database, or null while it is being recognized */
  Jdbc(DataSource dataSource, Dialect dialect) {
    this.dataSource = dataSource;
    this.dialect = dialect;
  }

  /** Borrows from {@code fresh} from now on: a reopened pool. */
  void replace(DataSource fresh) {
    this.dataSource = fresh;
  }

  DataSource dataSource() {
    return dataSource;
  }

  /**
   * Runs {@code work} and commits, or rolls back on any failure so that nothing half-done stays.
   *
   * @throws ReadingSourceException naming {@code what}, when the database failed
   */
  <T> T inTransaction(String what, Work<T> work) {
    try (Connection c = dataSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      if (autoCommit) {
        c.setAutoCommit(false);
      }
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException | Error e) {
        rollbackQuietly(c);
        throw e;
      } finally {
        if (autoCommit) {
          restoreAutoCommit(c);
        }
      }
    } catch (SQLException e) {
      throw failure(what, e, dialect);
    }
  }

  /**
   * {@code e} as the API's exception: {@code "settling a batch failed (disk full): ..."}, the
   * words in brackets naming any fault other than a transient one.
   */
  static ReadingSourceException failure(String what, SQLException e, Dialect dialect) {
    StoreFault fault = SqlFaults.classify(dialect, e);
    String kind = fault == StoreFault.TRANSIENT ? "" : " (" + SqlFaults.label(fault) + ")";
    return new ReadingSourceException(what + " failed" + kind + ": " + e.getMessage(), e, fault);
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException e) {
      log.debug("Rollback failed", e);
    }
  }

  private static void restoreAutoCommit(Connection c) {
    try {
      c.setAutoCommit(true);
    } catch (SQLException e) {
      log.debug("Could not restore auto-commit", e);
    }
  }
}

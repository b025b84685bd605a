package com.meterit.sync.jdbc;

import com.meterit.sync.api.ReadingSourceException;
import com.meterit.sync.api.StoreFault;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.SQLException;
import java.util.Properties;
import javax.sql.DataSource;

/**
 * The only class that refers to HikariCP; loaded only after {@link ConnectionPool} found it.
 * HikariCP validates a connection that sat idle before handing it out, evicts one whose failure
 * says it is dead (a restarted or terminated server backend), and masks the password when it
 * logs its configuration.
 */
final class HikariPool {
  private HikariPool() {}

  static DataSource open(String jdbcUrl, String user, String password) {
    return open(jdbcUrl, user, password, new Properties());
  }

  /**
   * @param driverProperties passed to the driver with every connection it opens; settings in the
   *     URL win over them (sqlite-jdbc reads both)
   */
  static DataSource open(String jdbcUrl, String user, String password,
      Properties driverProperties) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("meter-sync");
    config.setJdbcUrl(jdbcUrl);
    if (user != null && !user.isEmpty()) {
      config.setUsername(user);
    }
    if (password != null && !password.isEmpty()) {
      config.setPassword(password);
    }
    config.setDataSourceProperties(driverProperties);
    config.setMaximumPoolSize(ConnectionPool.maxSize(jdbcUrl));
    config.setMinimumIdle(ConnectionPool.MIN_IDLE);
    config.setMaxLifetime(ConnectionPool.MAX_LIFETIME.toMillis());
    config.setKeepaliveTime(ConnectionPool.KEEPALIVE.toMillis());
    config.setConnectionTimeout(ConnectionPool.CONNECTION_TIMEOUT.toMillis());
    config.setValidationTimeout(ConnectionPool.VALIDATION_TIMEOUT.toMillis());
    // No MBeans: a host that wants them passes its own pool.
    config.setRegisterMbeans(false);
    try {
      return new HikariDataSource(config);
    } catch (RuntimeException e) {
      // PoolInitializationException when the database refuses, a plain RuntimeException when no
      // driver takes the URL: either way the URL is not usable. Its message is masked, and the
      // driver's exception is not attached: a host that logs this one with its causes would
      // print the driver's own message, password and all.
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      StoreFault fault = cause instanceof SQLException
          ? SqlFaults.classify(null, (SQLException) cause) : StoreFault.TRANSIENT;
      throw new ReadingSourceException("connecting failed: " + cause.getClass().getName() + ": "
          + ConnectionPool.mask(String.valueOf(cause.getMessage()), password), null, fault);
    }
  }
}

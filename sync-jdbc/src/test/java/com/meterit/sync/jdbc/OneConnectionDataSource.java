package com.meterit.sync.jdbc;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;

/**
 * A pool of one: a borrower waits until the connection lent before is closed, as a host's pool
 * of size one would make it. A path that borrows while holding, or waits for a lock while holding,
 * deadlocks here.
 */
final class OneConnectionDataSource extends WrappingDataSource {
  private final Semaphore available = new Semaphore(1, true);

  OneConnectionDataSource(DataSource real) {
    super(real);
  }

  @Override
  public Connection getConnection() throws SQLException {
    try {
      available.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted waiting for the connection", e);
    }
    Connection connection;
    try {
      connection = real.getConnection();
    } catch (SQLException | RuntimeException e) {
      available.release();
      throw e;
    }
    AtomicBoolean returned = new AtomicBoolean();
    return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
        new Class<?>[] {Connection.class}, (p, m, a) -> {
          if (m.getName().equals("close")) {
            if (returned.compareAndSet(false, true)) {
              try {
                connection.close();
              } finally {
                available.release();
              }
            }
            return null;
          }
          try {
            return m.invoke(connection, a);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }
}

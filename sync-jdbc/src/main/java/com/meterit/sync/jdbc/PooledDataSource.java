package com.meterit.sync.jdbc;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The DataSource behind {@link JdbcReadingSource#fromEnv()}: DriverManager connections, with a
 * few idle ones kept for reuse so that each claim does not open a connection (a new PostgreSQL
 * backend costs milliseconds). A host with a real pool should pass that to the builder instead.
 */
final class PooledDataSource implements DataSource, AutoCloseable {
  private static final int MAX_IDLE = 4;

  private final String url;
  private final Properties properties = new Properties();
  private final Deque<Connection> idle = new ArrayDeque<>();
  private boolean closed;

  PooledDataSource(String url, String user, String password) {
    this.url = url;
    if (user != null && !user.isEmpty()) {
      properties.setProperty("user", user);
    }
    if (password != null && !password.isEmpty()) {
      properties.setProperty("password", password);
    }
  }

  /** The URL with any password parameter masked, for messages. */
  static String mask(String url) {
    return url.replaceAll("(?i)(password=)[^;&]*", "$1****");
  }

  @Override
  public Connection getConnection() throws SQLException {
    Connection physical = null;
    synchronized (this) {
      if (closed) {
        throw new SQLException("the data source is closed");
      }
      physical = idle.pollFirst();
    }
    if (physical == null || physical.isClosed()) {
      physical = DriverManager.getConnection(url, properties);
    }
    return wrap(physical);
  }

  private Connection wrap(Connection physical) {
    InvocationHandler handler = new InvocationHandler() {
      private boolean returned;

      @Override
      public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        switch (method.getName()) {
          case "close":
            if (!returned) {
              returned = true;
              giveBack(physical);
            }
            return null;
          case "isClosed":
            return returned || physical.isClosed();
          default:
            if (returned) {
              throw new SQLException("the connection was closed");
            }
            try {
              return method.invoke(physical, args);
            } catch (InvocationTargetException e) {
              throw e.getCause();
            }
        }
      }
    };
    return (Connection) Proxy.newProxyInstance(
        PooledDataSource.class.getClassLoader(), new Class<?>[] {Connection.class}, handler);
  }

  private void giveBack(Connection physical) throws SQLException {
    boolean keep;
    synchronized (this) {
      keep = !closed && idle.size() < MAX_IDLE && !physical.isClosed() && physical.getAutoCommit();
      if (keep) {
        idle.addFirst(physical);
      }
    }
    if (!keep) {
      physical.close();
    }
  }

  @Override
  public void close() {
    Deque<Connection> toClose;
    synchronized (this) {
      closed = true;
      toClose = new ArrayDeque<>(idle);
      idle.clear();
    }
    for (Connection c : toClose) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // Closing on shutdown; nothing to do about it.
      }
    }
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException("credentials are fixed at construction");
  }

  @Override
  public PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {}

  @Override
  public void setLoginTimeout(int seconds) {
    DriverManager.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() {
    return DriverManager.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException();
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    throw new SQLException("not a wrapper of " + type);
  }

  @Override
  public boolean isWrapperFor(Class<?> type) {
    return type.isInstance(this);
  }

  @Override
  public String toString() {
    return "PooledDataSource{url=" + mask(url) + '}';
  }
}

package com.meterit.sync.jdbc;

import com.meterit.sync.api.ConfigurationException;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;
import javax.sql.DataSource;

/**
 * The connection pool that {@link JdbcReadingSource#fromEnv()} and {@link
 * JdbcReadingSource#builder(String, String, String)} open: HikariCP, an optional dependency.
 * This class only checks that HikariCP is there; {@link HikariPool} is the one that refers to it,
 * so a host that passes its own DataSource never loads a HikariCP class.
 */
final class ConnectionPool {
  /** The setting a missing HikariCP is reported under. */
  static final String HIKARICP = "HikariCP";
  /**
   * The most connections: {@value}. The prefetch, a settlement for each batch in flight (4 in the
   * default upload window), lease renewals and a status read, so that none waits for another. A
   * wider window shares them: a settlement waits, at most {@link #CONNECTION_TIMEOUT}.
   */
  static final int MAX_SIZE = 8;
  /**
   * The most connections to a SQLite file: {@value}. SQLite lets one connection write at a time,
   * so more only wait on its lock (sleeping in its busy handler) instead of in the pool's queue,
   * and each holds a page cache of its own. Two let a claim and a settlement be prepared
   * side by side.
   */
  static final int SQLITE_MAX_SIZE = 2;
  /** Connections kept open while idle: {@value}, so a claim after a quiet hour needs no login. */
  static final int MIN_IDLE = 1;
  /** A connection is retired after 30 minutes, before a firewall or server limit cuts it. */
  static final Duration MAX_LIFETIME = Duration.ofMinutes(30);
  /** An idle connection is checked every 5 minutes, so a dead one is found before a claim. */
  static final Duration KEEPALIVE = Duration.ofMinutes(5);
  /** How long a claim waits for a connection: 10 seconds, then the run fails and retries later. */
  static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(10);
  /** How long a validation may take: 5 seconds. */
  static final Duration VALIDATION_TIMEOUT = Duration.ofSeconds(5);

  private static final String HIKARI_CLASS = "com.zaxxer.hikari.HikariDataSource";

  private ConnectionPool() {}

  /**
   * Opens a pool and its first connection. Every connection to SQLite gets {@link
   * SqliteSettings#PRAGMAS}, and a missing SQLite file is made private first ({@link
   * SqliteSettings#createPrivateFile}).
   *
   * @throws ConfigurationException naming HikariCP when it is not on the class path
   * @throws com.meterit.sync.api.ReadingSourceException when the first connection fails
   */
  static DataSource open(String jdbcUrl, String user, String password) {
    if (!available(ConnectionPool.class.getClassLoader())) {
      throw new ConfigurationException(HIKARICP, HIKARICP + " is not on the class path: "
          + "JdbcReadingSource.fromEnv() and builder(jdbcUrl, user, password) pool their "
          + "connections with it. Add com.zaxxer:HikariCP 7.x, or build the source on your own "
          + "DataSource with JdbcReadingSource.builder(dataSource)");
    }
    if (SqliteSettings.fileOf(jdbcUrl) != null) {
      // Before the driver opens it, or it would make the file with the process's umask.
      SqliteSettings.createPrivateFile(jdbcUrl);
    }
    Properties driverProperties = isSqlite(jdbcUrl) ? SqliteSettings.pragmasUnder(jdbcUrl)
        : new Properties();
    return HikariPool.open(withDurableCommits(jdbcUrl), user, password, driverProperties);
  }

  /**
   * An embedded H2 database's URL with {@code WRITE_DELAY=0} unless it sets its own: by default H2
   * writes commits up to half a second late, so a killed process would lose the record of the
   * batches it sent and re-form them under new keys. (Still not power-safe: see H2_FILE_URL.)
   */
  static String withDurableCommits(String jdbcUrl) {
    String url = jdbcUrl.toLowerCase(Locale.ROOT);
    boolean embeddedH2 = url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:h2:mem:")
        && !url.startsWith("jdbc:h2:tcp:") && !url.startsWith("jdbc:h2:ssl:");
    return embeddedH2 && !url.contains(";write_delay=") ? jdbcUrl + ";WRITE_DELAY=0" : jdbcUrl;
  }

  /** {@link #SQLITE_MAX_SIZE} for a SQLite URL, otherwise {@link #MAX_SIZE}. */
  static int maxSize(String jdbcUrl) {
    return isSqlite(jdbcUrl) ? SQLITE_MAX_SIZE : MAX_SIZE;
  }

  static boolean available(ClassLoader loader) {
    try {
      Class.forName(HIKARI_CLASS, false, loader);
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  static boolean isSqlite(String jdbcUrl) {
    return jdbcUrl.regionMatches(true, 0, "jdbc:sqlite:", 0, "jdbc:sqlite:".length());
  }

  /** The URL with any password parameter masked, for messages. */
  static String mask(String url) {
    return url.replaceAll("(?i)(password=)[^;&]*", "$1****");
  }

  /** {@code text} with the URL's password parameter, and the password itself, masked. */
  static String mask(String text, String password) {
    String masked = mask(text);
    return password == null || password.isEmpty() ? masked : masked.replace(password, "****");
  }
}

package com.meterit.sync.jdbc;

import com.meterit.sync.api.ConfigurationException;
import com.meterit.sync.api.ReadingSourceException;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;

/** {@link JdbcReadingSource#fromEnv()}: the variables, their defaults and their checks. */
final class EnvSettings {
  /** The file of the former default Sync Database, H2, relative to the working directory. */
  static final String LEGACY_H2_FILE = "./data/meter-sync.mv.db";

  private EnvSettings() {}

  static JdbcReadingSource source(Map<String, String> env) {
    String url = url(env);
    if (!url.startsWith("jdbc:")) {
      throw new ConfigurationException(JdbcReadingSource.SYNC_DB_URL, JdbcReadingSource.SYNC_DB_URL
          + " must be a JDBC URL starting with jdbc: '" + ConnectionPool.mask(url) + "'");
    }
    String workerId = env.getOrDefault(JdbcReadingSource.SYNC_WORKER_ID, "").trim();
    if (workerId.length() > JdbcReadingSource.MAX_WORKER_ID_LENGTH) {
      throw new ConfigurationException(JdbcReadingSource.SYNC_WORKER_ID,
          JdbcReadingSource.SYNC_WORKER_ID + " must be 1 to "
              + JdbcReadingSource.MAX_WORKER_ID_LENGTH + " characters: '" + workerId + "'");
    }
    Duration lease = lease(env.get(JdbcReadingSource.SYNC_LEASE_SECONDS));
    ChronoUnit readAtUnit = readAtUnit(env.get(JdbcReadingSource.SYNC_READ_AT_UNIT));
    String password = env.get(JdbcReadingSource.SYNC_DB_PASSWORD);
    try {
      JdbcReadingSourceBuilder builder = JdbcReadingSource.builder(url,
          env.get(JdbcReadingSource.SYNC_DB_USER), password).setLease(lease);
      if (!workerId.isEmpty()) {
        builder.setWorkerId(workerId);
      }
      if (readAtUnit != null) {
        builder.setTable(ReadingsTable.builder().setNumericTimestampUnit(readAtUnit).build());
      }
      // build() closes the pool it was given when the database turns out unusable.
      return builder.build();
    } catch (ReadingSourceException | UnsupportedDatabaseException e) {
      // A driver's message may quote the URL, password and all ("No suitable driver found for").
      throw new ConfigurationException(JdbcReadingSource.SYNC_DB_URL, JdbcReadingSource.SYNC_DB_URL
          + " " + ConnectionPool.mask(url) + " is not usable: "
          + ConnectionPool.mask(String.valueOf(e.getMessage()), password));
    }
  }

  /** {@link JdbcReadingSource#databaseUrl}. */
  static String url(Map<String, String> env) {
    String url = env.get(JdbcReadingSource.SYNC_DB_URL);
    if (url != null && !url.isBlank()) {
      return url.trim();
    }
    if (Files.exists(Path.of(LEGACY_H2_FILE))) {
      throw new ConfigurationException(JdbcReadingSource.SYNC_DB_URL, JdbcReadingSource.SYNC_DB_URL
          + " is not set and " + LEGACY_H2_FILE + " holds a queue of the former default, H2; "
          + "the default is now SQLite. To keep H2, set SYNC_DB_URL='"
          + JdbcReadingSource.H2_FILE_URL + "'; to move over, run with that until status shows 0 "
          + "pending, then stop and move " + LEGACY_H2_FILE + " aside");
    }
    return JdbcReadingSource.DEFAULT_DB_URL;
  }

  /** The epoch unit a bare-number reading time is counted in, or null when none is declared. */
  private static ChronoUnit readAtUnit(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "seconds":
        return ChronoUnit.SECONDS;
      case "millis":
        return ChronoUnit.MILLIS;
      case "micros":
        return ChronoUnit.MICROS;
      case "nanos":
        return ChronoUnit.NANOS;
      default:
        throw new ConfigurationException(JdbcReadingSource.SYNC_READ_AT_UNIT,
            JdbcReadingSource.SYNC_READ_AT_UNIT + " must be seconds, millis, micros or nanos: '"
                + text + "'");
    }
  }

  private static Duration lease(String text) {
    if (text == null || text.isBlank()) {
      return JdbcReadingSource.DEFAULT_LEASE;
    }
    long seconds;
    try {
      seconds = Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      seconds = -1;
    }
    long min = JdbcReadingSource.MIN_LEASE.getSeconds();
    long max = JdbcReadingSource.MAX_LEASE.getSeconds();
    if (seconds < min || seconds > max) {
      throw new ConfigurationException(JdbcReadingSource.SYNC_LEASE_SECONDS,
          JdbcReadingSource.SYNC_LEASE_SECONDS + " must be a whole number of seconds from " + min
              + " to " + max + ": '" + text + "'");
    }
    return Duration.ofSeconds(seconds);
  }

  /**
   * This host's name: {@code HOSTNAME}, {@code COMPUTERNAME}, else what the network stack
   * reports, cut to the longest worker id; {@link JdbcReadingSource#DEFAULT_WORKER_ID} when none
   * is known.
   */
  static String hostWorkerId() {
    String name = System.getenv("HOSTNAME");
    if (name == null || name.isBlank()) {
      name = System.getenv("COMPUTERNAME");
    }
    if (name == null || name.isBlank()) {
      try {
        name = InetAddress.getLocalHost().getHostName();
      } catch (IOException | RuntimeException e) {
        name = null;
      }
    }
    if (name == null || name.isBlank()) {
      return JdbcReadingSource.DEFAULT_WORKER_ID;
    }
    name = name.trim();
    int max = JdbcReadingSource.MAX_WORKER_ID_LENGTH;
    return name.length() <= max ? name : name.substring(0, max);
  }
}

package com.meterit.sync.jdbc;

import com.meterit.sync.api.ReadingSourceException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What meter-sync sets on an SQLite Sync Database: the PRAGMAs of every connection it opens, and
 * private files. A host that opens its own SQLite {@code DataSource} sets the same PRAGMAs on it
 * (for xerial sqlite-jdbc: {@code new SQLiteDataSource(new SQLiteConfig(SqliteSettings.pragmas()))}
 * or {@code ?}{@value #PRAGMAS} on its URL); a source built on one that is not power-safe logs a
 * warning once.
 *
 * <p>Why these settings. In SQLite's default rollback-journal mode ({@code DELETE}) a commit
 * becomes durable when the journal is deleted, a change of the directory, which SQLite forces to
 * the disk only at {@code synchronous=EXTRA}; with {@code FULL} a power cut can bring the journal
 * back and roll a committed settlement back. In {@code WAL} mode a commit is an append to the
 * {@code -wal} file, which {@code synchronous=FULL} forces to the disk before the commit returns;
 * SQLite forces the directory once, when it creates the {@code -wal} file. WAL also lets
 * collectors insert while the agent reads. The busy timeout makes a connection wait for the write
 * lock, which a claim or a settlement holds for one short transaction, instead of failing at once.
 *
 * <p>Not instantiable; thread-safe.
 */
public final class SqliteSettings {
  private static final Logger log = LoggerFactory.getLogger(SqliteSettings.class);

  /**
   * The PRAGMAs of every SQLite connection meter-sync opens, in the form of a sqlite-jdbc URL's
   * query: {@value}. A setting in the host's own URL wins over these.
   */
  public static final String PRAGMAS = "journal_mode=WAL&synchronous=FULL&busy_timeout=5000";

  private static final String URL_PREFIX = "jdbc:sqlite:";
  /** PRAGMA synchronous levels as SQLite reports them: 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA. */
  private static final String[] SYNCHRONOUS = {"OFF", "NORMAL", "FULL", "EXTRA"};
  private static final int FULL = 2;
  private static final int EXTRA = 3;

  private SqliteSettings() {}

  /** {@link #PRAGMAS} as driver properties, a new copy each time. */
  public static Properties pragmas() {
    Properties properties = new Properties();
    for (String pair : PRAGMAS.split("&")) {
      int eq = pair.indexOf('=');
      properties.setProperty(pair.substring(0, eq), pair.substring(eq + 1));
    }
    return properties;
  }

  /**
   * {@link #pragmas()} less those that {@code jdbcUrl}'s query sets: the host's own settings win
   * (sqlite-jdbc itself would let the properties win).
   */
  static Properties pragmasUnder(String jdbcUrl) {
    Properties properties = pragmas();
    int query = jdbcUrl.indexOf('?');
    if (query >= 0) {
      for (String pair : jdbcUrl.substring(query + 1).split("&")) {
        int eq = pair.indexOf('=');
        String key = (eq < 0 ? pair : pair.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
        properties.remove(key);
      }
    }
    return properties;
  }

  /**
   * Before SQLite opens the file that {@code jdbcUrl} names: creates its missing directories
   * ({@code 0700}) and the empty file ({@code 0600}) where the file system has POSIX modes, so
   * that the {@code -wal} and {@code -shm} files, which SQLite creates with the database file's
   * mode, are private too. A file that exists keeps its mode, and a directory that exists keeps
   * its own: that is how a host shares the file with collectors. Does nothing for any other URL,
   * or for a database in memory.
   *
   * @throws ReadingSourceException naming the file when it or its directory cannot be created
   */
  public static void createPrivateFile(String jdbcUrl) {
    Path file = fileOf(jdbcUrl);
    if (file == null || Files.exists(file)) {
      return;
    }
    boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    Path directory = file.getParent();
    try {
      if (directory != null && !Files.isDirectory(directory)) {
        if (posix) {
          Files.createDirectories(directory, mode("rwx------"));
        } else {
          Files.createDirectories(directory);
        }
      }
    } catch (IOException | SecurityException e) {
      throw new ReadingSourceException("the SQLite file " + file + " cannot be created in "
          + directory + ", a directory that cannot be created (" + e.getClass().getSimpleName()
          + ")", null);
    }
    try {
      if (posix) {
        Files.createFile(file, mode("rw-------"));
        // The umask may have taken bits away from the mode asked for; never adds any here.
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } else {
        Files.createFile(file);
      }
    } catch (FileAlreadyExistsException e) {
      // Another process made it first: its mode is its own business.
    } catch (IOException | SecurityException e) {
      throw new ReadingSourceException("the SQLite file " + file + " cannot be created in "
          + directory + " (" + e.getClass().getSimpleName() + ")", null);
    }
  }

  private static FileAttribute<Set<PosixFilePermission>> mode(String mode) {
    return PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode));
  }

  /**
   * The database file of an SQLite URL ({@code jdbc:sqlite:path}, {@code jdbc:sqlite:file:path},
   * with or without a query), absolute; null for any other URL, for a database in memory and for
   * a resource.
   */
  public static Path fileOf(String jdbcUrl) {
    if (jdbcUrl == null || !jdbcUrl.regionMatches(true, 0, URL_PREFIX, 0, URL_PREFIX.length())) {
      return null;
    }
    String rest = jdbcUrl.substring(URL_PREFIX.length());
    int query = rest.indexOf('?');
    String options = query < 0 ? "" : rest.substring(query + 1).toLowerCase(Locale.ROOT);
    String name = query < 0 ? rest : rest.substring(0, query);
    if (name.startsWith("file:")) {
      name = name.substring("file:".length());
    }
    if (name.isEmpty() || name.startsWith(":memory:") || name.startsWith(":resource:")
        || options.contains("mode=memory")) {
      return null;
    }
    try {
      return Path.of(name).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      return null;
    }
  }

  /**
   * Logs a warning when the database {@code c} is connected to keeps its commits in a way a power
   * cut can undo: a rollback journal below {@code synchronous=EXTRA}, WAL below {@code FULL}, no
   * journal at all; or when writers do not wait for each other. A database in memory has nothing
   * to lose to a power cut.
   */
  static void warnIfNotPowerSafe(Connection c) throws SQLException {
    String file = query(c, "SELECT file FROM pragma_database_list WHERE name = 'main'");
    if (file == null || file.isEmpty()) {
      return;
    }
    String journal = query(c, "PRAGMA journal_mode").toLowerCase(Locale.ROOT);
    int synchronous = Integer.parseInt(query(c, "PRAGMA synchronous"));
    long busyTimeout = Long.parseLong(query(c, "PRAGMA busy_timeout"));
    boolean powerSafe = journal.equals("wal") ? synchronous >= FULL
        : (journal.equals("delete") || journal.equals("truncate") || journal.equals("persist"))
            && synchronous >= EXTRA;
    if (!powerSafe || busyTimeout == 0) {
      log.warn("The SQLite Sync Database {} runs with journal_mode={}, synchronous={} ({}), "
          + "busy_timeout={}: {}; set {} on every connection of its DataSource", file, journal,
          synchronous, synchronous >= 0 && synchronous < SYNCHRONOUS.length
              ? SYNCHRONOUS[synchronous] : "?", busyTimeout,
          powerSafe ? "a collector's write makes a claim fail at once instead of waiting"
              : "a power cut can undo a commit, and with it the record of what was sent",
          PRAGMAS);
    }
  }

  private static String query(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }
}

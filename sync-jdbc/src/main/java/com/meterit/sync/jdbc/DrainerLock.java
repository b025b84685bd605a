package com.meterit.sync.jdbc;

import com.meterit.sync.api.ReadingSourceException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a second process from draining an embedded database file (H2, SQLite). Batches of such a
 * file are held in the memory of the process that drains it ({@link ProcessClaims}), so two
 * processes draining it, for example two agents started on one SQLite file,
 * would put the same readings in two different batches. The drainer of a table holds an
 * operating-system lock on a file beside the database ({@code <database>.<table>.drainer.lock}),
 * which the system releases when the process ends, killed or not, so a restarted agent takes
 * over at once.
 *
 * <p>Sources in one process share the lock: several sources on one file in one process are the
 * host's own business, as they always were. The lock file is left in place when released, since
 * deleting it would race with a process about to lock it.
 */
final class DrainerLock {
  private static final Logger log = LoggerFactory.getLogger(DrainerLock.class);
  /**
   * H2's file-system prefixes, which {@code DATABASE_PATH()} keeps ({@code nioMapped:/x},
   * {@code split:30:/x}); a drive letter ({@code C:}) is one letter and is not one.
   */
  private static final Pattern FILE_SYSTEM_PREFIXES =
      Pattern.compile("^(?:[A-Za-z]{2,}:(?:\\d+:)?)+");
  /** The locks this process holds, by lock file, and how many sources use each. Class-guarded. */
  private static final Map<Path, Held> HELD = new HashMap<>();

  private static final class Held {
    final FileChannel channel;
    int users;

    Held(FileChannel channel) {
      this.channel = channel;
    }
  }

  /** Nothing locked: a database in memory, which no other process can reach. */
  static final DrainerLock NONE = new DrainerLock(null);

  private final Path lockFile;

  private DrainerLock(Path lockFile) {
    this.lockFile = lockFile;
  }

  /**
   * Takes the drainer lock of {@code table} in the database {@code c} is connected to. A database
   * in memory, or a server, has nothing to lock.
   *
   * @throws ReadingSourceException when another process drains the table
   */
  static DrainerLock take(Connection c, Dialect dialect, String table) throws SQLException {
    String query = dialect.databasePath();
    String path = null;
    if (query != null) {
      try (PreparedStatement select = c.prepareStatement(query);
          ResultSet rs = select.executeQuery()) {
        path = rs.next() ? rs.getString(1) : null;
      }
    }
    return path == null || path.isEmpty() ? NONE : acquire(path, table);
  }

  /**
   * The lock file of {@code table} in the embedded database at {@code databasePath} (as the
   * database names its own file), or null where the database lives in memory or in an archive
   * that no process drains. Table names are plain identifiers, safe in a file name, and matched
   * without regard to case, as the databases match them.
   */
  static Path lockFileOf(String databasePath, String table) {
    Matcher prefixes = FILE_SYSTEM_PREFIXES.matcher(databasePath);
    String file = databasePath;
    if (prefixes.find()) {
      String names = prefixes.group().toLowerCase(Locale.ROOT);
      if (names.contains("mem") || names.contains("zip")) {
        return null;
      }
      file = databasePath.substring(prefixes.end());
    }
    return Path.of(file + "." + table.toLowerCase(Locale.ROOT) + ".drainer.lock")
        .toAbsolutePath().normalize();
  }

  /**
   * Takes the drainer lock of {@code table} in the database at {@code databasePath}. Where the
   * lock file cannot be made (a server's path on another machine, a read-only directory), goes
   * on without it, with a warning: refusing would stop the only drainer there may be.
   *
   * @throws ReadingSourceException when another process holds it
   */
  static DrainerLock acquire(String databasePath, String table) {
    Path lockFile = lockFileOf(databasePath, table);
    if (lockFile == null) {
      return NONE;
    }
    synchronized (DrainerLock.class) {
      Held held = HELD.get(lockFile);
      if (held == null) {
        FileChannel channel = lock(lockFile, databasePath, table);
        if (channel == null) {
          return NONE;
        }
        held = new Held(channel);
        HELD.put(lockFile, held);
      }
      held.users++;
    }
    return new DrainerLock(lockFile);
  }

  /** @return the locked channel, or null when the lock file cannot be made */
  private static FileChannel lock(Path lockFile, String databasePath, String table) {
    FileChannel channel = null;
    try {
      channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock != null) {
        return channel;
      }
    } catch (IOException | OverlappingFileLockException e) {
      // Overlapping: this process holds the file under another spelling of its path; sources
      // of one process are the host's own business.
      closeQuietly(channel);
      log.warn("Cannot take the drainer lock {} of table {}: {}; draining without it, so make "
          + "sure no other process drains this table", lockFile, table,
          e.getClass().getSimpleName());
      return null;
    }
    closeQuietly(channel);
    throw new ReadingSourceException("another process is draining table " + table + " of "
        + databasePath + " (it holds " + lockFile + "): an H2 or SQLite table is drained by one "
        + "process only, "
        + "since its batches are held in that process's memory. Run one agent per file, or use "
        + "PostgreSQL for several workers; this source claims nothing until the other one stops",
        null);
  }

  /** Gives the lock back once no source of this process uses it any more. */
  void release() {
    if (lockFile == null) {
      return;
    }
    synchronized (DrainerLock.class) {
      Held held = HELD.get(lockFile);
      if (held != null && --held.users == 0) {
        HELD.remove(lockFile);
        closeQuietly(held.channel);
      }
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        log.debug("Closing a drainer lock file failed: {}", e.getClass().getSimpleName());
      }
    }
  }
}

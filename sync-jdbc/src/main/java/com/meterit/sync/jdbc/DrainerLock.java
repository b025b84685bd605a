package com.meterit.sync.jdbc;

import com.meterit.sync.api.ReadingSourceException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a second process from draining an embedded database file (H2, SQLite). Batches of such a
 * file are held in the memory of the process that drains it ({@link EmbeddedClaims}), so two
 * processes draining it, for example two agents started on one SQLite file,
 * would put the same readings in two different batches. The drainer of a table holds an
 * operating-system lock on a file in a directory beside the database
 * ({@code <database>.locks/<table>.drainer.lock}), which the system releases when the process
 * ends, killed or not, so a restarted agent takes over at once.
 *
 * <p>The gateway is shared with strangers: a lock file others could open would let any local
 * user take a shared lock and stop the agent draining. So the directory is 0700 and the file
 * 0600, tightened where they exist looser, and refused where they belong to another user. The
 * holder writes its pid into the file, so that a refusal can name it.
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
    return Path.of(file + ".locks", table.toLowerCase(Locale.ROOT) + ".drainer.lock")
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
      boolean posix = lockFile.getFileSystem().supportedFileAttributeViews().contains("posix");
      if (posix) {
        makePrivate(lockFile.getParent(), true);
      } else {
        Files.createDirectories(lockFile.getParent());
      }
      channel = posix
          ? FileChannel.open(lockFile, Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
              StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), PRIVATE_FILE)
          : FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
              StandardOpenOption.WRITE);
      if (posix) {
        makePrivate(lockFile, false);
      }
      FileLock lock = channel.tryLock();
      if (lock != null) {
        writePid(channel);
        return channel;
      }
    } catch (IOException | OverlappingFileLockException | UnsupportedOperationException e) {
      // Overlapping: this process holds the file under another spelling of its path; sources
      // of one process are the host's own business.
      closeQuietly(channel);
      log.warn("Cannot take the drainer lock {} of table {}: {}; draining without it, so make "
          + "sure no other process drains this table", lockFile, table,
          e.getClass().getSimpleName());
      return null;
    }
    String holder = holder(lockFile, channel);
    closeQuietly(channel);
    throw new ReadingSourceException("another process" + holder + " is draining table " + table
        + " of " + databasePath + " (it holds " + lockFile + "): an H2 or SQLite table is "
        + "drained by one process only, since its batches are held in that process's memory. "
        + "Run one agent per file, or use PostgreSQL for several workers; this source claims "
        + "nothing until the other one stops", null);
  }

  private static final Set<PosixFilePermission> FILE_MODE =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> DIRECTORY_MODE =
      PosixFilePermissions.fromString("rwx------");
  private static final FileAttribute<Set<PosixFilePermission>> PRIVATE_FILE =
      PosixFilePermissions.asFileAttribute(FILE_MODE);

  /**
   * Creates {@code path} private to this process's user (0700 for a directory, 0600 for a file),
   * or tightens it where it exists with looser modes.
   *
   * @throws ReadingSourceException when it belongs to another user, or is a link: the lock
   *     would then be theirs to take away
   */
  private static void makePrivate(Path path, boolean directory) throws IOException {
    Set<PosixFilePermission> mode = directory ? DIRECTORY_MODE : FILE_MODE;
    if (directory && Files.notExists(path, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectories(path.getParent());
      try {
        Files.createDirectory(path, PosixFilePermissions.asFileAttribute(mode));
      } catch (java.nio.file.FileAlreadyExistsException raced) {
        // another process made it first: checked below like any existing one
      }
    }
    if (Files.isSymbolicLink(path) || directory != Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      throw new ReadingSourceException("the drainer lock " + (directory ? "directory " : "file ")
          + path + " is not a plain " + (directory ? "directory" : "file") + "; remove it", null);
    }
    UserPrincipal owner = Files.getOwner(path, LinkOption.NOFOLLOW_LINKS);
    UserPrincipal me = path.getFileSystem().getUserPrincipalLookupService()
        .lookupPrincipalByName(System.getProperty("user.name"));
    if (!owner.equals(me)) {
      throw new ReadingSourceException("the drainer lock " + (directory ? "directory " : "file ")
          + path + " belongs to user " + owner.getName() + ", not to " + me.getName()
          + ", who drains the database: another user could keep it from draining. Remove it, "
          + "and keep the database's directory writable by the agent's user only", null);
    }
    Set<PosixFilePermission> current = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
    if (!current.equals(mode)) {
      Files.setPosixFilePermissions(path, mode);
      log.info("Made the drainer lock {} {} private ({} was {})",
          directory ? "directory" : "file", path, PosixFilePermissions.toString(mode),
          PosixFilePermissions.toString(current));
    }
  }

  /** Writes this process's pid into the locked file, for a refusal to name. */
  private static void writePid(FileChannel channel) {
    try {
      channel.truncate(0);
      channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n")
          .getBytes(StandardCharsets.US_ASCII)), 0);
    } catch (IOException e) {
      log.debug("Could not write the pid into the drainer lock: {}", e.getClass().getSimpleName());
    }
  }

  /**
   * Who holds the lock, as " (pid N)" or " (user U)", or empty when the system cannot tell: the
   * kernel's list of locks first, since a holder that is not an agent writes no pid, then the
   * pid the holding agent wrote.
   */
  private static String holder(Path lockFile, FileChannel channel) {
    String pid = pidInProcLocks(lockFile);
    if (pid == null) {
      try {
        ByteBuffer buffer = ByteBuffer.allocate(24);
        channel.read(buffer, 0);
        String written = new String(buffer.array(), 0, buffer.position(),
            StandardCharsets.US_ASCII).trim();
        pid = written.matches("\\d{1,19}") ? written : null;
      } catch (IOException e) {
        pid = null;
      }
    }
    return pid == null ? "" : " (pid " + pid + ")";
  }

  /** The pid holding a lock on {@code file} per Linux's {@code /proc/locks}, or null. */
  private static String pidInProcLocks(Path file) {
    try {
      Object inode = Files.getAttribute(file, "unix:ino");
      long self = ProcessHandle.current().pid();
      // "1: POSIX  ADVISORY  WRITE 4242 08:01:1234567 0 EOF"
      List<String> locks = Files.readAllLines(Path.of("/proc/locks"), StandardCharsets.US_ASCII);
      for (String line : locks) {
        String[] fields = line.trim().split("\\s+");
        if (fields.length >= 6 && !fields[1].equals("->") && fields[5].endsWith(":" + inode)
            && !fields[4].equals(Long.toString(self))) {
          return fields[4];
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or no unix attributes: the pid in the file will do
    }
    return null;
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

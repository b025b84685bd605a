package com.meterit.sync.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.meterit.sync.api.Claim;
import com.meterit.sync.api.ReadingSourceException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two processes on one H2 file through {@code AUTO_SERVER}, as two agents on a host's H2 URL that
 * enables it would be. Batches of an embedded file are held in the memory of the process that drains it, so
 * a second drainer would put the same readings in a second batch: it must claim nothing while the
 * first lives, and take over, first batch first, once it is killed. Each case here failed before
 * its mend.
 */
class DrainerLockTest {
  @TempDir
  Path dir;

  @Test
  void aSecondProcessClaimsNothingUntilTheFirstIsKilled() throws Exception {
    String url = sharedFile();
    insert(url, "meter_readings", 25);
    try (ChildDrainer first = ChildDrainer.start(url, "meter_readings")) {
      Set<Long> heldByFirst = first.claim();
      assertEquals(10, heldByFirst.size());

      try (JdbcReadingSource second = JdbcReadingSource.builder(url, null, null).build()) {
        ReadingSourceException refused = assertThrows(ReadingSourceException.class,
            () -> second.claim(100));
        assertTrue(refused.getMessage().contains("another process (pid " + first.pid()
            + ") is draining"), refused.getMessage());

        first.kill();

        Claim resumed = second.claim(100);
        assertTrue(resumed.resumed(), "the killed drainer's batch goes out again first");
        assertEquals(heldByFirst, ids(resumed), "whole, as the first formed it");
        second.settle(resumed, List.of());
        Claim rest = second.claim(100);
        assertEquals(25 - heldByFirst.size(), rest.size());
        assertTrue(ids(rest).stream().noneMatch(heldByFirst::contains));
      }
    }
  }

  /**
   * Table names are matched as the database matches unquoted names ({@link ReadingsTable}), so
   * "meter_readings" and "METER_READINGS" are one table on H2 and SQLite. The lock file was named
   * after the configured spelling, so a second process spelling it otherwise took a lock of its
   * own and drained beside the first.
   */
  @Test
  void aSecondProcessSpellingTheTableInOtherCaseIsStillLockedOut() throws Exception {
    String url = sharedFile();
    insert(url, "meter_readings", 30);
    try (ChildDrainer first = ChildDrainer.start(url, "meter_readings")) {
      assertEquals(10, first.claim().size());
      ReadingsTable upper = ReadingsTable.builder().setTable("METER_READINGS").build();
      try (JdbcReadingSource second =
          JdbcReadingSource.builder(url, null, null).setTable(upper).build()) {
        assertThrows(ReadingSourceException.class, () -> second.claim(10));
      }
    }
  }

  /**
   * H2's file-system prefixes: DATABASE_PATH() returns "nioMapped:/abs/path", which was taken for
   * a path under the working directory whose parent does not exist, so every claim was refused,
   * for ever, by the only process on the file. memFS: is in memory, and was refused too.
   */
  @ParameterizedTest
  @ValueSource(strings = {"nioMapped:", "async:", "split:", "retry:", "memFS:"})
  void anH2UrlWithAFileSystemPrefixStillDrains(String prefix) throws Exception {
    String url = "jdbc:h2:" + prefix + dir.resolve("prefixed") + ";NON_KEYWORDS=VALUE";
    try (JdbcReadingSource source = JdbcReadingSource.builder(url, null, null).build()) {
      source.createSchema();
      insert(url, "meter_readings", 5);
      assertEquals(5, source.claim(10).size());
    }
  }

  @Test
  void sourcesOfOneProcessShareTheLock() throws Exception {
    String url = sharedFile();
    insert(url, "meter_readings", 4);
    try (JdbcReadingSource one = JdbcReadingSource.builder(url, null, null).build();
        JdbcReadingSource two = JdbcReadingSource.builder(url, null, null).build()) {
      assertEquals(2, one.claim(2).size());
      assertEquals(2, two.claim(2).size(), "a second source of this process is the host's choice");
    }
  }

  /** An H2 file other processes reach through {@code AUTO_SERVER}, with the schema made. */
  private String sharedFile() {
    String url = "jdbc:h2:file:" + dir.resolve("meter-sync") + ";NON_KEYWORDS=VALUE"
        + ";DB_CLOSE_DELAY=-1;WRITE_DELAY=0;AUTO_SERVER=TRUE";
    try (JdbcReadingSource source = JdbcReadingSource.builder(url, null, null).build()) {
      source.createSchema();
    }
    return url;
  }

  /**
   * A lock file others could open (0644) let any local user take a shared lock on it, and the
   * agent's exclusive one failed on every run: the lock is private now, in a directory of its own.
   */
  @Test
  void theLockFileIsPrivateInADirectoryOnlyTheAgentMayWrite() throws Exception {
    assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"),
        "file permissions are checked on a POSIX file system only");
    String database = dir.resolve("sync").toString();
    DrainerLock lock = DrainerLock.acquire(database, "meter_readings");
    try {
      Path file = DrainerLock.lockFileOf(database, "meter_readings");
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
      assertEquals("rwx------",
          PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
      assertEquals(Long.toString(ProcessHandle.current().pid()),
          Files.readString(file).trim(), "the holder's pid is in the file");
    } finally {
      lock.release();
    }
  }

  @Test
  void looserModesOfAnExistingLockFileAndItsDirectoryAreTightened() throws Exception {
    assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"),
        "file permissions are checked on a POSIX file system only");
    String database = dir.resolve("sync").toString();
    Path file = DrainerLock.lockFileOf(database, "meter_readings");
    Files.createDirectories(file.getParent());
    Files.setPosixFilePermissions(file.getParent(), PosixFilePermissions.fromString("rwxrwxrwx"));
    Files.writeString(file, "");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    DrainerLock lock = DrainerLock.acquire(database, "meter_readings");
    try {
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
      assertEquals("rwx------",
          PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
    } finally {
      lock.release();
    }
  }

  private static Set<Long> ids(Claim claim) {
    Set<Long> ids = new TreeSet<>();
    claim.readings().forEach(r -> ids.add(r.id()));
    return ids;
  }

  private static void insert(String url, String table, int count) throws Exception {
    try (Connection c = DriverManager.getConnection(url);
        PreparedStatement insert = c.prepareStatement("INSERT INTO " + table
            + " (meter_id, read_at, \"VALUE\", unit) VALUES (?, ?, ?, 'kWh')")) {
      for (int i = 0; i < count; i++) {
        insert.setString(1, "meter-" + i);
        insert.setObject(2, OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC));
        insert.setBigDecimal(3, new BigDecimal("1.500"));
        insert.executeUpdate();
      }
    }
  }

  /** Another process draining a table: it claims ten readings each time it is asked to. */
  static final class ChildDrainer implements AutoCloseable {
    private final Process process;
    private final PrintStream in;
    private final BufferedReader out;

    private ChildDrainer(Process process) {
      this.process = process;
      this.in = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
      this.out = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    static ChildDrainer start(String url, String table) throws IOException {
      return new ChildDrainer(new ProcessBuilder(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
          System.getProperty("java.class.path"), Main.class.getName(), url, table)
          .redirectErrorStream(true).start());
    }

    /** The ids of the batch the child claimed. */
    Set<Long> claim() throws IOException {
      in.println("claim");
      String line;
      while ((line = out.readLine()) != null && !line.startsWith("CLAIMED ")) {
        // the child's log
      }
      assertTrue(line != null, "the child claimed");
      Set<Long> ids = new TreeSet<>();
      for (String id : line.substring("CLAIMED ".length()).split(",")) {
        if (!id.isEmpty()) {
          ids.add(Long.parseLong(id));
        }
      }
      return ids;
    }

    long pid() {
      return process.pid();
    }

    /** Kills the child and waits until it is gone, and its lock with it. */
    void kill() throws InterruptedException {
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
      process.destroyForcibly();
    }

    /** The child: a claim of ten per line of input, until its input ends or it is killed. */
    public static final class Main {
      public static void main(String[] args) throws Exception {
        JdbcReadingSource source = JdbcReadingSource.builder(args[0], null, null)
            .setTable(ReadingsTable.builder().setTable(args[1]).build()).build();
        BufferedReader commands =
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        while (commands.readLine() != null) {
          StringBuilder ids = new StringBuilder();
          source.claim(10).readings()
              .forEach(r -> ids.append(ids.length() == 0 ? "" : ",").append(r.id()));
          System.out.println("CLAIMED " + ids);
          System.out.flush();
        }
      }
    }
  }
}

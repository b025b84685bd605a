package com.meterit.sync.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.meterit.sync.api.ReadingSourceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The embedded default, SQLite, opened the way {@code fromEnv()} opens it: the PRAGMAs in force
 * on every connection the library hands out, and private files.
 */
class SqliteDefaultsTest {
  @TempDir
  Path dir;

  @Test
  void theDefaultIsTheSqliteFileUnderData() {
    assertEquals("jdbc:sqlite:./data/meter-sync.db", JdbcReadingSource.DEFAULT_DB_URL);
  }

  @Test
  void everyConnectionTheLibraryHandsOutRunsWalSynchronousFullAndTheBusyTimeout() throws Exception {
    String url = "jdbc:sqlite:" + dir.resolve("data").resolve("meter-sync.db");
    try (JdbcReadingSource source = JdbcReadingSource.fromEnv(Map.of("SYNC_DB_URL", url))) {
      source.createSchema();
      List<Connection> held = new ArrayList<>();
      try {
        // Held at once, as many as the pool opens, so that each is a connection of its own.
        for (int i = 0; i < ConnectionPool.SQLITE_MAX_SIZE; i++) {
          held.add(source.dataSource().getConnection());
        }
        for (Connection c : held) {
          assertEquals("wal", pragma(c, "journal_mode"));
          assertEquals("2", pragma(c, "synchronous"));  // FULL
          assertEquals("5000", pragma(c, "busy_timeout"));
        }
      } finally {
        for (Connection c : held) {
          c.close();
        }
      }
    }
  }

  @Test
  void theDirectoryTheFileAndItsWalAndShmArePrivate() throws Exception {
    Path data = dir.resolve("data");
    Path db = data.resolve("meter-sync.db");
    try (JdbcReadingSource source = JdbcReadingSource.fromEnv(Map.of("SYNC_DB_URL",
        "jdbc:sqlite:" + db))) {
      source.createSchema();
      assertEquals(0, source.pendingCount());
      assertEquals("rwx------", mode(data));
      assertEquals("rw-------", mode(db));
      // The pool keeps a connection open, so the WAL and its index are there.
      assertEquals("rw-------", mode(data.resolve("meter-sync.db-wal")));
      assertEquals("rw-------", mode(data.resolve("meter-sync.db-shm")));
    }
  }

  @Test
  void aFileTheHostCreatedKeepsItsModeAndItsJournalsFollowIt() throws Exception {
    Path db = Files.createFile(dir.resolve("shared.db"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-rw----")));
    Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-rw----"));
    try (JdbcReadingSource source = JdbcReadingSource.fromEnv(Map.of("SYNC_DB_URL",
        "jdbc:sqlite:" + db))) {
      source.createSchema();
      assertEquals("rw-rw----", mode(db));
      assertEquals("rw-rw----", mode(dir.resolve("shared.db-wal")));
    }
  }

  @Test
  void aFileThatCannotBeCreatedIsRefusedNamingItsDirectory() throws Exception {
    Path blocker = Files.writeString(dir.resolve("a-file"), "not a directory");
    ReadingSourceException e = assertThrows(ReadingSourceException.class,
        () -> SqliteSettings.createPrivateFile("jdbc:sqlite:" + blocker.resolve("data/x.db")));
    assertTrue(e.getMessage().startsWith("the SQLite file " + blocker.resolve("data/x.db")
        + " cannot be created in " + blocker.resolve("data")), e.getMessage());
  }

  @Test
  void aHostDataSourceThatIsNotPowerSafeIsWarnedOnce() throws Exception {
    SQLiteDataSource rollbackJournal = new SQLiteDataSource();  // the driver's DELETE mode
    rollbackJournal.setUrl("jdbc:sqlite:" + dir.resolve("host.db"));
    List<String> warnings = warningsWhileBuilding(rollbackJournal);
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).contains("journal_mode=delete, synchronous=2 (FULL)"),
        warnings.get(0));
    assertTrue(warnings.get(0).contains(SqliteSettings.PRAGMAS), warnings.get(0));
  }

  @Test
  void aHostDataSourceWithThePowerSafeSettingsIsNotWarned() throws Exception {
    SQLiteConfig config = new SQLiteConfig(SqliteSettings.pragmas());
    SQLiteDataSource powerSafe = new SQLiteDataSource(config);
    powerSafe.setUrl("jdbc:sqlite:" + dir.resolve("host.db"));
    assertEquals(List.of(), warningsWhileBuilding(powerSafe));
  }

  @Test
  void aHostsOwnPragmasInItsUrlWinAndAreWarned() throws Exception {
    String url = "jdbc:sqlite:" + dir.resolve("own.db") + "?journal_mode=DELETE";
    Logger logger = (Logger) LoggerFactory.getLogger("com.meterit.sync");
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    try (JdbcReadingSource source = JdbcReadingSource.fromEnv(Map.of("SYNC_DB_URL", url));
        Connection c = source.dataSource().getConnection()) {
      assertEquals("delete", pragma(c, "journal_mode"));
      assertEquals("5000", pragma(c, "busy_timeout"));
    } finally {
      logger.detachAppender(appender);
    }
    assertEquals(1, appender.list.stream().filter(e -> e.getLevel() == Level.WARN).count());
  }

  @Test
  void aDatabaseInMemoryHasNoFileAndNoWarning() throws Exception {
    SQLiteDataSource memory = new SQLiteDataSource();
    memory.setUrl("jdbc:sqlite::memory:");
    assertEquals(List.of(), warningsWhileBuilding(memory));
    SqliteSettings.createPrivateFile("jdbc:sqlite::memory:");
    SqliteSettings.createPrivateFile("jdbc:sqlite:");
    assertFalse(Files.exists(Path.of(":memory:")));
  }

  private static List<String> warningsWhileBuilding(DataSource dataSource) {
    Logger logger = (Logger) LoggerFactory.getLogger("com.meterit.sync");
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    try {
      JdbcReadingSource.builder(dataSource).build().close();
    } finally {
      logger.detachAppender(appender);
    }
    return appender.list.stream().filter(e -> e.getLevel() == Level.WARN)
        .map(ILoggingEvent::getFormattedMessage).collect(Collectors.toList());
  }

  private static String pragma(Connection c, String name) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA " + name)) {
      assertTrue(rs.next(), name);
      return rs.getString(1);
    }
  }

  private static String mode(Path path) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }
}

package com.meterit.sync.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.api.Claim;
import com.meterit.sync.api.ReadingSourceException;
import com.meterit.sync.api.StoreFault;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real databases that break under a running source: what the source says, and a reopen. */
class StoreFaultTest {
  @TempDir
  Path dir;

  @Test
  void aCorruptedSqliteFileIsReportedAsDamaged() throws Exception {
    Path file = dir.resolve("sync.db");
    try (JdbcReadingSource source = sqlite(file)) {
      insert("jdbc:sqlite:" + file, 2000);
      assertEquals(2000, source.pendingCount());
      try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
        int pageSize = 4096;
        for (long at = pageSize; at < raf.length(); at += 512) {
          raf.seek(at);
          raf.write(garbage(512));
        }
        // A new change counter: every connection drops the pages it cached.
        raf.seek(24);
        raf.writeInt(0x7eadbeef);
      }
      ReadingSourceException e = assertThrows(ReadingSourceException.class,
          () -> source.claim(100));
      assertEquals(StoreFault.DAMAGED, e.fault(), e.getMessage());
      assertTrue(e.getMessage().contains("(database damaged)"), e.getMessage());
    }
  }

  @Test
  void aSqliteFileThatIsNoLongerADatabaseIsReportedAsDamaged() throws Exception {
    Path file = dir.resolve("sync.db");
    try (JdbcReadingSource source = sqlite(file)) {
      insert("jdbc:sqlite:" + file, 10);
      try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
        raf.seek(0);
        raf.write(garbage(100));
      }
      ReadingSourceException e = assertThrows(ReadingSourceException.class,
          () -> source.pendingCount());
      assertEquals(StoreFault.DAMAGED, e.fault(), e.getMessage());
      assertTrue(e.getMessage().contains("SQLITE_NOTADB"), e.getMessage());
    }
  }

  @Test
  void anH2DatabaseShutDownUnderTheSourceIsUnavailableUntilReopened() throws Exception {
    String url = "jdbc:h2:file:" + dir.resolve("sync") + ";NON_KEYWORDS=VALUE";
    try (JdbcReadingSource source = JdbcReadingSource.fromEnv(Map.of("SYNC_DB_URL", url))) {
      source.createSchema();
      insert(url, 10);
      Claim held = source.claim(4);
      assertEquals(4, held.readings().size());
      try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
        s.execute("SHUTDOWN");
      }
      ReadingSourceException e = assertThrows(ReadingSourceException.class,
          () -> source.pendingCount());
      assertEquals(StoreFault.UNAVAILABLE, e.fault(), e.getMessage());

      assertTrue(source.reopen());
      // What it held survives the reopen: the batch in flight settles as it was journaled.
      source.settle(held, List.of());
      assertEquals(6, source.pendingCount());
    }
  }

  @Test
  void aSourceOnTheHostsDataSourceCannotReopenIt() throws Exception {
    SqliteDatabase db = new SqliteDatabase(dir);
    try (JdbcReadingSource source = JdbcReadingSource.builder(db.dataSource).build()) {
      assertFalse(source.reopen());
    }
  }

  @Test
  void aClosedSourceIsNotReopened() {
    JdbcReadingSource source = sqlite(dir.resolve("sync.db"));
    source.close();
    assertFalse(source.reopen());
  }

  /**
   * A source on a rollback-journal file: there, a new change counter in the header makes every
   * open connection drop its cached pages, so damage done under an open pool shows at once. In
   * the default WAL mode the pages would come from the WAL and the caches;
   * AgentStoreFailureTest covers that mode end to end.
   */
  private static JdbcReadingSource sqlite(Path file) {
    JdbcReadingSource source = JdbcReadingSource.fromEnv(
        Map.of("SYNC_DB_URL", "jdbc:sqlite:" + file + "?journal_mode=DELETE"));
    source.createSchema();
    return source;
  }

  private static void insert(String url, int count) throws Exception {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      for (int i = 0; i < count; i++) {
        s.addBatch("INSERT INTO meter_readings (meter_id, read_at, value, unit) VALUES ('m-" + i
            + "', '2026-01-01T00:15:00Z', '" + i + ".5', 'kWh')");
      }
      s.executeBatch();
      c.commit();
    }
  }

  private static byte[] garbage(int length) {
    byte[] bytes = new byte[length];
    new java.util.Random(42).nextBytes(bytes);
    return bytes;
  }
}

package com.meterit.sync.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.meterit.sync.api.ReadingSourceException;
import com.meterit.sync.api.StoreFault;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQLite in WAL mode on a file system that is really full (a tmpfs; skipped where it cannot be
 * mounted). Once the last connection closed, SQLite removed the {@code -wal} and {@code -shm}
 * files; opening again must make the {@code -shm}, which a full disk refuses with
 * SQLITE_IOERR_SHMSIZE, not SQLITE_FULL.
 */
class SqliteFullDiskTest {
  @TempDir
  Path dir;

  private FullFileSystem disk;

  @AfterEach
  void unmount() throws Exception {
    if (disk != null) {
      disk.close();
    }
  }

  @Test
  void aFullDiskThatRefusesTheSharedMemoryFileIsReportedAsFullNotUnavailable() throws Exception {
    disk = FullFileSystem.mount(dir.resolve("disk"), 2048);
    assumeTrue(disk != null, "a tmpfs cannot be mounted here");
    String url = "jdbc:sqlite:" + disk.root.resolve("sync.db");
    try (JdbcReadingSource source = JdbcReadingSource.builder(url, null, null).build()) {
      source.createSchema();
    }
    assertEquals(false, Files.exists(disk.root.resolve("sync.db-shm")));
    disk.fill();

    ReadingSourceException e = assertThrows(ReadingSourceException.class,
        () -> JdbcReadingSource.builder(url, null, null).build());
    assertEquals(StoreFault.FULL, e.fault(), e.getMessage());

    disk.free();
    try (JdbcReadingSource source = JdbcReadingSource.builder(url, null, null).build()) {
      assertEquals(0, source.pendingCount());
    }
  }
}

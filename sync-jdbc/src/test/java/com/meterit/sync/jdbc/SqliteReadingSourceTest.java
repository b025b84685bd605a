package com.meterit.sync.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.meterit.sync.api.Claim;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteReadingSourceTest extends JdbcBehaviourTest {
  @TempDir
  Path directory;

  @Override
  Database createDatabase() {
    return new SqliteDatabase(directory);
  }

  /**
   * A claim reads, then journals: on SQLite a transaction that read first cannot write once
   * another connection committed (SQLITE_BUSY_SNAPSHOT, not retried by the busy timeout), so a
   * claim takes the write lock first. A collector writing all along must not fail the claims.
   */
  @Test
  void claimsAndSettlementsGoOnWhileACollectorWrites() throws Exception {
    JdbcReadingSource source = source();
    CompletableFuture<Void> collector = CompletableFuture.runAsync(() -> {
      try {
        for (int i = 0; i < 100; i++) {
          db.insertReadings(20);
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    long settled = 0;
    while (!collector.isDone() || source.pendingCount() > 0) {
      Claim claim = source.claim(50);
      if (!claim.isEmpty()) {
        source.settle(claim, List.of());
        settled += claim.size();
      }
    }
    collector.join();
    assertEquals(2_000, settled);
  }
}

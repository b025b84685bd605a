package com.meterit.sync.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.api.Claim;
import com.meterit.sync.api.ReadingSourceException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a review of {@link DrainerLock} found; each test failed before its mend. */
class DrainerLockReviewTest {
  @TempDir
  Path dir;

  /**
   * H2 file-system prefixes (documented H2 URL forms; H2Files in sync-examples knows them):
   * DATABASE_PATH() returns "nioMapped:/abs/path", which was taken for a path under the working
   * directory whose parent does not exist, so every claim was refused, for ever, by a process
   * that was the only one on the file. memFS: is in memory, and was refused too.
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

  /**
   * Table names are matched as the database matches unquoted names (ReadingsTable), so
   * "meter_readings" and "METER_READINGS" are one table on H2 and SQLite; the lock file was
   * named after the configured spelling, so a second process spelling it otherwise took a lock
   * of its own and drained beside the first.
   */
  @Test
  void aSecondProcessSpellingTheTableInOtherCaseIsStillLockedOut() throws Exception {
    String url = "jdbc:h2:file:" + dir.resolve("meter-sync") + ";NON_KEYWORDS=VALUE"
        + ";DB_CLOSE_DELAY=-1;WRITE_DELAY=0;AUTO_SERVER=TRUE";
    try (JdbcReadingSource source = JdbcReadingSource.builder(url, null, null).build()) {
      source.createSchema();
    }
    insert(url, "meter_readings", 30);

    Process first = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-cp", System.getProperty("java.class.path"), Drainer.class.getName(),
        url, "meter_readings").redirectErrorStream(true).start();
    try {
      BufferedReader out = new BufferedReader(
          new InputStreamReader(first.getInputStream(), StandardCharsets.UTF_8));
      PrintStream in = new PrintStream(first.getOutputStream(), true, StandardCharsets.UTF_8);
      Set<Long> firstBatch = nextClaim(in, out);
      assertEquals(10, firstBatch.size());

      ReadingsTable upper = ReadingsTable.builder().setTable("METER_READINGS").build();
      try (JdbcReadingSource second = JdbcReadingSource.builder(url, null, null)
          .setTable(upper).build()) {
        Set<Long> seconds = new TreeSet<>();
        try {
          seconds.addAll(ids(second.claim(10)));   // the first's batch, while the first holds it
          seconds.addAll(ids(second.claim(10)));   // a new batch
        } catch (ReadingSourceException refused) {
          return;  // what the change promises
        }
        Set<Long> firstAgain = nextClaim(in, out);  // the first forms a batch again
        Set<Long> both = new TreeSet<>(firstAgain);
        both.retainAll(seconds);
        throw new AssertionError("the second process drained beside the first: first held "
            + firstBatch + " then " + firstAgain + "; second claimed " + seconds
            + "; in batches of both processes: " + both);
      }
    } finally {
      first.destroyForcibly();
    }
  }

  private static Set<Long> nextClaim(PrintStream in, BufferedReader out) throws Exception {
    in.println("claim");
    String line;
    while ((line = out.readLine()) != null && !line.startsWith("CLAIMED ")) {
      // other output
    }
    assertTrue(line != null, "the drainer answered");
    Set<Long> ids = new TreeSet<>();
    for (String id : line.substring("CLAIMED ".length()).split(",")) {
      if (!id.isEmpty()) {
        ids.add(Long.parseLong(id));
      }
    }
    return ids;
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

  /** A drainer on the table args[1]: claims ten on each line of stdin and says which. */
  public static final class Drainer {
    public static void main(String[] args) throws Exception {
      JdbcReadingSource source = JdbcReadingSource.builder(args[0], null, null)
          .setTable(ReadingsTable.builder().setTable(args[1]).build()).build();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      while (in.readLine() != null) {
        Claim claim = source.claim(10);
        StringBuilder ids = new StringBuilder();
        claim.readings().forEach(r -> ids.append(ids.length() == 0 ? "" : ",").append(r.id()));
        System.out.println("CLAIMED " + ids);
        System.out.flush();
      }
      Thread.sleep(Long.MAX_VALUE);
    }
  }
}

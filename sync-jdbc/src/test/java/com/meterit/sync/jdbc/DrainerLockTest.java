package com.meterit.sync.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.api.Claim;
import com.meterit.sync.api.ReadingSourceException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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

/**
 * Two processes on one H2 file through {@code AUTO_SERVER}, as two agents with the default URL
 * would be. Batches of an embedded file are held in the memory of the process that drains it, so
 * a second drainer would put the same readings in a second batch: it must claim nothing while the
 * first lives, and take over, first batch first, once it is killed.
 */
class DrainerLockTest {
  @TempDir
  Path dir;

  @Test
  void aSecondProcessClaimsNothingUntilTheFirstIsKilled() throws Exception {
    String url = "jdbc:h2:file:" + dir.resolve("meter-sync") + ";NON_KEYWORDS=VALUE"
        + ";DB_CLOSE_DELAY=-1;WRITE_DELAY=0;AUTO_SERVER=TRUE";
    try (JdbcReadingSource source = JdbcReadingSource.builder(url, null, null).build()) {
      source.createSchema();
    }
    insert(url, 25);

    Process first = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-cp", System.getProperty("java.class.path"), FirstDrainer.class.getName(),
        url).redirectErrorStream(true).start();
    try {
      BufferedReader out = new BufferedReader(
          new InputStreamReader(first.getInputStream(), StandardCharsets.UTF_8));
      String line;
      Set<Long> heldByFirst = new TreeSet<>();
      while ((line = out.readLine()) != null && !line.startsWith("CLAIMED ")) {
        // start-up output
      }
      assertTrue(line != null, "the first drainer claimed a batch");
      for (String id : line.substring("CLAIMED ".length()).split(",")) {
        heldByFirst.add(Long.parseLong(id));
      }

      try (JdbcReadingSource second = JdbcReadingSource.builder(url, null, null).build()) {
        ReadingSourceException refused = assertThrows(ReadingSourceException.class,
            () -> second.claim(100));
        assertTrue(refused.getMessage().contains("another process is draining"),
            refused.getMessage());

        first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);

        Claim resumed = second.claim(100);
        assertTrue(resumed.resumed(), "the killed drainer's batch goes out again first");
        assertEquals(heldByFirst, ids(resumed.readings()), "whole, as the first formed it");
        second.settle(resumed, List.of());
        Claim rest = second.claim(100);
        assertEquals(25 - heldByFirst.size(), rest.size());
        assertTrue(ids(rest.readings()).stream().noneMatch(heldByFirst::contains));
      }
    } finally {
      first.destroyForcibly();
    }
  }

  @Test
  void sourcesOfOneProcessShareTheLock() throws Exception {
    String url = "jdbc:h2:file:" + dir.resolve("shared") + ";NON_KEYWORDS=VALUE;AUTO_SERVER=TRUE";
    try (JdbcReadingSource one = JdbcReadingSource.builder(url, null, null).build();
        JdbcReadingSource two = JdbcReadingSource.builder(url, null, null).build()) {
      one.createSchema();
      insert(url, 4);
      assertEquals(2, one.claim(2).size());
      assertEquals(2, two.claim(2).size(), "a second source of this process is the host's choice");
    }
  }

  private static Set<Long> ids(List<com.meterit.sync.api.Reading> readings) {
    Set<Long> ids = new TreeSet<>();
    readings.forEach(r -> ids.add(r.id()));
    return ids;
  }

  private static void insert(String url, int count) throws Exception {
    try (Connection c = DriverManager.getConnection(url);
        PreparedStatement insert = c.prepareStatement("INSERT INTO meter_readings "
            + "(meter_id, read_at, \"VALUE\", unit) VALUES (?, ?, ?, 'kWh')")) {
      for (int i = 0; i < count; i++) {
        insert.setString(1, "meter-" + i);
        insert.setObject(2, OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC));
        insert.setBigDecimal(3, new BigDecimal("1.500"));
        insert.executeUpdate();
      }
    }
  }

  /** The first agent: claims one batch of ten, says which, and holds it until it is killed. */
  public static final class FirstDrainer {
    public static void main(String[] args) throws Exception {
      JdbcReadingSource source = JdbcReadingSource.builder(args[0], null, null).build();
      Claim claim = source.claim(10);
      StringBuilder ids = new StringBuilder();
      claim.readings().forEach(r -> ids.append(ids.length() == 0 ? "" : ",").append(r.id()));
      System.out.println("CLAIMED " + ids);
      System.out.flush();
      Thread.sleep(Long.MAX_VALUE);
    }
  }
}

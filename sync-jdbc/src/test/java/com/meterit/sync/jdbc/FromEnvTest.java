package com.meterit.sync.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.api.Claim;
import com.meterit.sync.api.ConfigurationException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FromEnvTest {
  @TempDir
  Path directory;

  @Test
  void buildsAWorkingSourceFromTheEnvironment() throws Exception {
    String url = "jdbc:h2:file:" + directory.resolve("sync") + ";NON_KEYWORDS=VALUE";
    JdbcReadingSource source = JdbcReadingSource.fromEnv(Map.of("SYNC_DB_URL", url,
        "SYNC_DB_USER", "sa", "SYNC_DB_PASSWORD", "pw"));
    source.createSchema();
    assertEquals(0, source.pendingCount());
    assertTrue(source.toString().contains("dialect=H2"));
  }

  @Test
  void theBuiltInPoolIsHikariSizedForAGateway() throws Exception {
    String url = "jdbc:h2:mem:env-pool;NON_KEYWORDS=VALUE";
    try (JdbcReadingSource source = JdbcReadingSource.fromEnv(Map.of("SYNC_DB_URL", url,
        "SYNC_DB_USER", "sa", "SYNC_DB_PASSWORD", "hunter2"))) {
      source.createSchema();
      assertFalse(source.toString().contains("hunter2"));
    }
    try (com.zaxxer.hikari.HikariDataSource pool =
        (com.zaxxer.hikari.HikariDataSource) HikariPool.open(url, "sa", "hunter2")) {
      assertEquals(8, pool.getMaximumPoolSize());
      assertEquals(1, pool.getMinimumIdle());
      assertEquals(Duration.ofMinutes(30).toMillis(), pool.getMaxLifetime());
      assertEquals(Duration.ofMinutes(5).toMillis(), pool.getKeepaliveTime());
      assertFalse(pool.toString().contains("hunter2"));
    }
  }

  @Test
  void aSqliteFileGetsAPoolOfTwoForItsOneWriter() throws Exception {
    String url = "jdbc:sqlite:" + directory.resolve("pool.db");
    try (com.zaxxer.hikari.HikariDataSource pool =
        (com.zaxxer.hikari.HikariDataSource) HikariPool.open(url, null, null)) {
      assertEquals(2, pool.getMaximumPoolSize());
    }
  }

  @Test
  void aWrongPasswordIsNeverRepeated() {
    String url = "jdbc:h2:mem:env-password;NON_KEYWORDS=VALUE;DB_CLOSE_DELAY=-1";
    JdbcReadingSource.fromEnv(Map.of("SYNC_DB_URL", url, "SYNC_DB_USER", "sa",
        "SYNC_DB_PASSWORD", "right-one")).close();
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> JdbcReadingSource.fromEnv(Map.of("SYNC_DB_URL", url, "SYNC_DB_USER", "sa",
            "SYNC_DB_PASSWORD", "wrong-one")));
    assertEquals("SYNC_DB_URL", e.setting());
    assertFalse(e.getMessage().contains("wrong-one"), e.getMessage());
  }

  @Test
  void aMalformedUrlNamesTheVariable() {
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> JdbcReadingSource.fromEnv(Map.of("SYNC_DB_URL", "postgres://db/sync")));
    assertEquals("SYNC_DB_URL", e.setting());
    assertEquals("SYNC_DB_URL must be a JDBC URL starting with jdbc: 'postgres://db/sync'",
        e.getMessage());
  }

  @Test
  void anUnreachableDatabaseNamesTheVariableAndHidesThePassword() {
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> JdbcReadingSource.fromEnv(Map.of("SYNC_DB_URL",
            "jdbc:postgresql://127.0.0.1:1/sync?user=x&password=hunter2")));
    assertEquals("SYNC_DB_URL", e.setting());
    assertTrue(e.getMessage().startsWith("SYNC_DB_URL jdbc:postgresql://127.0.0.1:1/sync?user=x&password=**** is not usable"),
        e.getMessage());
    assertFalse(e.getMessage().contains("hunter2"));
  }

  @Test
  void theWorkerIdAndLeaseComeFromTheirOwnVariablesNotTheGatewayId() {
    String url = "jdbc:h2:mem:env-worker;NON_KEYWORDS=VALUE";
    JdbcReadingSource source = JdbcReadingSource.fromEnv(Map.of("SYNC_DB_URL", url,
        "SYNC_WORKER_ID", " gw-7-worker-2 ", "SYNC_LEASE_SECONDS", "45", "GATEWAY_ID", "gw-7"));
    assertTrue(source.toString().contains("workerId=gw-7-worker-2, lease=PT45S"), source.toString());
    source.close();
  }

  @Test
  void aLeaseOutOfRangeNamesTheVariableInSeconds() {
    for (String bad : new String[] {"2", "86401", "1.5", "5m"}) {
      ConfigurationException e = assertThrows(ConfigurationException.class,
          () -> JdbcReadingSource.fromEnv(Map.of("SYNC_LEASE_SECONDS", bad)));
      assertEquals("SYNC_LEASE_SECONDS", e.setting());
      assertEquals("SYNC_LEASE_SECONDS must be a whole number of seconds from 5 to 86400: '"
          + bad + "'", e.getMessage());
    }
  }

  @Test
  void theUnitOfNumericReadingTimesComesFromItsVariable() throws Exception {
    String url = "jdbc:sqlite:" + directory.resolve("unit.db");
    try (JdbcReadingSource source = JdbcReadingSource.fromEnv(
        Map.of("SYNC_DB_URL", url, "SYNC_READ_AT_UNIT", " Seconds "))) {
      source.createSchema();
      try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
        s.execute("INSERT INTO meter_readings (meter_id, read_at, value, unit) "
            + "VALUES ('m-1', '1767225600', '1.5', 'kWh')");
      }
      Claim claim = source.claim(10);
      assertEquals(Instant.parse("2026-01-01T00:00:00Z"), claim.readings().get(0).timestamp());
    }
  }

  @Test
  void aUnitOfNumericReadingTimesThatIsNotAnEpochUnitNamesTheVariable() {
    for (String bad : new String[] {"minutes", "s", "1000"}) {
      ConfigurationException e = assertThrows(ConfigurationException.class,
          () -> JdbcReadingSource.fromEnv(Map.of("SYNC_READ_AT_UNIT", bad)));
      assertEquals("SYNC_READ_AT_UNIT", e.setting());
      assertEquals("SYNC_READ_AT_UNIT must be seconds, millis, micros or nanos: '" + bad + "'",
          e.getMessage());
    }
  }

  @Test
  void aWorkerIdTooLongNamesTheVariable() {
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> JdbcReadingSource.fromEnv(Map.of("SYNC_WORKER_ID", "w".repeat(65))));
    assertEquals("SYNC_WORKER_ID", e.setting());
  }

  @Test
  void theH2FileUrlKeepsASmallPageCache() throws Exception {
    assertEquals("4096", defaultDatabaseSetting("cache", "CACHE_SIZE"));
  }

  @Test
  void theH2FileUrlWritesEveryCommitBeforeItReturns() throws Exception {
    assertEquals("0", defaultDatabaseSetting("durable", "WRITE_DELAY"));
  }

  /** A setting of an H2 file opened with the options of the H2 URL the docs give. */
  private String defaultDatabaseSetting(String file, String setting) throws Exception {
    String options = JdbcReadingSource.H2_FILE_URL.substring(
        JdbcReadingSource.H2_FILE_URL.indexOf(';'));
    String url = "jdbc:h2:file:" + directory.resolve(file) + options;
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(url);
        java.sql.PreparedStatement s = c.prepareStatement("SELECT SETTING_VALUE FROM "
            + "INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = ?")) {
      s.setString(1, setting);
      try (java.sql.ResultSet rs = s.executeQuery()) {
        assertTrue(rs.next(), setting);
        return rs.getString(1);
      }
    }
  }

  @Test
  void anH2FileUrlWithoutAWriteDelayWritesEveryCommitBeforeItReturns() throws Exception {
    // Without it H2 writes commits up to half a second late: a killed agent loses the record
    // of batches it sent, and re-forms them under new keys.
    String url = "jdbc:h2:file:" + directory.resolve("no-delay") + ";NON_KEYWORDS=VALUE";
    try (JdbcReadingSource source = JdbcReadingSource.fromEnv(Map.of("SYNC_DB_URL", url));
        java.sql.Connection c = java.sql.DriverManager.getConnection(url);
        java.sql.PreparedStatement s = c.prepareStatement("SELECT SETTING_VALUE FROM "
            + "INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'");
        java.sql.ResultSet rs = s.executeQuery()) {
      source.createSchema();
      assertTrue(rs.next());
      assertEquals("0", rs.getString(1));
    }
  }

  @Test
  void anH2UrlThatSetsItsOwnWriteDelayKeepsIt() {
    assertEquals("jdbc:h2:file:/x;WRITE_DELAY=100",
        ConnectionPool.withDurableCommits("jdbc:h2:file:/x;WRITE_DELAY=100"));
    assertEquals("jdbc:h2:mem:x", ConnectionPool.withDurableCommits("jdbc:h2:mem:x"));
    assertEquals("jdbc:h2:./x;WRITE_DELAY=0", ConnectionPool.withDurableCommits("jdbc:h2:./x"));
  }

  @Test
  void aDriversErrorNeverShowsThePassword() {
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> JdbcReadingSource.fromEnv(Map.of(
            "SYNC_DB_URL", "jdbc:postgres://db.example/sync?user=svc&password=Hunter2Pass",
            "SYNC_DB_PASSWORD", "0therSecret")));
    assertFalse(e.getMessage().contains("Hunter2Pass"), e.getMessage());
    assertFalse(e.getMessage().contains("0therSecret"), e.getMessage());
    assertTrue(e.getMessage().startsWith("SYNC_DB_URL "), e.getMessage());
  }
}

package com.meterit.sync.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.api.ConfigurationException;
import java.nio.file.Path;
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
}

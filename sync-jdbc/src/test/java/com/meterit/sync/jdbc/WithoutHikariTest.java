package com.meterit.sync.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.api.ReadingSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * HikariCP is optional: without it, fromEnv() says what is missing, and a host's own DataSource
 * works. Runs sync-jdbc in a class loader that holds sync-jdbc, sync-api, SLF4J and H2, and no
 * HikariCP.
 */
class WithoutHikariTest {

  private static URL where(Class<?> type) {
    return type.getProtectionDomain().getCodeSource().getLocation();
  }

  private static URLClassLoader withoutHikari() {
    return new URLClassLoader(new URL[] {where(JdbcReadingSource.class), where(ReadingSource.class),
        where(org.slf4j.LoggerFactory.class), where(org.h2.Driver.class)},
        ClassLoader.getPlatformClassLoader());
  }

  @Test
  void fromEnvWithoutHikariNamesIt() throws Exception {
    try (URLClassLoader loader = withoutHikari()) {
      assertFalse(ConnectionPool.available(loader));
      Class<?> sourceClass = loader.loadClass(JdbcReadingSource.class.getName());
      Method fromEnv = sourceClass.getMethod("fromEnv", Map.class);
      InvocationTargetException thrown = org.junit.jupiter.api.Assertions.assertThrows(
          InvocationTargetException.class,
          () -> fromEnv.invoke(null, Map.of("SYNC_DB_URL", "jdbc:h2:mem:no-hikari")));
      Throwable e = thrown.getCause();
      assertEquals("com.meterit.sync.api.ConfigurationException", e.getClass().getName());
      assertEquals("HikariCP", e.getClass().getMethod("setting").invoke(e));
      assertEquals("HikariCP is not on the class path: JdbcReadingSource.fromEnv() and "
          + "builder(jdbcUrl, user, password) pool their connections with it. Add "
          + "com.zaxxer:HikariCP 7.x, or build the source on your own DataSource with "
          + "JdbcReadingSource.builder(dataSource)", e.getMessage());
    }
  }

  @Test
  void aHostsOwnDataSourceNeedsNoHikari() throws Exception {
    try (URLClassLoader loader = withoutHikari()) {
      Object dataSource = loader.loadClass("org.h2.jdbcx.JdbcDataSource")
          .getConstructor().newInstance();
      dataSource.getClass().getMethod("setURL", String.class)
          .invoke(dataSource, "jdbc:h2:mem:own-data-source;NON_KEYWORDS=VALUE;DB_CLOSE_DELAY=-1");
      Class<?> sourceClass = loader.loadClass(JdbcReadingSource.class.getName());
      Object builder = sourceClass.getMethod("builder", javax.sql.DataSource.class)
          .invoke(null, dataSource);
      Object source = builder.getClass().getMethod("build").invoke(builder);
      sourceClass.getMethod("createSchema").invoke(source);
      assertEquals(0L, sourceClass.getMethod("pendingCount").invoke(source));
      assertTrue(source.toString().contains("dialect=H2"), source.toString());
    }
  }
}

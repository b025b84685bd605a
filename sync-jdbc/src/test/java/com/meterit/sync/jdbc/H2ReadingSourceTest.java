package com.meterit.sync.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

class H2ReadingSourceTest extends ReadingSourceContractTest {
  @Override
  Database createDatabase() {
    return new H2Database();
  }

  @Test
  void anUnsupportedDatabaseGetsAClearError() {
    DatabaseMetaData meta = (DatabaseMetaData) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {DatabaseMetaData.class},
        (p, m, a) -> m.getName().equals("getDatabaseProductName") ? "MySQL" : null);
    Connection connection = (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {Connection.class}, (p, m, a) -> {
          switch (m.getName()) {
            case "getMetaData":
              return meta;
            case "getAutoCommit":
              return true;
            default:
              return null;
          }
        });
    DataSource mysql = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {DataSource.class}, (p, m, a) -> connection);

    UnsupportedDatabaseException e = assertThrows(UnsupportedDatabaseException.class,
        () -> JdbcReadingSource.builder(mysql).build());
    assertEquals("the database 'MySQL' is not supported; meter-sync supports H2 2.x, PostgreSQL "
        + "and SQLite", e.getMessage());
  }
}

package com.meterit.sync.jdbc;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteReadingSourceTest extends JdbcBehaviourTest {
  @TempDir
  Path directory;

  @Override
  Database createDatabase() {
    return new SqliteDatabase(directory);
  }
}

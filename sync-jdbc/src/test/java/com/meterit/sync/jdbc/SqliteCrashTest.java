package com.meterit.sync.jdbc;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The crash test on SQLite. */
class SqliteCrashTest extends CrashAtEveryStepTest.OnDatabase {
  @TempDir
  Path directory;

  @Override
  Database createDatabase() {
    return new SqliteDatabase(directory);
  }
}

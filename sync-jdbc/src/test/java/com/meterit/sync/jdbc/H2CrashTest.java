package com.meterit.sync.jdbc;

/** The crash test on H2. */
class H2CrashTest extends CrashAtEveryStepTest.OnDatabase {
  @Override
  Database createDatabase() {
    return new H2Database();
  }
}

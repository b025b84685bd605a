package com.meterit.sync.jdbc;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The crash test on the real PostgreSQL; skipped without {@code METER_SYNC_TEST_POSTGRES_URL}. */
class PostgresCrashTest extends CrashAtEveryStepTest.OnDatabase {
  @Override
  Database createDatabase() {
    assumeTrue(System.getenv(PostgresDatabase.URL_VARIABLE) != null,
        "set " + PostgresDatabase.URL_VARIABLE + " to run against PostgreSQL");
    return PostgresDatabase.create();
  }
}

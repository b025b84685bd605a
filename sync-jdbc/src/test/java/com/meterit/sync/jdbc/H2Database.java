package com.meterit.sync.jdbc;

import java.sql.SQLException;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;

final class H2Database extends Database {
  H2Database() {
    super(dataSource(), "meter_readings", "meter_sync_runs");
  }

  private static JdbcDataSource dataSource() {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";NON_KEYWORDS=VALUE;DB_CLOSE_DELAY=-1");
    return ds;
  }

  @Override
  String textType() {
    // Bounded: H2 refuses to map an unbounded text column (RowReader), and 1,000,000 is the most.
    return "VARCHAR(1000000)";
  }

  @Override
  void dropTables() throws SQLException {
    execute("DROP ALL OBJECTS");
  }
}

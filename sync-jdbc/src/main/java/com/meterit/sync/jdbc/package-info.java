/**
 * The gateway's local Sync Database as the reading queue:
 * {@link com.meterit.sync.jdbc.JdbcReadingSource} on H2, PostgreSQL and SQLite, with leases,
 * quarantine, retention and a persistent {@link com.meterit.sync.jdbc.JdbcSyncHistory}.
 */
package com.meterit.sync.jdbc;

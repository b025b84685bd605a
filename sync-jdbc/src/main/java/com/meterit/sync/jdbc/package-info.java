/**
 * The gateway's local Sync Database as the reading queue:
 * {@link com.meterit.sync.jdbc.JdbcReadingSource} on H2 2.x, PostgreSQL and SQLite, with a batch
 * journal, leases, quarantine, retention and a persistent
 * {@link com.meterit.sync.jdbc.JdbcSyncHistory}.
 *
 * <p>The library adds to the readings table its {@code sync_*} columns, and beside it a batch
 * journal ({@code <table>_batches}, see {@link com.meterit.sync.jdbc.ReadingsTable}) and the run
 * history; {@link com.meterit.sync.jdbc.JdbcReadingSource#createSchema()} creates and migrates
 * them (schema version 2). Every batch is journaled in the transaction that forms it and leaves
 * the journal in the transaction that settles it, so a batch that may have reached the server is
 * only ever sent again whole, under the same batch id.
 *
 * <p>On PostgreSQL, any number of workers drain one table; their leases live in the journal and
 * the database's clock judges them. On H2 and SQLite, one process owns the file and holds its
 * batches in memory. SQLite is the default ({@link
 * com.meterit.sync.jdbc.JdbcReadingSource#DEFAULT_DB_URL}); every SQLite connection the library
 * opens gets {@link com.meterit.sync.jdbc.SqliteSettings#PRAGMAS}, which keep its commits through a
 * power cut. For H2, use {@code WRITE_DELAY=0} in the URL (as {@link
 * com.meterit.sync.jdbc.JdbcReadingSource#H2_FILE_URL} does) so that a killed process loses no
 * settlement; H2 does not survive a power cut.
 */
package com.meterit.sync.jdbc;

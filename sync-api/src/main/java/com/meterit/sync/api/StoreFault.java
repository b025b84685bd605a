package com.meterit.sync.api;

/**
 * What kind of failure of the Sync Database a {@link ReadingSourceException} reports, and so
 * what may cure it. A source that cannot tell says {@link #TRANSIENT}.
 */
public enum StoreFault {
  /**
   * The next attempt may succeed on its own: a busy or locked database, a lock timeout, a dropped
   * connection that the pool replaces.
   */
  TRANSIENT,
  /**
   * The disk or the quota is full. Nothing is lost: the failed write changed nothing, and the
   * work waits until space is freed.
   */
  FULL,
  /**
   * The database is closed, read-only, cannot be opened, failed an I/O or ran out of memory:
   * a fresh connection, or a restart of the process, may cure it.
   */
  UNAVAILABLE,
  /**
   * The database is corrupted, is not a database, or has a schema this code cannot use: no
   * restart cures it; an operator must look.
   */
  DAMAGED
}

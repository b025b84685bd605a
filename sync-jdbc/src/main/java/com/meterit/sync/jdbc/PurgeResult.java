package com.meterit.sync.jdbc;

/** What one {@link JdbcReadingSource#purge()} did. Immutable and thread-safe. */
public final class PurgeResult {
  private final long readingsPurged;
  private final long runsPurged;
  private final long readingsDropped;
  private final long pendingReadings;

  PurgeResult(long readingsPurged, long runsPurged, long readingsDropped, long pendingReadings) {
    this.readingsPurged = readingsPurged;
    this.runsPurged = runsPurged;
    this.readingsDropped = readingsDropped;
    this.pendingReadings = pendingReadings;
  }

  /** Synced (or earlier dropped) readings deleted. */
  public long readingsPurged() {
    return readingsPurged;
  }

  /** History rows deleted. */
  public long runsPurged() {
    return runsPurged;
  }

  /** Pending readings discarded by {@link OverflowPolicy#DROP_OLDEST}: a loss. */
  public long readingsDropped() {
    return readingsDropped;
  }

  /** Pending readings after the purge. */
  public long pendingReadings() {
    return pendingReadings;
  }

  @Override
  public String toString() {
    return "PurgeResult{readingsPurged=" + readingsPurged + ", runsPurged=" + runsPurged
        + ", readingsDropped=" + readingsDropped + ", pendingReadings=" + pendingReadings + '}';
  }
}

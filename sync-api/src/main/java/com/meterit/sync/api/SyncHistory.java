package com.meterit.sync.api;

import java.time.Instant;

/**
 * Where the engine records every run, and from which it computes {@link SyncStats}. The engine's
 * default keeps a bounded window in memory; {@code sync-jdbc} persists it so statistics survive a
 * restart. Implementations must be thread-safe.
 */
public interface SyncHistory {

  /** Records a finished run. Skipped runs are not recorded. */
  void record(SyncRun run);

  /**
   * Summarizes the runs that started in {@code [from, to]}, both ends included. The backlog fields of the result
   * ({@link SyncStats#pendingReadings()}, {@link SyncStats#syncLag()}) are left empty; the engine
   * fills them in.
   */
  SyncStats summarize(Instant from, Instant to);
}

package com.meterit.sync.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Guards the queue for the work that changes it outside the claims: retention's drops and purges
 * ({@link Retention}) and an operator's re-queue ({@link Quarantine}). Implemented by each {@link
 * ClaimModel}, which alone knows what it keeps of the queue (the journaled ids, the scan start)
 * and must hear of such changes. Implementations are thread-safe.
 */
interface QueueGuard {

  /** Work on the readings table, given the id below which no reading is pending. */
  interface QueueWork<T> {
    T run(Connection connection, long floor) throws SQLException;
  }

  /**
   * Runs {@code work} in one transaction, serialized with claims where claims are held in this
   * process, so that what it reads of the queue cannot change under a claim.
   */
  <T> T withQueue(String what, QueueWork<T> work);

  /**
   * A condition on readings aliased {@code r} that keeps readings of journaled batches out of a
   * pending-row query, or empty where pending rows are never journaled.
   */
  String notInFlight();

  /** Readings from {@code fromId} up may be pending again: re-queued by an operator. */
  void requeued(long fromId);

  /** After a purge: statuses may have been changed behind the source's back; look again. */
  void reanchor();
}

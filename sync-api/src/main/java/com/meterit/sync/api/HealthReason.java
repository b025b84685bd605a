package com.meterit.sync.api;

/** Why a {@link HealthVerdict} is what it is: the worst finding, one per verdict. */
public enum HealthReason {
  /** Nothing is wrong: {@link Health#HEALTHY}. */
  OK,
  /** The manager is not started, or is stopping or stopped: {@link Health#FAILING}. */
  NOT_RUNNING,
  /** The Client System refused the credentials ({@link SyncState#AUTH_FAILED}): failing. */
  AUTH_FAILED,
  /** The Client System disabled this gateway ({@link SyncState#DISABLED}): failing. */
  DISABLED,
  /** The Client System refused every upload of the last run ({@link SyncState#REFUSED}): failing. */
  REFUSED,
  /**
   * The Sync Database is full ({@link StoreFault#FULL}): no batch can be settled until space is
   * freed. Failing; the detail says what failed.
   */
  STORE_FULL,
  /**
   * The Sync Database is closed, unavailable or damaged ({@link StoreFault#UNAVAILABLE}, {@link
   * StoreFault#DAMAGED}): failing, with the database's own reason in the detail.
   */
  STORE_FAILED,
  /** The pending readings could not be counted: the Sync Database is unreachable. Failing. */
  BACKLOG_UNREADABLE,
  /** The oldest pending reading is older than a lag limit: degraded, then failing. */
  SYNC_LAG,
  /** The Client System has been unreachable for longer than an offline limit: degraded, then failing. */
  OFFLINE
}

package com.meterit.sync.api;

/** What the engine is doing. */
public enum SyncState {
  /** Not started, or stopped. */
  STOPPED,
  /** Started and waiting for the next run. */
  IDLE,
  /** A run is uploading. */
  SYNCING,
  /** A run is waiting before it retries a transient failure. */
  BACKING_OFF,
  /** The Client System is unreachable; readings queue locally until it returns. */
  OFFLINE,
  /**
   * The server's token endpoint refused the API key; needs an operator. Runs keep trying at their
   * interval. A refused token alone never leads here.
   */
  AUTH_FAILED,
  /** The server disabled this gateway; nothing is uploaded until it is enabled again. */
  DISABLED,
  /**
   * The server refused every upload of the last run, whole and in parts, and accepted none.
   * Nothing was quarantined; runs keep trying at their interval.
   */
  REFUSED,
  /** {@code stop()} was called and the engine is settling the batch in flight. */
  STOPPING
}

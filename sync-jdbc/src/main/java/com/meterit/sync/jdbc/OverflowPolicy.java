package com.meterit.sync.jdbc;

/** What to do when more readings are pending than {@link RetentionPolicy#maxPendingReadings()}. */
public enum OverflowPolicy {
  /** Keep everything, and report the excess to the log and the listener. The default. */
  WARN,
  /**
   * Opt-in: discard the oldest pending readings down to the cap. Each drop is counted, logged at
   * ERROR and reported to the listener as a loss; the rows stay, marked dropped, until purged.
   */
  DROP_OLDEST
}

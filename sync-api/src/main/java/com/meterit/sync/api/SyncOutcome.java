package com.meterit.sync.api;

/** How a sync run ended. */
public enum SyncOutcome {
  /** The queue was drained: every claimed reading was acknowledged or quarantined. */
  SUCCEEDED,
  /** The run gave up; unsent readings stay queued for the next run. */
  FAILED,
  /** {@code stop()} ended the run early; unsent readings stay queued. */
  INTERRUPTED,
  /** Nothing was attempted: the engine was offline, disabled or stopped. Not recorded. */
  SKIPPED
}

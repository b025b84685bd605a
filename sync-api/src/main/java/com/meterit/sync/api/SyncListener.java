package com.meterit.sync.api;

import java.util.List;

/**
 * Hooks into the engine's life, for metrics, alerts and logs. Every method has a no-op default,
 * so a listener overrides only what it needs.
 *
 * <p>Listeners are called on the engine's threads and should return quickly. An exception thrown
 * by a listener is logged once and otherwise ignored: it never breaks synchronization.
 */
public interface SyncListener {

  /** A run started. */
  default void onSyncStarted() {}

  /** The server answered an upload. */
  default void onBatchUploaded(UploadBatch batch, UploadResult result) {}

  /** A run drained the queue. */
  default void onSyncCompleted(SyncRun run) {}

  /** A run failed or was interrupted; its unsent readings stay queued. */
  default void onSyncFailed(SyncRun run, Throwable cause) {}

  /** Readings were quarantined, with the server's (or the source's) reasons. */
  default void onReadingsRejected(List<Rejection> rejections) {}

  /** The engine's state changed. */
  default void onStateChanged(SyncState previous, SyncState current) {}

  /** The Client System became reachable ({@code true}) or unreachable ({@code false}). */
  default void onConnectivityChanged(boolean connected) {}

  /** A downloaded configuration was validated and is now in force. */
  default void onConfigurationApplied(RemoteConfig config) {}

  /** A downloaded configuration was refused; the previous one stays in force. */
  default void onConfigurationRefused(RemoteConfig config, String reason) {}

  /** A heartbeat was delivered. */
  default void onHeartbeatSent(Heartbeat heartbeat) {}

  /** A heartbeat could not be delivered. */
  default void onHeartbeatFailed(Throwable cause) {}

  /**
   * The queue holds more readings than its configured cap. Nothing has been lost; see
   * {@link #onReadingsDropped} for the opt-in policy that drops.
   */
  default void onBacklogOverCap(long pendingReadings, long cap) {}

  /**
   * Readings were discarded unsent under an opt-in drop policy. This is a loss: every drop is
   * reported here.
   */
  default void onReadingsDropped(long count, String reason) {}
}

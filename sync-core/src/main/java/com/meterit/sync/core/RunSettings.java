package com.meterit.sync.core;

import com.meterit.sync.api.RemoteConfig;
import java.time.Duration;

/**
 * The settings a run and the timers read. Immutable: the engine swaps the whole object when a
 * remote configuration arrives, so a run never sees half of one.
 */
final class RunSettings {
  final Duration syncInterval;
  final int batchSize;
  final int maxRetries;
  final Duration heartbeatInterval;
  /** The version of the remote configuration these came from, or null for the host's own. */
  final String configVersion;

  RunSettings(
      Duration syncInterval,
      int batchSize,
      int maxRetries,
      Duration heartbeatInterval,
      String configVersion) {
    this.syncInterval = syncInterval;
    this.batchSize = batchSize;
    this.maxRetries = maxRetries;
    this.heartbeatInterval = heartbeatInterval;
    this.configVersion = configVersion;
  }

  /**
   * Returns these settings overlaid with a remote configuration.
   *
   * @throws IllegalArgumentException naming the first out-of-range setting; nothing is applied
   */
  RunSettings with(RemoteConfig config) {
    Duration interval = config.syncInterval().orElse(syncInterval);
    Duration heartbeat = config.heartbeatInterval().orElse(heartbeatInterval);
    return new RunSettings(
        SettingBounds.checkSyncInterval("syncIntervalSeconds", interval),
        SettingBounds.checkBatchSize("batchSize", config.batchSize().orElse(batchSize)),
        SettingBounds.checkMaxRetries("maxRetries", config.maxRetries().orElse(maxRetries)),
        SettingBounds.checkHeartbeatInterval("heartbeatIntervalSeconds", heartbeat),
        config.version());
  }

  @Override
  public String toString() {
    return "RunSettings{syncInterval=" + syncInterval + ", batchSize=" + batchSize
        + ", maxRetries=" + maxRetries + ", heartbeatInterval=" + heartbeatInterval
        + ", configVersion=" + configVersion + '}';
  }
}

package com.meterit.sync.api;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Settings the Client System pushes to a gateway, as downloaded and before validation.
 *
 * <p>A setting the server left out is empty and keeps its current value. The values are kept as
 * sent, even out of range, so that the engine can refuse the whole configuration and say which
 * setting was wrong. Immutable and thread-safe.
 */
public final class RemoteConfig {
  private final String version;
  private final Duration syncInterval;
  private final Integer batchSize;
  private final Integer maxRetries;
  private final Duration heartbeatInterval;

  /**
   * @param version the server's version of this configuration, not null
   * @param syncInterval the pause between scheduled runs, or null to keep the current one
   * @param batchSize the most readings per upload, or null to keep the current one
   * @param maxRetries retries of a transient failure, or null to keep the current one
   * @param heartbeatInterval the pause between heartbeats, or null to keep the current one
   */
  public RemoteConfig(
      String version,
      Duration syncInterval,
      Integer batchSize,
      Integer maxRetries,
      Duration heartbeatInterval) {
    this.version = Objects.requireNonNull(version, "version");
    this.syncInterval = syncInterval;
    this.batchSize = batchSize;
    this.maxRetries = maxRetries;
    this.heartbeatInterval = heartbeatInterval;
  }

  /** The server's version of this configuration. */
  public String version() {
    return version;
  }

  /** The pause between scheduled runs, if set. */
  public Optional<Duration> syncInterval() {
    return Optional.ofNullable(syncInterval);
  }

  /** The most readings per upload, if set. */
  public OptionalInt batchSize() {
    return batchSize == null ? OptionalInt.empty() : OptionalInt.of(batchSize);
  }

  /** The retries of a transient failure, if set. */
  public OptionalInt maxRetries() {
    return maxRetries == null ? OptionalInt.empty() : OptionalInt.of(maxRetries);
  }

  /** The pause between heartbeats, if set. */
  public Optional<Duration> heartbeatInterval() {
    return Optional.ofNullable(heartbeatInterval);
  }

  @Override
  public String toString() {
    return "RemoteConfig{version=" + version + ", syncInterval=" + syncInterval
        + ", batchSize=" + batchSize + ", maxRetries=" + maxRetries
        + ", heartbeatInterval=" + heartbeatInterval + '}';
  }
}

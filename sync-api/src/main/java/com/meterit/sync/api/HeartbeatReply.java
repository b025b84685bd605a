package com.meterit.sync.api;

import java.util.Optional;

/**
 * The server's answer to a heartbeat. Immutable and thread-safe.
 */
public final class HeartbeatReply {
  private static final HeartbeatReply EMPTY = new HeartbeatReply(null);

  private final String configVersion;

  private HeartbeatReply(String configVersion) {
    this.configVersion = configVersion;
  }

  /** A reply that says nothing about configuration (a 204, say). */
  public static HeartbeatReply empty() {
    return EMPTY;
  }

  /** A reply naming the server's current configuration version. */
  public static HeartbeatReply withConfigVersion(String configVersion) {
    return configVersion == null ? EMPTY : new HeartbeatReply(configVersion);
  }

  /**
   * The configuration version the server holds for this gateway. When it differs from the
   * applied one, the engine downloads the configuration.
   */
  public Optional<String> configVersion() {
    return Optional.ofNullable(configVersion);
  }

  @Override
  public String toString() {
    return "HeartbeatReply{configVersion=" + configVersion + '}';
  }
}

package com.meterit.sync.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The status snapshot a gateway sends on every heartbeat. The gateway adds its own id and the
 * SDK version on the wire. Immutable and thread-safe.
 */
public final class Heartbeat {
  private final Instant sentAt;
  private final SyncState state;
  private final OptionalLong pendingReadings;
  private final Instant lastSuccessfulSyncAt;
  private final Duration uptime;
  private final String appliedConfigVersion;

  /**
   * @param sentAt when the snapshot was taken
   * @param state the engine's state
   * @param pendingReadings readings waiting in the queue; empty when the queue could not be read
   * @param lastSuccessfulSyncAt the end of the last successful run, or null if none yet
   * @param uptime how long the engine has been running
   * @param appliedConfigVersion the version of the remote configuration in force, or null
   */
  public Heartbeat(
      Instant sentAt,
      SyncState state,
      OptionalLong pendingReadings,
      Instant lastSuccessfulSyncAt,
      Duration uptime,
      String appliedConfigVersion) {
    this.sentAt = Objects.requireNonNull(sentAt, "sentAt");
    this.state = Objects.requireNonNull(state, "state");
    this.pendingReadings = Objects.requireNonNull(pendingReadings, "pendingReadings");
    this.lastSuccessfulSyncAt = lastSuccessfulSyncAt;
    this.uptime = Objects.requireNonNull(uptime, "uptime");
    this.appliedConfigVersion = appliedConfigVersion;
  }

  /** When the snapshot was taken. */
  public Instant sentAt() {
    return sentAt;
  }

  /** The engine's state. */
  public SyncState state() {
    return state;
  }

  /** Readings waiting in the queue; empty when unknown. */
  public OptionalLong pendingReadings() {
    return pendingReadings;
  }

  /** The end of the last successful run. */
  public Optional<Instant> lastSuccessfulSyncAt() {
    return Optional.ofNullable(lastSuccessfulSyncAt);
  }

  /** How long the engine has been running. */
  public Duration uptime() {
    return uptime;
  }

  /** The version of the remote configuration in force. */
  public Optional<String> appliedConfigVersion() {
    return Optional.ofNullable(appliedConfigVersion);
  }

  @Override
  public String toString() {
    return "Heartbeat{sentAt=" + sentAt + ", state=" + state + ", pendingReadings="
        + (pendingReadings.isPresent() ? String.valueOf(pendingReadings.getAsLong()) : "unknown")
        + ", lastSuccessfulSyncAt=" + lastSuccessfulSyncAt
        + ", uptime=" + uptime + ", appliedConfigVersion=" + appliedConfigVersion + '}';
  }
}

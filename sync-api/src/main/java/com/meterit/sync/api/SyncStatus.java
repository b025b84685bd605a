package com.meterit.sync.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of the engine's state. Immutable and thread-safe; built with {@link #builder()}.
 */
public final class SyncStatus {
  private final SyncState state;
  private final boolean connected;
  private final Instant lastAttemptAt;
  private final Instant lastSuccessAt;
  private final String lastError;
  private final long pendingReadings;
  private final boolean pendingIsEstimate;
  private final Duration syncLag;
  private final Instant nextScheduledRun;
  private final String appliedConfigVersion;

  private SyncStatus(Builder b) {
    this.state = Objects.requireNonNull(b.state, "state");
    this.connected = b.connected;
    this.lastAttemptAt = b.lastAttemptAt;
    this.lastSuccessAt = b.lastSuccessAt;
    this.lastError = b.lastError;
    this.pendingReadings = b.pendingReadings;
    this.pendingIsEstimate = b.pendingIsEstimate;
    this.syncLag = b.syncLag;
    this.nextScheduledRun = b.nextScheduledRun;
    this.appliedConfigVersion = b.appliedConfigVersion;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** What the engine is doing. */
  public SyncState state() {
    return state;
  }

  /** Whether the connectivity monitor last found the Client System reachable. */
  public boolean isConnected() {
    return connected;
  }

  /** When the last run started. */
  public Optional<Instant> lastAttemptAt() {
    return Optional.ofNullable(lastAttemptAt);
  }

  /** When the last successful run ended. */
  public Optional<Instant> lastSuccessAt() {
    return Optional.ofNullable(lastSuccessAt);
  }

  /** The last failure, cleared by a successful run. Never contains a secret. */
  public Optional<String> lastError() {
    return Optional.ofNullable(lastError);
  }

  /** Readings waiting, or -1 when the queue could not be read. */
  public long pendingReadings() {
    return pendingReadings;
  }

  /**
   * Whether {@link #pendingReadings()} is an estimate: a long backlog is estimated (from the span
   * of ids it covers) rather than counted on every status read and heartbeat.
   */
  public boolean pendingIsEstimate() {
    return pendingIsEstimate;
  }

  /** The age of the oldest pending reading. */
  public Optional<Duration> syncLag() {
    return Optional.ofNullable(syncLag);
  }

  /** When the next scheduled run is due. */
  public Optional<Instant> nextScheduledRun() {
    return Optional.ofNullable(nextScheduledRun);
  }

  /** The version of the remote configuration in force. */
  public Optional<String> appliedConfigVersion() {
    return Optional.ofNullable(appliedConfigVersion);
  }

  @Override
  public String toString() {
    return "SyncStatus{state=" + state + ", connected=" + connected + ", pending="
        + (pendingIsEstimate ? "~" : "") + pendingReadings + ", syncLag=" + syncLag + ", lastAttemptAt=" + lastAttemptAt
        + ", lastSuccessAt=" + lastSuccessAt + ", nextScheduledRun=" + nextScheduledRun
        + ", appliedConfigVersion=" + appliedConfigVersion
        + (lastError == null ? "" : ", lastError=" + lastError) + '}';
  }

  /** Builds {@link SyncStatus}. Not thread-safe. */
  public static final class Builder {
    private SyncState state = SyncState.STOPPED;
    private boolean connected;
    private Instant lastAttemptAt;
    private Instant lastSuccessAt;
    private String lastError;
    private long pendingReadings = -1;
    private boolean pendingIsEstimate;
    private Duration syncLag;
    private Instant nextScheduledRun;
    private String appliedConfigVersion;

    private Builder() {}

    public Builder setState(SyncState state) {
      this.state = Objects.requireNonNull(state, "state");
      return this;
    }

    public Builder setConnected(boolean connected) {
      this.connected = connected;
      return this;
    }

    public Builder setLastAttemptAt(Instant lastAttemptAt) {
      this.lastAttemptAt = lastAttemptAt;
      return this;
    }

    public Builder setLastSuccessAt(Instant lastSuccessAt) {
      this.lastSuccessAt = lastSuccessAt;
      return this;
    }

    public Builder setLastError(String lastError) {
      this.lastError = lastError;
      return this;
    }

    public Builder setBacklog(long pendingReadings, Duration syncLag) {
      this.pendingReadings = pendingReadings;
      this.syncLag = syncLag;
      return this;
    }

    /** Whether the pending count of {@link #setBacklog} is an estimate. Default false. */
    public Builder setPendingIsEstimate(boolean pendingIsEstimate) {
      this.pendingIsEstimate = pendingIsEstimate;
      return this;
    }

    public Builder setNextScheduledRun(Instant nextScheduledRun) {
      this.nextScheduledRun = nextScheduledRun;
      return this;
    }

    public Builder setAppliedConfigVersion(String appliedConfigVersion) {
      this.appliedConfigVersion = appliedConfigVersion;
      return this;
    }

    public SyncStatus build() {
      return new SyncStatus(this);
    }
  }
}

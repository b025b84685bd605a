package com.meterit.sync.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

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
  private final int uploadWindow;
  private final int batchesInFlight;
  private final Instant offlineSince;
  private final HealthVerdict health;

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
    this.uploadWindow = b.uploadWindow;
    this.batchesInFlight = b.batchesInFlight;
    this.offlineSince = b.offlineSince;
    this.health = b.health;
  }

  /** Starts an empty status: stopped, backlog unknown. */
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

  /** Readings waiting; empty when the queue could not be read, so the backlog is unknown. */
  public OptionalLong pendingReadings() {
    return pendingReadings < 0 ? OptionalLong.empty() : OptionalLong.of(pendingReadings);
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

  /**
   * How many batches may be in flight at once now: the upload window, which adapts between one
   * and the configured maximum.
   */
  public int uploadWindow() {
    return uploadWindow;
  }

  /** How many batches are in flight now. */
  public int batchesInFlight() {
    return batchesInFlight;
  }

  /** Since when the Client System has been unreachable; empty while it is reachable. */
  public Optional<Instant> offlineSince() {
    return Optional.ofNullable(offlineSince);
  }

  /**
   * The health verdict, judged against the host's {@link HealthThresholds} when the status was
   * taken: healthy, degraded or failing, with the reason.
   */
  public HealthVerdict health() {
    return health;
  }

  @Override
  public String toString() {
    return "SyncStatus{state=" + state + ", health=" + health + ", connected=" + connected
        + (offlineSince == null ? "" : ", offlineSince=" + offlineSince) + ", pending="
        + (pendingReadings < 0 ? "unknown" : (pendingIsEstimate ? "~" : "") + pendingReadings)
        + ", syncLag=" + syncLag
        + ", lastAttemptAt=" + lastAttemptAt
        + ", lastSuccessAt=" + lastSuccessAt + ", nextScheduledRun=" + nextScheduledRun
        + ", appliedConfigVersion=" + appliedConfigVersion + ", uploadWindow=" + uploadWindow
        + ", batchesInFlight=" + batchesInFlight
        + (lastError == null ? "" : ", lastError=" + lastError) + '}';
  }

  /** Builds {@link SyncStatus}. Not thread-safe. */
  public static final class Builder {
    private SyncState state = SyncState.STOPPED;
    private boolean connected;
    private Instant lastAttemptAt;
    private Instant lastSuccessAt;
    private String lastError;
    // Negative: unknown; never shown as such.
    private long pendingReadings = -1;
    private boolean pendingIsEstimate;
    private Duration syncLag;
    private Instant nextScheduledRun;
    private String appliedConfigVersion;
    private int uploadWindow = 1;
    private int batchesInFlight;
    private Instant offlineSince;
    private HealthVerdict health;

    private Builder() {}

    /** What the engine is doing. Default {@link SyncState#STOPPED}. */
    public Builder setState(SyncState state) {
      this.state = Objects.requireNonNull(state, "state");
      return this;
    }

    /** Whether the Client System is reachable. Default false. */
    public Builder setConnected(boolean connected) {
      this.connected = connected;
      return this;
    }

    /** When the last run started, or null. */
    public Builder setLastAttemptAt(Instant lastAttemptAt) {
      this.lastAttemptAt = lastAttemptAt;
      return this;
    }

    /** When the last successful run ended, or null. */
    public Builder setLastSuccessAt(Instant lastSuccessAt) {
      this.lastSuccessAt = lastSuccessAt;
      return this;
    }

    /** The last failure, or null; must never contain a secret. */
    public Builder setLastError(String lastError) {
      this.lastError = lastError;
      return this;
    }

    /**
     * Readings waiting and the age of the oldest, or null. Without it the backlog is unknown,
     * as when the queue could not be read.
     *
     * @throws IllegalArgumentException when {@code pendingReadings} is negative
     */
    public Builder setBacklog(long pendingReadings, Duration syncLag) {
      if (pendingReadings < 0) {
        throw new IllegalArgumentException(
            "pendingReadings must not be negative: " + pendingReadings);
      }
      this.pendingReadings = pendingReadings;
      this.syncLag = syncLag;
      return this;
    }

    /** Whether the pending count of {@link #setBacklog} is an estimate. Default false. */
    public Builder setPendingIsEstimate(boolean pendingIsEstimate) {
      this.pendingIsEstimate = pendingIsEstimate;
      return this;
    }

    /** When the next scheduled run is due, or null. */
    public Builder setNextScheduledRun(Instant nextScheduledRun) {
      this.nextScheduledRun = nextScheduledRun;
      return this;
    }

    /** The version of the remote configuration in force, or null. */
    public Builder setAppliedConfigVersion(String appliedConfigVersion) {
      this.appliedConfigVersion = appliedConfigVersion;
      return this;
    }

    /**
     * The upload window and the batches in flight now.
     *
     * @throws IllegalArgumentException when the window is below 1 or the count negative
     */
    public Builder setUploadWindow(int uploadWindow, int batchesInFlight) {
      if (uploadWindow < 1) {
        throw new IllegalArgumentException("uploadWindow must be at least 1: " + uploadWindow);
      }
      if (batchesInFlight < 0) {
        throw new IllegalArgumentException(
            "batchesInFlight must not be negative: " + batchesInFlight);
      }
      this.uploadWindow = uploadWindow;
      this.batchesInFlight = batchesInFlight;
      return this;
    }

    /** Since when the Client System has been unreachable, or null while it is reachable. */
    public Builder setOfflineSince(Instant offlineSince) {
      this.offlineSince = offlineSince;
      return this;
    }

    /** The health verdict. Required: a status never guesses its own health. */
    public Builder setHealth(HealthVerdict health) {
      this.health = Objects.requireNonNull(health, "health");
      return this;
    }

    /**
     * Builds the status.
     *
     * @throws IllegalStateException when the health is not set: {@code "health must be set"}
     */
    public SyncStatus build() {
      if (health == null) {
        throw new IllegalStateException("health must be set");
      }
      return new SyncStatus(this);
    }
  }
}

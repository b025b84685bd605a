package com.meterit.sync.core;

import java.time.Instant;
import java.util.Optional;

/** A snapshot of a {@link ConnectivityMonitor}. Immutable and thread-safe. */
final class ConnectivityStatus {
  private final boolean connected;
  private final Instant since;
  private final Instant lastProbeAt;
  private final int consecutiveFailures;

  ConnectivityStatus(boolean connected, Instant since, Instant lastProbeAt, int consecutiveFailures) {
    this.connected = connected;
    this.since = since;
    this.lastProbeAt = lastProbeAt;
    this.consecutiveFailures = consecutiveFailures;
  }

  /** Whether the last probe succeeded; true before the first probe. */
  boolean isConnected() {
    return connected;
  }

  /** When connectivity last changed, if it has. */
  Optional<Instant> since() {
    return Optional.ofNullable(since);
  }

  /** When the last probe finished, if one has. */
  Optional<Instant> lastProbeAt() {
    return Optional.ofNullable(lastProbeAt);
  }

  /** Failed probes in a row; 0 while connected. */
  int consecutiveFailures() {
    return consecutiveFailures;
  }

  @Override
  public String toString() {
    return "ConnectivityStatus{connected=" + connected + ", since=" + since
        + ", lastProbeAt=" + lastProbeAt + ", consecutiveFailures=" + consecutiveFailures + '}';
  }
}

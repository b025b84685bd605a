package com.meterit.sync.api;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Readings claimed from a {@link ReadingSource} under a lease, oldest first.
 *
 * <p>Until the claim is acknowledged, quarantined or released, no other claim returns its
 * readings. When the lease expires (a crash, a hung upload), the readings become claimable again.
 * Immutable and thread-safe.
 */
public final class Claim {
  private final List<Reading> readings;
  private final Instant leaseExpiresAt;

  /**
   * @param readings the claimed readings, oldest first; may be empty
   * @param leaseExpiresAt when the readings become claimable again if nothing else happens
   */
  public Claim(List<Reading> readings, Instant leaseExpiresAt) {
    this.readings = List.copyOf(Objects.requireNonNull(readings, "readings"));
    this.leaseExpiresAt = Objects.requireNonNull(leaseExpiresAt, "leaseExpiresAt");
  }

  /** The claimed readings, oldest first. */
  public List<Reading> readings() {
    return readings;
  }

  /** When the lease ends. */
  public Instant leaseExpiresAt() {
    return leaseExpiresAt;
  }

  /** Whether nothing was pending. */
  public boolean isEmpty() {
    return readings.isEmpty();
  }

  /** The number of readings claimed. */
  public int size() {
    return readings.size();
  }

  @Override
  public String toString() {
    return "Claim{size=" + readings.size() + ", leaseExpiresAt=" + leaseExpiresAt + '}';
  }
}

package com.meterit.sync.api;

import java.util.Objects;

/**
 * The engine's health with its reason, as {@link SyncStatus#health()} reports it. Immutable and
 * thread-safe.
 */
public final class HealthVerdict {
  private static final HealthVerdict HEALTHY =
      new HealthVerdict(Health.HEALTHY, HealthReason.OK, "readings flow within the limits");

  private final Health health;
  private final HealthReason reason;
  private final String detail;

  private HealthVerdict(Health health, HealthReason reason, String detail) {
    this.health = health;
    this.reason = reason;
    this.detail = detail;
  }

  /** The verdict with nothing wrong. */
  public static HealthVerdict healthy() {
    return HEALTHY;
  }

  /**
   * A verdict that something is wrong.
   *
   * @param health {@link Health#DEGRADED} or {@link Health#FAILING}
   * @param reason what is wrong, not {@link HealthReason#OK}
   * @param detail one line for a person, such as {@code "sync lag 2 h is over 1 h"}; never
   *     holds a secret
   * @throws IllegalArgumentException when {@code health} is {@code HEALTHY} or {@code reason} is
   *     {@code OK}
   */
  public static HealthVerdict of(Health health, HealthReason reason, String detail) {
    Objects.requireNonNull(health, "health");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(detail, "detail");
    if (health == Health.HEALTHY || reason == HealthReason.OK) {
      throw new IllegalArgumentException(
          "a verdict with something wrong must not be HEALTHY or OK: " + health + ", " + reason);
    }
    return new HealthVerdict(health, reason, detail);
  }

  /** The summary: healthy, degraded or failing. */
  public Health health() {
    return health;
  }

  /** The worst finding, {@link HealthReason#OK} when healthy. */
  public HealthReason reason() {
    return reason;
  }

  /** The finding in words, for a person. */
  public String detail() {
    return detail;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof HealthVerdict)) {
      return false;
    }
    HealthVerdict other = (HealthVerdict) o;
    return health == other.health && reason == other.reason && detail.equals(other.detail);
  }

  @Override
  public int hashCode() {
    return Objects.hash(health, reason, detail);
  }

  @Override
  public String toString() {
    return health + " (" + reason + ": " + detail + ')';
  }
}

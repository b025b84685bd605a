package com.meterit.sync.api;

import java.time.Duration;
import java.util.Objects;

/**
 * The limits past which the engine's health turns {@link Health#DEGRADED} and then {@link
 * Health#FAILING}: how old the oldest pending reading may get, and how long the Client System
 * may stay unreachable. Immutable and thread-safe; built with {@link #builder()}.
 *
 * <p>The defaults suit a gateway on a cellular link, where an outage of minutes is routine and
 * one of a day needs a person.
 */
public final class HealthThresholds {
  /** The default lag past which health is degraded: 1 hour, a dozen missed 5-minute runs. */
  public static final Duration DEFAULT_LAG_DEGRADED = Duration.ofHours(1);
  /** The default lag past which health is failing: 24 hours, a billing day. */
  public static final Duration DEFAULT_LAG_FAILING = Duration.ofHours(24);
  /** The default outage past which health is degraded: 15 minutes. */
  public static final Duration DEFAULT_OFFLINE_DEGRADED = Duration.ofMinutes(15);
  /** The default outage past which health is failing: 24 hours. */
  public static final Duration DEFAULT_OFFLINE_FAILING = Duration.ofHours(24);

  private static final HealthThresholds DEFAULTS = builder().build();

  private final Duration lagDegraded;
  private final Duration lagFailing;
  private final Duration offlineDegraded;
  private final Duration offlineFailing;

  private HealthThresholds(Builder b) {
    this.lagDegraded = b.lagDegraded;
    this.lagFailing = b.lagFailing;
    this.offlineDegraded = b.offlineDegraded;
    this.offlineFailing = b.offlineFailing;
  }

  /** The default thresholds. */
  public static HealthThresholds defaults() {
    return DEFAULTS;
  }

  /** Starts from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The sync lag past which health is degraded. */
  public Duration lagDegraded() {
    return lagDegraded;
  }

  /** The sync lag past which health is failing. */
  public Duration lagFailing() {
    return lagFailing;
  }

  /** How long the Client System may be unreachable before health is degraded. */
  public Duration offlineDegraded() {
    return offlineDegraded;
  }

  /** How long the Client System may be unreachable before health is failing. */
  public Duration offlineFailing() {
    return offlineFailing;
  }

  @Override
  public String toString() {
    return "HealthThresholds{lag=" + lagDegraded + "/" + lagFailing + ", offline="
        + offlineDegraded + "/" + offlineFailing + '}';
  }

  /** Builds {@link HealthThresholds}. Not thread-safe. */
  public static final class Builder {
    private Duration lagDegraded = DEFAULT_LAG_DEGRADED;
    private Duration lagFailing = DEFAULT_LAG_FAILING;
    private Duration offlineDegraded = DEFAULT_OFFLINE_DEGRADED;
    private Duration offlineFailing = DEFAULT_OFFLINE_FAILING;

    private Builder() {}

    /**
     * The sync lag past which health is degraded, positive. Default {@link
     * #DEFAULT_LAG_DEGRADED}.
     *
     * @return this builder
     */
    public Builder setLagDegraded(Duration lagDegraded) {
      this.lagDegraded = positive("lagDegraded", lagDegraded);
      return this;
    }

    /**
     * The sync lag past which health is failing, positive. Default {@link #DEFAULT_LAG_FAILING}.
     *
     * @return this builder
     */
    public Builder setLagFailing(Duration lagFailing) {
      this.lagFailing = positive("lagFailing", lagFailing);
      return this;
    }

    /**
     * How long the Client System may be unreachable before health is degraded, positive.
     * Default {@link #DEFAULT_OFFLINE_DEGRADED}.
     *
     * @return this builder
     */
    public Builder setOfflineDegraded(Duration offlineDegraded) {
      this.offlineDegraded = positive("offlineDegraded", offlineDegraded);
      return this;
    }

    /**
     * How long the Client System may be unreachable before health is failing, positive. Default
     * {@link #DEFAULT_OFFLINE_FAILING}.
     *
     * @return this builder
     */
    public Builder setOfflineFailing(Duration offlineFailing) {
      this.offlineFailing = positive("offlineFailing", offlineFailing);
      return this;
    }

    /**
     * Builds the thresholds.
     *
     * @return the thresholds
     * @throws IllegalArgumentException when a degraded limit is longer than its failing limit
     */
    public HealthThresholds build() {
      if (lagDegraded.compareTo(lagFailing) > 0) {
        throw new IllegalArgumentException("lagDegraded must not be longer than lagFailing: "
            + lagDegraded + " > " + lagFailing);
      }
      if (offlineDegraded.compareTo(offlineFailing) > 0) {
        throw new IllegalArgumentException("offlineDegraded must not be longer than "
            + "offlineFailing: " + offlineDegraded + " > " + offlineFailing);
      }
      return new HealthThresholds(this);
    }

    private static Duration positive(String name, Duration value) {
      Objects.requireNonNull(value, name);
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive: " + value);
      }
      return value;
    }
  }
}

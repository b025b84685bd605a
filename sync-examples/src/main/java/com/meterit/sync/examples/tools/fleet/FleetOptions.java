package com.meterit.sync.examples.tools.fleet;

import java.time.Duration;
import java.util.Objects;

/**
 * One simulated case: the fleet, its meters, the outage, the server's capacity and what it says
 * when overloaded, and how the gateways back off. Immutable; built by {@link #builder()}, whose
 * setters validate.
 */
final class FleetOptions {
  /** What an overloaded server says about when to come back. */
  enum RetryAfter {
    /** Nothing: a bare 503. */
    NONE,
    /** The same {@code Retry-After} for every refused request. */
    FIXED,
    /** Each refused request gets its own slot, at the rate the capacity takes them. */
    PACED
  }

  /** How the gateways wait. */
  enum Client {
    /** The engine's defaults, as built. */
    DEFAULTS,
    /** The defaults before this simulation: the first run at once after a reconnection. */
    BEFORE,
    /** Retries, offline probes and the run after a reconnect at fixed, unjittered times. */
    NO_JITTER
  }

  /** The default fleet: {@value}. */
  static final int DEFAULT_GATEWAYS = 10_000;
  /** Meters per gateway: {@value}, each read once a round. */
  static final int DEFAULT_METERS = 50;
  /** One reading per meter every 15 minutes. */
  static final Duration DEFAULT_ROUND = Duration.ofMinutes(15);
  /** The outage starts one hour in, after 45 minutes of steady state to compare with. */
  static final Duration DEFAULT_OUTAGE_START = Duration.ofHours(1);
  /** The outage lasts an hour. */
  static final Duration DEFAULT_OUTAGE = Duration.ofHours(1);
  /** The steady state is measured from here to the outage, once every gateway has started. */
  static final Duration STEADY_FROM = Duration.ofMinutes(15);
  /** The most the simulation runs after the outage before it gives up on a drain. */
  static final Duration MAX_DRAIN = Duration.ofHours(4);
  /** The server's capacity as a multiple of the fleet's steady load: {@value}. */
  static final double DEFAULT_READINGS_HEADROOM = 4.0;
  static final double DEFAULT_REQUESTS_HEADROOM = 3.0;

  final int gateways;
  final int meters;
  final Duration round;
  final Duration outageStart;
  final Duration outage;
  final double requestsPerSecond;
  final double readingsPerSecond;
  final RetryAfter retryAfter;
  final Duration fixedRetryAfter;
  final Client client;
  final long seed;

  private FleetOptions(Builder b) {
    this.gateways = b.gateways;
    this.meters = b.meters;
    this.round = b.round;
    this.outageStart = b.outageStart;
    this.outage = b.outage;
    double steadyReadings = b.gateways * (double) b.meters / b.round.getSeconds();
    // The engine's default interval: each gateway uploads once per interval in steady state.
    double steadyRequests = b.gateways / 300.0;
    this.readingsPerSecond = b.readingsPerSecond > 0 ? b.readingsPerSecond
        : steadyReadings * DEFAULT_READINGS_HEADROOM;
    this.requestsPerSecond = b.requestsPerSecond > 0 ? b.requestsPerSecond
        : steadyRequests * DEFAULT_REQUESTS_HEADROOM;
    this.retryAfter = b.retryAfter;
    this.fixedRetryAfter = b.fixedRetryAfter;
    this.client = b.client;
    this.seed = b.seed;
  }

  static Builder builder() {
    return new Builder();
  }

  Builder toBuilder() {
    Builder b = new Builder();
    b.gateways = gateways;
    b.meters = meters;
    b.round = round;
    b.outageStart = outageStart;
    b.outage = outage;
    b.requestsPerSecond = requestsPerSecond;
    b.readingsPerSecond = readingsPerSecond;
    b.retryAfter = retryAfter;
    b.fixedRetryAfter = fixedRetryAfter;
    b.client = client;
    b.seed = seed;
    return b;
  }

  Duration outageEnd() {
    return outageStart.plus(outage);
  }

  /** The last moment the simulation may reach. */
  Duration horizon() {
    return outageEnd().plus(MAX_DRAIN);
  }

  /** Readings written per second by the whole fleet. */
  double productionPerSecond() {
    return gateways * (double) meters / round.getSeconds();
  }

  @Override
  public String toString() {
    return String.format(java.util.Locale.ROOT, "%,d gateways x %d meters, capacity %.0f requests/s "
        + "and %.0f readings/s, Retry-After %s, client %s, seed %d", gateways, meters,
        requestsPerSecond, readingsPerSecond, retryAfter == RetryAfter.FIXED
            ? fixedRetryAfter.getSeconds() + " s" : retryAfter, client, seed);
  }

  static final class Builder {
    private int gateways = DEFAULT_GATEWAYS;
    private int meters = DEFAULT_METERS;
    private Duration round = DEFAULT_ROUND;
    private Duration outageStart = DEFAULT_OUTAGE_START;
    private Duration outage = DEFAULT_OUTAGE;
    private double requestsPerSecond;
    private double readingsPerSecond;
    private RetryAfter retryAfter = RetryAfter.NONE;
    private Duration fixedRetryAfter = Duration.ofSeconds(60);
    private Client client = Client.DEFAULTS;
    private long seed = 1;

    private Builder() {}

    Builder setGateways(int gateways) {
      if (gateways < 1 || gateways > 1_000_000) {
        throw new IllegalArgumentException("gateways must be between 1 and 1000000: " + gateways);
      }
      this.gateways = gateways;
      return this;
    }

    Builder setMeters(int meters) {
      if (meters < 1 || meters > 1000) {
        throw new IllegalArgumentException("meters must be between 1 and 1000: " + meters);
      }
      this.meters = meters;
      return this;
    }

    Builder setOutage(Duration outage) {
      Objects.requireNonNull(outage, "outage");
      if (outage.compareTo(Duration.ofMinutes(1)) < 0 || outage.compareTo(Duration.ofDays(1)) > 0) {
        throw new IllegalArgumentException("outage must be between 1 minute and 1 day: " + outage);
      }
      this.outage = outage;
      return this;
    }

    /** Upload requests per second the server takes; 0 for the default headroom. */
    Builder setRequestsPerSecond(double requestsPerSecond) {
      this.requestsPerSecond = positiveOrZero("requestsPerSecond", requestsPerSecond);
      return this;
    }

    /** Readings per second the server takes; 0 for the default headroom. */
    Builder setReadingsPerSecond(double readingsPerSecond) {
      this.readingsPerSecond = positiveOrZero("readingsPerSecond", readingsPerSecond);
      return this;
    }

    Builder setRetryAfter(RetryAfter retryAfter) {
      this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
      return this;
    }

    Builder setFixedRetryAfter(Duration fixedRetryAfter) {
      Objects.requireNonNull(fixedRetryAfter, "fixedRetryAfter");
      if (fixedRetryAfter.isNegative() || fixedRetryAfter.isZero()) {
        throw new IllegalArgumentException("fixedRetryAfter must be positive: " + fixedRetryAfter);
      }
      this.fixedRetryAfter = fixedRetryAfter;
      return this;
    }

    Builder setClient(Client client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    Builder setSeed(long seed) {
      this.seed = seed;
      return this;
    }

    FleetOptions build() {
      return new FleetOptions(this);
    }

    private static double positiveOrZero(String name, double value) {
      if (!(value >= 0) || Double.isInfinite(value)) {
        throw new IllegalArgumentException(name + " must be 0 (default) or positive: " + value);
      }
      return value;
    }
  }
}

package com.meterit.sync.core;

import java.time.Duration;
import java.util.Objects;

/**
 * The bounds every source of settings obeys: the builder, the environment and the Client System's
 * remote configuration. Kept in one place so that a remote configuration can never set what a
 * host could not. Each check throws {@link IllegalArgumentException} with a message that starts
 * with the setting's name; callers that read the environment or the server rewrap it.
 */
final class SettingBounds {
  static final Duration MIN_SYNC_INTERVAL = Duration.ofSeconds(1);
  static final Duration MAX_SYNC_INTERVAL = Duration.ofHours(24);
  static final int MIN_BATCH_SIZE = 1;
  static final int MAX_BATCH_SIZE = 100_000;
  static final int MAX_IN_FLIGHT = 64;
  static final int MIN_RETRIES = 0;
  static final int MAX_RETRIES = 100;
  static final Duration MIN_HEARTBEAT_INTERVAL = Duration.ofSeconds(5);
  static final Duration MAX_HEARTBEAT_INTERVAL = Duration.ofHours(24);
  static final Duration MIN_PROBE_INTERVAL = Duration.ofSeconds(1);

  private SettingBounds() {}

  static Duration checkSyncInterval(String name, Duration value) {
    return checkDuration(name, value, MIN_SYNC_INTERVAL, MAX_SYNC_INTERVAL);
  }

  static Duration checkHeartbeatInterval(String name, Duration value) {
    return checkDuration(name, value, MIN_HEARTBEAT_INTERVAL, MAX_HEARTBEAT_INTERVAL);
  }

  static Duration checkProbeInterval(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.compareTo(MIN_PROBE_INTERVAL) < 0) {
      throw new IllegalArgumentException(name + " must be at least " + MIN_PROBE_INTERVAL + ": " + value);
    }
    return value;
  }

  static int checkBatchSize(String name, int value) {
    return checkInt(name, value, MIN_BATCH_SIZE, MAX_BATCH_SIZE);
  }

  static int checkMaxInFlight(String name, int value) {
    return checkInt(name, value, 1, MAX_IN_FLIGHT);
  }

  static int checkMaxRetries(String name, int value) {
    return checkInt(name, value, MIN_RETRIES, MAX_RETRIES);
  }

  static int checkInt(String name, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          name + " must be between " + min + " and " + max + ": " + value);
    }
    return value;
  }

  static Duration checkDuration(String name, Duration value, Duration min, Duration max) {
    if (value == null) {
      throw new NullPointerException(name);
    }
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new IllegalArgumentException(
          name + " must be between " + min + " and " + max + ": " + value);
    }
    return value;
  }
}

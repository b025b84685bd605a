package com.meterit.sync.jdbc;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link JdbcReadingSource#purge()} keeps the gateway's disk from filling up: synced readings
 * and old run history are deleted after their retention, in bounded chunks, and an optional cap
 * bounds the pending readings. Unsynced readings are never purged. Immutable and thread-safe.
 */
public final class RetentionPolicy {
  /** Synced readings are kept this long by default: 7 days. */
  public static final Duration DEFAULT_SYNCED_RETENTION = Duration.ofDays(7);
  /** Run history is kept this long by default: 30 days. */
  public static final Duration DEFAULT_HISTORY_RETENTION = Duration.ofDays(30);
  /** Rows deleted per transaction by default: {@value}. */
  public static final int DEFAULT_CHUNK_SIZE = 5_000;

  private final Duration syncedRetention;
  private final Duration historyRetention;
  private final int chunkSize;
  private final long maxPendingReadings;
  private final OverflowPolicy overflowPolicy;

  private RetentionPolicy(Builder b) {
    this.syncedRetention = b.syncedRetention;
    this.historyRetention = b.historyRetention;
    this.chunkSize = b.chunkSize;
    this.maxPendingReadings = b.maxPendingReadings;
    this.overflowPolicy = b.overflowPolicy;
  }

  /** The defaults: 7 days of synced readings, 30 days of history, no cap. */
  public static RetentionPolicy defaults() {
    return builder().build();
  }

  /** Starts from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** How long synced readings are kept before the purge deletes them. */
  public Duration syncedRetention() {
    return syncedRetention;
  }

  /** How long run history is kept. */
  public Duration historyRetention() {
    return historyRetention;
  }

  /** The most rows one purge statement deletes. */
  public int chunkSize() {
    return chunkSize;
  }

  /** The cap on pending readings, or 0 for none. Synced rows never count toward it. */
  public long maxPendingReadings() {
    return maxPendingReadings;
  }

  /** What happens when pending readings exceed the cap. */
  public OverflowPolicy overflowPolicy() {
    return overflowPolicy;
  }

  @Override
  public String toString() {
    return "RetentionPolicy{syncedRetention=" + syncedRetention + ", historyRetention="
        + historyRetention + ", chunkSize=" + chunkSize + ", maxPendingReadings="
        + maxPendingReadings + ", overflowPolicy=" + overflowPolicy + '}';
  }

  /** Builds a {@link RetentionPolicy}. Not thread-safe. */
  public static final class Builder {
    private Duration syncedRetention = DEFAULT_SYNCED_RETENTION;
    private Duration historyRetention = DEFAULT_HISTORY_RETENTION;
    private int chunkSize = DEFAULT_CHUNK_SIZE;
    private long maxPendingReadings;
    private OverflowPolicy overflowPolicy = OverflowPolicy.WARN;

    Builder() {}

    /** How long synced readings are kept before purging. Default 7 days; zero purges at once. */
    public Builder setSyncedRetention(Duration syncedRetention) {
      this.syncedRetention = notNegative(syncedRetention, "syncedRetention");
      return this;
    }

    /** How long run history is kept. Default 30 days. */
    public Builder setHistoryRetention(Duration historyRetention) {
      this.historyRetention = notNegative(historyRetention, "historyRetention");
      return this;
    }

    /** Rows deleted per transaction, from 1 to 100,000. Default {@value #DEFAULT_CHUNK_SIZE}. */
    public Builder setChunkSize(int chunkSize) {
      if (chunkSize < 1 || chunkSize > 100_000) {
        throw new IllegalArgumentException("chunkSize must be between 1 and 100000: " + chunkSize);
      }
      this.chunkSize = chunkSize;
      return this;
    }

    /**
     * The cap on pending readings, and what to do above it. A cap of 0 means none, the default.
     */
    public Builder setMaxPendingReadings(long maxPendingReadings, OverflowPolicy policy) {
      if (maxPendingReadings < 0) {
        throw new IllegalArgumentException(
            "maxPendingReadings must not be negative: " + maxPendingReadings);
      }
      this.maxPendingReadings = maxPendingReadings;
      this.overflowPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** Builds the policy. */
    public RetentionPolicy build() {
      return new RetentionPolicy(this);
    }

    private static Duration notNegative(Duration value, String name) {
      Objects.requireNonNull(value, name);
      if (value.isNegative()) {
        throw new IllegalArgumentException(name + " must not be negative: " + value);
      }
      return value;
    }
  }
}

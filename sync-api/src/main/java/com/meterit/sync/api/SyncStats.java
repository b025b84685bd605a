package com.meterit.sync.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Statistics of the runs in a time window, plus the backlog now. Immutable and thread-safe; built
 * with {@link #builder(Duration)}.
 */
public final class SyncStats {
  private final Duration window;
  private final long runs;
  private final long successes;
  private final long failures;
  private final long readingsSynced;
  private final long readingsRejected;
  private final long bytesSent;
  private final Duration meanRunDuration;
  private final Duration maxRunDuration;
  private final Instant lastSuccessAt;
  private final long pendingReadings;
  private final Duration syncLag;

  private SyncStats(Builder b) {
    this.window = b.window;
    this.runs = b.runs;
    this.successes = b.successes;
    this.failures = b.failures;
    this.readingsSynced = b.readingsSynced;
    this.readingsRejected = b.readingsRejected;
    this.bytesSent = b.bytesSent;
    this.meanRunDuration = b.meanRunDuration;
    this.maxRunDuration = b.maxRunDuration;
    this.lastSuccessAt = b.lastSuccessAt;
    this.pendingReadings = b.pendingReadings;
    this.syncLag = b.syncLag;
  }

  /** Starts statistics for a window ending now. */
  public static Builder builder(Duration window) {
    return new Builder(window);
  }

  /** A builder holding these statistics, to add the backlog to. */
  public Builder toBuilder() {
    Builder b = new Builder(window);
    b.runs = runs;
    b.successes = successes;
    b.failures = failures;
    b.readingsSynced = readingsSynced;
    b.readingsRejected = readingsRejected;
    b.bytesSent = bytesSent;
    b.meanRunDuration = meanRunDuration;
    b.maxRunDuration = maxRunDuration;
    b.lastSuccessAt = lastSuccessAt;
    b.pendingReadings = pendingReadings;
    b.syncLag = syncLag;
    return b;
  }

  /** The window the statistics cover, ending now. */
  public Duration window() {
    return window;
  }

  /** Runs recorded in the window, whatever their outcome. */
  public long runs() {
    return runs;
  }

  /** Runs that drained the queue. */
  public long successes() {
    return successes;
  }

  /** Runs that gave up. Interrupted runs count neither as successes nor as failures. */
  public long failures() {
    return failures;
  }

  /** Readings the server accepted. */
  public long readingsSynced() {
    return readingsSynced;
  }

  /** Readings quarantined. */
  public long readingsRejected() {
    return readingsRejected;
  }

  /** Request bytes on the wire. */
  public long bytesSent() {
    return bytesSent;
  }

  /** The mean duration of the runs, zero without runs. */
  public Duration meanRunDuration() {
    return meanRunDuration;
  }

  /** The longest run, zero without runs. */
  public Duration maxRunDuration() {
    return maxRunDuration;
  }

  /** The end of the last successful run in the window. */
  public Optional<Instant> lastSuccessAt() {
    return Optional.ofNullable(lastSuccessAt);
  }

  /** Readings waiting now; empty when the queue could not be read, so the backlog is unknown. */
  public OptionalLong pendingReadings() {
    return pendingReadings < 0 ? OptionalLong.empty() : OptionalLong.of(pendingReadings);
  }

  /** How far behind the queue is: the age of its oldest pending reading. */
  public Optional<Duration> syncLag() {
    return Optional.ofNullable(syncLag);
  }

  @Override
  public String toString() {
    return "SyncStats{window=" + window + ", runs=" + runs + ", successes=" + successes
        + ", failures=" + failures + ", readingsSynced=" + readingsSynced
        + ", readingsRejected=" + readingsRejected + ", bytesSent=" + bytesSent
        + ", meanRunDuration=" + meanRunDuration + ", maxRunDuration=" + maxRunDuration
        + ", lastSuccessAt=" + lastSuccessAt + ", pendingReadings="
        + (pendingReadings < 0 ? "unknown" : String.valueOf(pendingReadings))
        + ", syncLag=" + syncLag + '}';
  }

  /** Builds {@link SyncStats}. Not thread-safe. */
  public static final class Builder {
    private final Duration window;
    private long runs;
    private long successes;
    private long failures;
    private long readingsSynced;
    private long readingsRejected;
    private long bytesSent;
    private Duration meanRunDuration = Duration.ZERO;
    private Duration maxRunDuration = Duration.ZERO;
    private Instant lastSuccessAt;
    private long pendingReadings = -1;
    private Duration syncLag;

    private Builder(Duration window) {
      this.window = Objects.requireNonNull(window, "window");
    }

    /** The runs in the window, those that drained the queue and those that failed. */
    public Builder setRuns(long runs, long successes, long failures) {
      if (runs < 0 || successes < 0 || failures < 0 || successes + failures > runs) {
        throw new IllegalArgumentException("runs must cover successes and failures: runs="
            + runs + ", successes=" + successes + ", failures=" + failures);
      }
      this.runs = runs;
      this.successes = successes;
      this.failures = failures;
      return this;
    }

    /** Readings accepted and readings quarantined. */
    public Builder setReadings(long synced, long rejected) {
      if (synced < 0 || rejected < 0) {
        throw new IllegalArgumentException(
            "reading counts must not be negative: synced=" + synced + ", rejected=" + rejected);
      }
      this.readingsSynced = synced;
      this.readingsRejected = rejected;
      return this;
    }

    /** Request bytes on the wire. */
    public Builder setBytesSent(long bytesSent) {
      if (bytesSent < 0) {
        throw new IllegalArgumentException("bytesSent must not be negative: " + bytesSent);
      }
      this.bytesSent = bytesSent;
      return this;
    }

    /** The mean and the longest run duration. */
    public Builder setRunDurations(Duration mean, Duration max) {
      this.meanRunDuration = Objects.requireNonNull(mean, "mean");
      this.maxRunDuration = Objects.requireNonNull(max, "max");
      return this;
    }

    /** The end of the last successful run, or null. */
    public Builder setLastSuccessAt(Instant lastSuccessAt) {
      this.lastSuccessAt = lastSuccessAt;
      return this;
    }

    /**
     * The backlog now. Without it the backlog is unknown, as when the queue could not be read.
     *
     * @param pendingReadings readings waiting
     * @param syncLag the age of the oldest pending reading, or null when none is pending
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

    /** Builds the statistics. */
    public SyncStats build() {
      return new SyncStats(this);
    }
  }
}

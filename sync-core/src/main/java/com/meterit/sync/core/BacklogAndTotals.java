package com.meterit.sync.core;

import com.meterit.sync.api.PendingCount;
import com.meterit.sync.api.ReadingSource;
import com.meterit.sync.api.SyncOutcome;
import com.meterit.sync.api.SyncRun;
import com.meterit.sync.api.SyncTotals;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backlog as last read from the source, and the totals of every run, so that a status can be
 * answered without a query: a metrics scrape or a health probe every few seconds must not become
 * a database load. The backlog is read after each run, at each heartbeat tick (online or not) and
 * by each live {@code getStatus()}. Thread-safe.
 */
final class BacklogAndTotals {
  /** Up to this many pending readings are counted exactly; past it the count is estimated. */
  static final long EXACT_PENDING_UP_TO = 10_000;

  private static final Logger log = LoggerFactory.getLogger(BacklogAndTotals.class);

  /** A reading of the backlog: oldest null when nothing is pending. */
  static final class Backlog {
    /** Readings pending; negative when the read failed, which only {@link #known()} tells. */
    final long pending;
    /** Whether {@link #pending} is an estimate: a long backlog is not walked to count it. */
    final boolean estimate;
    final Instant oldest;
    /** Why the read failed, escaped and bounded; null when it did not. */
    final String failure;

    Backlog(long pending, boolean estimate, Instant oldest) {
      this(pending, estimate, oldest, null);
    }

    private Backlog(long pending, boolean estimate, Instant oldest, String failure) {
      this.pending = pending;
      this.estimate = estimate;
      this.oldest = oldest;
      this.failure = failure;
    }

    static Backlog unknown(Throwable why) {
      return new Backlog(-1, false, null, StoreTrouble.reason(why));
    }

    /** Whether the backlog could be read. */
    boolean known() {
      return pending >= 0;
    }

    /** The pending count, empty when unknown. */
    OptionalLong pendingReadings() {
      return known() ? OptionalLong.of(pending) : OptionalLong.empty();
    }

    /** The age of the oldest pending reading at {@code now}, or null. */
    Duration lagAt(Instant now) {
      if (oldest == null) {
        return null;
      }
      return oldest.isAfter(now) ? Duration.ZERO : Duration.between(oldest, now);
    }
  }

  private final ReadingSource source;
  private final Instant since;
  private volatile Backlog lastBacklog;
  private volatile StoreTrouble storeTrouble;

  // Guarded by this.
  private long runs;
  private long failures;
  private long synced;
  private long rejected;
  private long bytes;
  private Duration runTime = Duration.ZERO;

  BacklogAndTotals(ReadingSource source, Instant since) {
    this.source = source;
    this.since = since;
  }

  /** Reads the backlog from the source now, and keeps it. Never throws. */
  Backlog read() {
    Backlog backlog;
    try {
      // Status reads and heartbeats come often; a long backlog is estimated, not counted.
      PendingCount pending = source.pendingCount(EXACT_PENDING_UP_TO);
      backlog = new Backlog(pending.count(), pending.isEstimate(),
          source.oldestPendingTimestamp().orElse(null));
    } catch (RuntimeException e) {
      log.debug("Could not read the backlog", e);
      backlog = Backlog.unknown(e);
    }
    lastBacklog = backlog;
    return backlog;
  }

  /** The backlog as last read; read now only if it never was. */
  Backlog cached() {
    Backlog backlog = lastBacklog;
    return backlog != null ? backlog : read();
  }

  /**
   * What is wrong with the source, as the last failed run found it: a full, unavailable or damaged
   * store; null when nothing is, or since a run succeeded.
   */
  StoreTrouble storeTrouble() {
    return storeTrouble;
  }

  /** Counts a run that happened, and what its failure says of the store; skips are not counted. */
  synchronized void record(SyncRun run, Throwable cause) {
    if (run.outcome() == SyncOutcome.SKIPPED) {
      return;
    }
    if (run.outcome() == SyncOutcome.SUCCEEDED) {
      storeTrouble = null;
    } else if (run.outcome() == SyncOutcome.FAILED) {
      StoreTrouble found = StoreTrouble.of(cause);
      if (found != null) {
        storeTrouble = found;
      }
    }
    runs++;
    if (run.outcome() == SyncOutcome.FAILED) {
      failures++;
    }
    synced += run.readingsSynced();
    rejected += run.readingsRejected();
    bytes += run.bytesSent();
    runTime = runTime.plus(run.duration());
  }

  synchronized SyncTotals totals() {
    return new SyncTotals(since, runs, failures, synced, rejected, bytes, runTime);
  }
}

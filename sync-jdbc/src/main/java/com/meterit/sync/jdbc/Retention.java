package com.meterit.sync.jdbc;

import com.meterit.sync.api.SyncListener;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a {@link RetentionPolicy}: purges synced rows and old history in chunks, and enforces
 * the pending cap. A reading in a journaled batch is in flight and is never dropped: the drop
 * excludes journaled readings and runs serialized with claims ({@link QueueGuard#withQueue}).
 */
final class Retention {
  private static final Logger log = LoggerFactory.getLogger(Retention.class);

  private final Jdbc jdbc;
  private final Statements sql;
  private final QueueGuard queue;
  private final LongSupplier pendingCount;
  private final RetentionPolicy policy;
  private final Clock clock;
  private final Consumer<Consumer<SyncListener>> notify;

  Retention(Jdbc jdbc, Statements sql, QueueGuard queue, LongSupplier pendingCount,
      RetentionPolicy policy, Clock clock, Consumer<Consumer<SyncListener>> notify) {
    this.jdbc = jdbc;
    this.sql = sql;
    this.queue = queue;
    this.pendingCount = pendingCount;
    this.policy = policy;
    this.clock = clock;
    this.notify = notify;
  }

  PurgeResult purge() {
    long now = clock.millis();
    long readingsCutoff = now - policy.syncedRetention().toMillis();
    long purged = purgeInChunks(Statements.SYNCED, readingsCutoff)
        + purgeInChunks(Statements.DROPPED, readingsCutoff);
    long runsPurged = jdbc.inTransaction("purging sync history", c -> {
      try (PreparedStatement delete = c.prepareStatement(sql.purgeRuns())) {
        delete.setLong(1, now - policy.historyRetention().toMillis());
        return (long) delete.executeUpdate();
      }
    });
    queue.reanchor();
    long pending = pendingCount.getAsLong();
    long dropped = 0;
    long cap = policy.maxPendingReadings();
    if (cap > 0 && pending > cap) {
      if (policy.overflowPolicy() == OverflowPolicy.DROP_OLDEST) {
        dropped = dropOldest(pending - cap, cap, now);
        pending -= dropped;
      } else {
        long over = pending;
        log.warn("{} readings are pending, above the cap of {}; nothing is dropped (policy WARN)",
            over, cap);
        notify.accept(l -> l.onBacklogOverCap(over, cap));
      }
    }
    if (purged > 0 || runsPurged > 0) {
      log.debug("Purged {} synced readings and {} history rows", purged, runsPurged);
    }
    return new PurgeResult(purged, runsPurged, dropped, pending);
  }

  private long purgeInChunks(int status, long cutoff) {
    long total = 0;
    while (true) {
      int deleted = jdbc.inTransaction("purging synced readings", c -> {
        try (PreparedStatement delete = c.prepareStatement(sql.purgeChunk(status))) {
          delete.setLong(1, cutoff);
          delete.setInt(2, policy.chunkSize());
          return delete.executeUpdate();
        }
      });
      total += deleted;
      if (deleted < policy.chunkSize()) {
        return total;
      }
    }
  }

  private long dropOldest(long excess, long cap, long now) {
    String reason = "dropped unsent: more than " + cap + " readings were pending (policy DROP_OLDEST)";
    String drop = sql.dropOldest(queue.notInFlight());
    long dropped = 0;
    while (dropped < excess) {
      int chunk = (int) Math.min(policy.chunkSize(), excess - dropped);
      int n = queue.withQueue("dropping the oldest pending readings", (c, floor) -> {
        try (PreparedStatement update = c.prepareStatement(drop)) {
          update.setLong(1, now);
          update.setString(2, reason);
          update.setLong(3, floor);
          update.setInt(4, chunk);
          return update.executeUpdate();
        }
      });
      if (n == 0) {
        break;
      }
      dropped += n;
    }
    long lost = dropped;
    if (lost > 0) {
      log.error("LOSS: dropped {} unsent readings, the oldest first, to keep the queue at {}",
          lost, cap);
      notify.accept(l -> l.onReadingsDropped(lost, reason));
    }
    return lost;
  }
}

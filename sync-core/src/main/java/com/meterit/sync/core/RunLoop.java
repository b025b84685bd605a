package com.meterit.sync.core;

import com.meterit.sync.api.Claim;
import com.meterit.sync.api.Reading;
import com.meterit.sync.api.ReadingSource;
import com.meterit.sync.api.Rejection;
import com.meterit.sync.api.SyncListener;
import com.meterit.sync.api.SyncOutcome;
import com.meterit.sync.api.SyncRun;
import com.meterit.sync.api.UploadBatch;
import com.meterit.sync.api.UploadResult;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sync run: claim, upload, settle, and repeat until the queue is empty, so that a backlog
 * from days offline drains at full speed instead of one batch per interval. With a prefetcher,
 * the next batch is claimed while the current one uploads.
 *
 * <p>Every claimed reading is settled exactly once. Acknowledged only on the server's word,
 * quarantined on its refusal, and otherwise released in a {@code finally}, so a failure, an
 * exception or {@code stop()} leaves it claimable. If even the release fails (the database is
 * gone), the lease brings it back.
 */
final class RunLoop {
  private static final Logger log = LoggerFactory.getLogger(RunLoop.class);

  /** What a run produced, and why it ended early if it did. */
  static final class Result {
    final SyncRun run;
    final Throwable cause;

    Result(SyncRun run, Throwable cause) {
      this.run = run;
      this.cause = cause;
    }
  }

  private final ReadingSource source;
  private final BatchUploader uploader;
  private final SyncListener listeners;
  private final Clock clock;
  private final BooleanSupplier stopRequested;
  private final Executor prefetcher;

  /**
   * @param prefetcher claims the next batch while the current one uploads, or null to claim on
   *     the run's own thread, one batch after the other
   */
  RunLoop(
      ReadingSource source,
      BatchUploader uploader,
      SyncListener listeners,
      Clock clock,
      BooleanSupplier stopRequested,
      Executor prefetcher) {
    this.source = source;
    this.uploader = uploader;
    this.listeners = listeners;
    this.clock = clock;
    this.stopRequested = stopRequested;
    this.prefetcher = prefetcher;
  }

  Result run(Settings settings) {
    Instant startedAt = clock.instant();
    Counters counters = new Counters();
    SyncOutcome outcome = SyncOutcome.SUCCEEDED;
    Throwable cause = null;
    CompletableFuture<Claim> next = claim(settings);
    try {
      while (true) {
        if (stopRequested.getAsBoolean()) {
          throw new StopRequestedException();
        }
        Claim claim = join(next);
        next = null;
        if (claim.isEmpty()) {
          break;
        }
        // Claim the next batch while this one uploads: the database and the network work at
        // the same time, which is most of a backlog drain's speed.
        next = claim(settings);
        drain(claim, settings, counters);
      }
    } catch (StopRequestedException e) {
      outcome = SyncOutcome.INTERRUPTED;
      cause = e;
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable t) {
      outcome = SyncOutcome.FAILED;
      cause = t;
    } finally {
      if (next != null) {
        releasePrefetched(next);
      }
    }
    String error = cause == null ? null
        : cause instanceof StopRequestedException ? "stopped before the queue was drained"
        : cause.getMessage() == null ? cause.getClass().getName() : cause.getMessage();
    SyncRun run = new SyncRun(startedAt, clock.instant(), outcome, counters.synced,
        counters.rejected, counters.bytes, counters.batches, error);
    return new Result(run, cause);
  }

  private CompletableFuture<Claim> claim(Settings settings) {
    int size = uploader.batchSizeFor(settings.batchSize);
    if (prefetcher == null) {
      try {
        return CompletableFuture.completedFuture(source.claim(size));
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
    return CompletableFuture.supplyAsync(() -> source.claim(size), prefetcher);
  }

  private static Claim join(CompletableFuture<Claim> claim) {
    try {
      return claim.join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException) {
        throw (RuntimeException) cause;
      }
      if (cause instanceof Error) {
        throw (Error) cause;
      }
      throw e;
    }
  }

  /** A batch claimed ahead that the run will not upload goes straight back to the queue. */
  private void releasePrefetched(CompletableFuture<Claim> next) {
    Claim claim;
    try {
      claim = next.join();
    } catch (RuntimeException e) {
      return;
    }
    if (!claim.isEmpty()) {
      Set<Long> ids = new LinkedHashSet<>();
      claim.readings().forEach(r -> ids.add(r.id()));
      release(ids);
    }
  }

  private void drain(Claim claim, Settings settings, Counters counters) {
    Set<Long> unsettled = new LinkedHashSet<>();
    for (Reading r : claim.readings()) {
      unsettled.add(r.id());
    }
    try {
      uploader.upload(claim.readings(), settings.maxRetries, new BatchUploader.Sink() {
        @Override
        public void answered(UploadBatch batch, UploadResult result) {
          settle(batch, result, unsettled, counters);
        }

        @Override
        public void quarantined(List<Rejection> rejections) {
          quarantine(rejections, unsettled, counters);
        }
      });
    } finally {
      if (!unsettled.isEmpty()) {
        release(unsettled);
      }
    }
  }

  private void settle(UploadBatch batch, UploadResult result, Set<Long> unsettled, Counters c) {
    Set<Long> rejectedIds = new HashSet<>();
    for (Rejection rejection : result.rejected()) {
      rejectedIds.add(rejection.readingId());
    }
    List<Long> accepted = new ArrayList<>(batch.size() - rejectedIds.size());
    for (Reading r : batch.readings()) {
      if (!rejectedIds.contains(r.id())) {
        accepted.add(r.id());
      }
    }
    // Quarantine first: if the acknowledgement then fails, the rest is uploaded again under the
    // same content and the server's deduplication answers as before.
    if (!result.rejected().isEmpty()) {
      quarantine(result.rejected(), unsettled, c);
    }
    if (!accepted.isEmpty()) {
      source.acknowledge(accepted);
      unsettled.removeAll(accepted);
      c.synced += accepted.size();
    }
    c.bytes += result.bytesSent();
    c.batches++;
    log.debug("Batch {}: {} accepted, {} rejected, {} bytes",
        batch.batchId(), accepted.size(), result.rejected().size(), result.bytesSent());
    listeners.onBatchUploaded(batch, result);
  }

  private void quarantine(List<Rejection> rejections, Set<Long> unsettled, Counters c) {
    source.quarantine(rejections);
    for (Rejection rejection : rejections) {
      unsettled.remove(rejection.readingId());
    }
    c.rejected += rejections.size();
    log.warn("Quarantined {} reading(s); first: id {}: {}", rejections.size(),
        rejections.get(0).readingId(), rejections.get(0).reason());
    listeners.onReadingsRejected(rejections);
  }

  private void release(Set<Long> unsettled) {
    try {
      source.release(unsettled);
    } catch (RuntimeException e) {
      log.warn("Could not release {} claimed readings; they return when their lease expires",
          unsettled.size(), e);
    }
  }

  private static final class Counters {
    long synced;
    long rejected;
    long bytes;
    int batches;
  }
}

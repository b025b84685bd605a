package com.meterit.sync.core.internal.run;

import com.meterit.sync.api.Claim;
import com.meterit.sync.api.Reading;
import com.meterit.sync.api.ReadingSourceException;
import com.meterit.sync.api.Rejection;
import com.meterit.sync.api.StoreFault;
import com.meterit.sync.api.SyncListener;
import com.meterit.sync.api.SyncOutcome;
import com.meterit.sync.api.SyncRun;
import com.meterit.sync.api.UploadResult;
import com.meterit.sync.core.internal.Redaction;
import com.meterit.sync.core.time.Ticker;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sync run: claim, upload, settle, and repeat until the queue is empty, so that a backlog
 * from days offline drains at full speed instead of one batch per interval. With a prefetcher,
 * the next batch is claimed while the current one uploads ({@link ClaimAhead}, which also lets a
 * settlement and the next claim share one commit); with an {@link UploadWindow} wider
 * than one, several batches are in flight at once, on {@link Lanes} of their own, and each is
 * settled when its answer arrives, in whatever order.
 *
 * <p>Every claimed batch ends exactly once: settled on the server's answer (one transaction that
 * acknowledges the accepted readings, quarantines the rejected ones and closes the batch's
 * journal entry), re-formed after an outright refusal, or otherwise released in a {@code finally}:
 * still journaled, it goes out again unchanged, so a failure, an exception or {@code stop()}
 * never lets a reading reach the server in two different batches. If even the release fails
 * (the database is gone), the lease brings the batch back. Leases are kept by the
 * {@link LeaseKeeper} for as long as a batch is held.
 */
public final class RunLoop {
  private static final Logger log = LoggerFactory.getLogger(RunLoop.class);

  /** The longest error a run records: {@value} characters. */
  static final int MAX_ERROR_LENGTH = 1000;

  /** What a run produced, and why it ended early if it did. */
  public static final class Result {
    private final SyncRun run;
    private final Throwable cause;

    Result(SyncRun run, Throwable cause) {
      this.run = run;
      this.cause = cause;
    }

    /** The run as history records it. */
    public SyncRun run() {
      return run;
    }

    /** Why the run ended early, or null when it did not. */
    public Throwable cause() {
      return cause;
    }
  }

  private final HeldBatches held;
  private final BatchUploader uploader;
  private final SyncListener listeners;
  private final Clock clock;
  private final Ticker ticker;
  private final StopSignal stop;
  private final Executor prefetcher;
  private final UploadWindow window;
  private final Executor uploadExecutor;
  private final CredentialCheck credentials;

  /**
   * @param prefetcher claims the next batch while the current one uploads, or null to claim on
   *     the run's own thread, one batch after the other
   * @param window how many batches may be in flight at once
   * @param uploadExecutor where the batches in flight are uploaded, one lane each
   * @param credentials checked before a run while they are not known to be good
   */
  public RunLoop(
      HeldBatches held,
      BatchUploader uploader,
      SyncListener listeners,
      Clock clock,
      Ticker ticker,
      StopSignal stop,
      Executor prefetcher,
      UploadWindow window,
      Executor uploadExecutor,
      CredentialCheck credentials) {
    this.held = held;
    this.uploader = uploader;
    this.listeners = listeners;
    this.clock = clock;
    this.ticker = ticker;
    this.stop = stop;
    this.prefetcher = prefetcher;
    this.window = window;
    this.uploadExecutor = uploadExecutor;
    this.credentials = credentials;
  }

  /**
   * Drains the source until it is empty, the run fails, or stop is raised.
   *
   * @param batchSize the largest batch to claim, before the learned size caps it
   * @param maxRetries retries of one batch before the run gives up on it
   */
  public Result run(int batchSize, int maxRetries) {
    Instant startedAt = clock.instant();
    long startedNanos = ticker.nanos();
    Counters counters = new Counters();
    Refusals refusals = new Refusals(batchSize);
    ClaimAhead claims = new ClaimAhead(held, prefetcher);
    Settler settler = new Settler(counters, claims);
    window.startRun(batchSize);
    Lanes lanes = new Lanes(uploadExecutor, window);
    SyncOutcome outcome = SyncOutcome.SUCCEEDED;
    Throwable cause = null;
    ClaimAhead.Request next = null;
    boolean asideFull = false;
    try {
      // Before the first claim: a refused key fails the run with nothing claimed, and even when
      // the queue is empty, so that it shows as the engine starts.
      credentials.beforeRun();
      next = claims.request(uploader.batchSizeFor(batchSize), false);
      while (true) {
        stop.check();
        lanes.rethrowFailure();
        // Batches set aside (409s, bisections out of budget) hold their readings until the run
        // ends, as the window's do until answered: together they stay within the window's heap
        // bound. Once the set-aside ones alone fill it, the run claims no more and ends, giving
        // them back still journaled.
        Lanes.Slot reserved = lanes.reserve(refusals::heldAside);
        if (reserved == null) {
          asideFull = true;
          break;
        }
        try (Lanes.Slot slot = reserved) {
          Claim claim = claims.take(next);
          next = null;
          if (claim.isEmpty()) {
            break;
          }
          if (settler.gaveBack()) {
            // A lane gave its batch back, failing, while this one was claimed: it may be that
            // very batch, and a failed run sends nothing more, so that retries stay the lane's
            // to count.
            slot.giveBack();
            settler.unsent(claim);
            lanes.awaitAll();
            lanes.rethrowFailure();
            break;
          }
          // The next batch is claimed while this one uploads, so that the database and the
          // network work at the same time, which is most of a backlog drain's speed. When this
          // batch fills a window of several, the run waits for a lane to end while the others
          // keep the link busy, and the claim shares a commit with that lane's settlement.
          next = claims.request(uploader.batchSizeFor(batchSize), lanes.windowFilled());
          try {
            slot.start(() -> uploader.upload(claim, maxRetries, refusals, settler));
          } catch (RuntimeException | Error e) {
            if (!slot.laneStarted()) {
              // No lane took the batch: it is still the run's to give back, or its lease would
              // keep it from every run until a restart.
              settler.unsent(claim);
            }
            if (e instanceof RejectedExecutionException) {
              throw new StopRequestedException();
            }
            throw e;
          }
        }
      }
      lanes.awaitAll();
      lanes.rethrowFailure();
      uploader.finish(refusals, settler);
    } catch (StopRequestedException e) {
      outcome = SyncOutcome.INTERRUPTED;
      cause = e;
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable t) {
      outcome = SyncOutcome.FAILED;
      cause = t;
    } finally {
      credentials.afterRun(cause);
      // No upload outlives its run: every lane ends (within its deadlines) before the run does.
      lanes.awaitAll();
      try {
        if (next != null) {
          releasePrefetched(claims, next, settler);
        }
      } finally {
        refusals.abandon(settler);
      }
    }
    // A host's gateway or source may put anything in a message; the run's error reaches the
    // history, the status and the log, so it is escaped and bounded here, once for all of them.
    String error = cause == null ? null
        : cause instanceof StopRequestedException ? "stopped before the queue was drained"
        : cause.getMessage() == null ? cause.getClass().getName()
        : Redaction.untrusted(cause.getMessage(), MAX_ERROR_LENGTH);
    int stillInProgress = refusals.stillInProgress();
    if (error == null && stillInProgress > 0) {
      // Not a failure, but a batch that did not go through: without a word here, a key the
      // server answers 409 for run after run would only show as a growing lag.
      error = stillInProgress + " batch(es) set aside, still journaled: the Client System was "
          + "still processing them (HTTP 409); a later run sends them again under the same key"
          + (asideFull ? "; the run ended early, holding as many batches as its window" : "");
    }
    // The end is the start plus the run's length on the ticker: read off the wall clock, a step
    // back during the run would end it before it began (SyncRun refuses that), and a step forward
    // would count a day of work.
    SyncRun run = new SyncRun(startedAt, startedAt.plusNanos(ticker.nanos() - startedNanos),
        outcome, counters.synced(),
        counters.rejected(), counters.bytes(), counters.batches(), error);
    return new Result(run, cause);
  }

  /** A batch claimed ahead that the run will not upload goes back, still journaled. */
  private static void releasePrefetched(ClaimAhead claims, ClaimAhead.Request next,
      Settler settler) {
    Claim claim = claims.withdraw(next);
    if (!claim.isEmpty()) {
      settler.unsent(claim);
    }
  }

  /** Applies the uploader's outcomes to the held batches, the counters and the listeners. */
  private final class Settler implements BatchUploader.Sink {
    private final Counters counters;
    private final ClaimAhead claims;
    private volatile boolean gaveBack;

    Settler(Counters counters, ClaimAhead claims) {
      this.counters = counters;
      this.claims = claims;
    }

    @Override
    public void beforeSend(Claim batch) {
      held.ensureHeld(batch);
    }

    @Override
    public void answered(Claim batch, UploadResult result) {
      claims.settle(batch, result.rejected());
      int rejected = result.rejected().size();
      counters.answered(batch.size() - rejected, rejected, result.bytesSent());
      log.debug("Batch {}: {} accepted, {} rejected, {} bytes", batch.batch().batchId(),
          batch.size() - rejected, rejected, result.bytesSent());
      listeners.onBatchUploaded(batch.batch(), result);
      if (rejected > 0) {
        rejected(result.rejected());
      }
    }

    @Override
    public List<Claim> reform(Claim batch, List<List<Reading>> parts) {
      return held.reform(batch, parts);
    }

    @Override
    public void quarantined(Claim batch, Rejection rejection) {
      held.settle(batch, List.of(rejection));
      counters.quarantined(1);
      rejected(List.of(rejection));
    }

    private void rejected(List<Rejection> rejections) {
      log.warn("Quarantined {} reading(s); first: id {}: {}", rejections.size(),
          rejections.get(0).readingId(), rejections.get(0).reason());
      listeners.onReadingsRejected(rejections);
    }

    /** Whether a batch was given back unsent during the run: a lane failed or was stopped. */
    boolean gaveBack() {
      return gaveBack;
    }

    @Override
    public void unsent(Claim batch) {
      // Before the release: the claim ahead must not find the batch free and this flag unset.
      gaveBack = true;
      try {
        held.release(batch);
      } catch (RuntimeException e) {
        if (ReadingSourceException.faultOf(e) == StoreFault.TRANSIENT) {
          log.warn("Could not give back batch {} of {} readings; it returns when its lease lapses",
              batch.batch().batchId(), batch.size(), e);
        } else {
          // A full or broken store fails every batch alike, and the run says why: one line each.
          log.warn("Could not give back batch {} of {} readings; it returns when its lease lapses:"
              + " {}", batch.batch().batchId(), batch.size(), Redaction.escape(e.getMessage()));
        }
      }
    }
  }

  /** What a run did; lanes in flight add to it at once. */
  private static final class Counters {
    private long synced;
    private long rejected;
    private long bytes;
    private int batches;

    synchronized void answered(int accepted, int refused, long sent) {
      synced += accepted;
      rejected += refused;
      bytes += sent;
      batches++;
    }

    synchronized void quarantined(int count) {
      rejected += count;
    }

    synchronized long synced() {
      return synced;
    }

    synchronized long rejected() {
      return rejected;
    }

    synchronized long bytes() {
      return bytes;
    }

    synchronized int batches() {
      return batches;
    }
  }
}

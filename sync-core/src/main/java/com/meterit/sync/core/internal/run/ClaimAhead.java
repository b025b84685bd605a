package com.meterit.sync.core.internal.run;

import com.meterit.sync.api.Claim;
import com.meterit.sync.api.NextClaimFailedException;
import com.meterit.sync.api.ReadingSource;
import com.meterit.sync.api.Rejection;
import com.meterit.sync.core.internal.Rethrow;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The batch a run claims ahead of the one it sends now. A run with room in its upload window
 * starts the claim at once, on the prefetcher, so that the database works while the batch
 * uploads. A run whose window of several is full waits for a lane to end anyway, while the other
 * lanes keep the link busy; its claim waits too, unstarted, until the run needs it or a lane
 * settles a batch, whichever comes first. A lane that comes first settles and claims in one call,
 * {@link ReadingSource#settleAndClaim}: one transaction and one commit on a source that can,
 * instead of two.
 *
 * <p>Every claim goes through {@link HeldBatches}, so that a batch is held before the run can see
 * it, and a request always ends: with a claim, or with the failure of the claim. One instance
 * per run.
 */
final class ClaimAhead {
  private static final Logger log = LoggerFactory.getLogger(ClaimAhead.class);

  private static final int WAITING = 0;
  private static final int CLAIMING = 1;
  private static final int CANCELLED = 2;

  /** One claim asked for ahead. */
  static final class Request {
    private final int size;
    private final AtomicInteger state = new AtomicInteger(WAITING);
    private final CompletableFuture<Claim> claim = new CompletableFuture<>();

    private Request(int size) {
      this.size = size;
    }
  }

  private final HeldBatches held;
  private final Executor prefetcher;
  private final AtomicReference<Request> latest = new AtomicReference<>();

  /**
   * @param prefetcher where the run's own claims run, or null to claim on the run's thread
   */
  ClaimAhead(HeldBatches held, Executor prefetcher) {
    this.held = held;
    this.prefetcher = prefetcher;
  }

  /**
   * Asks for the next batch, of at most {@code size} readings.
   *
   * @param awaitSettlement whether the claim waits for a settlement to share a transaction with;
   *     if not, it starts at once
   */
  Request request(int size, boolean awaitSettlement) {
    Request request = new Request(size);
    if (awaitSettlement) {
      latest.set(request);
    } else {
      request.state.set(CLAIMING);
      claimAlone(request);
    }
    return request;
  }

  /**
   * The claim asked for, started now unless a lane has started it.
   *
   * @throws RuntimeException what the claim failed with
   */
  Claim take(Request request) {
    if (request.state.compareAndSet(WAITING, CLAIMING)) {
      claimAlone(request);
    }
    try {
      return request.claim.join();
    } catch (CompletionException e) {
      throw Rethrow.unchecked(e.getCause(), "claiming failed");
    }
  }

  /**
   * Settles a batch, as {@link HeldBatches#settle}, and claims the batch asked for ahead in the
   * same call if nobody has started it. When the claim fails after the settlement, the
   * settlement stands; when the call fails otherwise, nothing was settled. Either way the claim
   * asked for is then made alone.
   */
  void settle(Claim batch, List<Rejection> rejected) {
    Request request = latest.get();
    if (request == null || !request.state.compareAndSet(WAITING, CLAIMING)) {
      held.settle(batch, rejected);
      return;
    }
    Claim next;
    try {
      next = held.settleAndClaim(batch, rejected, request.size);
    } catch (NextClaimFailedException e) {
      // The message names the cause by type; the cause itself may carry a secret.
      log.debug("Batch {} settled; {}; the claim is made again alone", batch.batch().batchId(),
          e.getMessage());
      claimAlone(request);
      return;
    } catch (Throwable t) {
      // Even a checked exception a source throws undeclared: the run must get its claim.
      claimAlone(request);
      throw t;
    }
    log.debug("Batch {} settled in the call that claimed the next", batch.batch().batchId());
    complete(request, next);
  }

  /**
   * Withdraws a request the run will not take. Never throws, but for a {@link
   * VirtualMachineError}: the run that calls it is ending already, with its own cause.
   *
   * @return the batch it claimed, held, which the caller gives back; empty if it claimed none
   */
  Claim withdraw(Request request) {
    if (request.state.compareAndSet(WAITING, CANCELLED)) {
      return Claim.empty();
    }
    try {
      return take(request);
    } catch (VirtualMachineError e) {
      throw e;
    } catch (RuntimeException | Error e) {
      return Claim.empty();
    }
  }

  private void claimAlone(Request request) {
    if (prefetcher == null) {
      claimNow(request);
      return;
    }
    try {
      prefetcher.execute(() -> claimNow(request));
    } catch (RejectedExecutionException e) {
      request.claim.completeExceptionally(new StopRequestedException());
    }
  }

  private void claimNow(Request request) {
    Claim claim;
    try {
      claim = held.claim(request.size);
    } catch (Throwable t) {
      // The run's thread rethrows it when it takes the claim, even a checked exception that a
      // source threw undeclared: a claim that never completes would leave the run waiting.
      request.claim.completeExceptionally(t);
      return;
    }
    complete(request, claim);
  }

  private static void complete(Request request, Claim claim) {
    if (claim.resumed()) {
      log.debug("Resuming journaled batch {} of {} readings", claim.batch().batchId(),
          claim.size());
    }
    request.claim.complete(claim);
  }
}

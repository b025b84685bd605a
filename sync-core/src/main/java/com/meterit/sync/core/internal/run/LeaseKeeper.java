package com.meterit.sync.core.internal.run;

import com.meterit.sync.api.Claim;
import com.meterit.sync.api.LeaseLostException;
import com.meterit.sync.api.ReadingSource;
import com.meterit.sync.core.time.Scheduler;
import com.meterit.sync.core.time.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the leases of the batches a manager holds, so that they outlive the work on them: a batch
 * in flight, one waiting out a backoff or a {@code Retry-After}, and one claimed ahead.
 *
 * <p>Every held claim is renewed at a third of its lease, on an executor of its own (a renewal
 * is a database call, which must not hold up the scheduler's timers, nor wait behind a stalled
 * heartbeat). Before each send the
 * uploader asks {@link #ensureHeld}: a claim whose lease is running short is renewed there and
 * then, and a claim that lost its batch is neither sent nor settled. Thread-safe.
 *
 * <p>The source stamps a lease's expiry on the wall clock, because the database and other workers
 * compare it there; this keeper also turns it into a deadline on the ticker the moment it learns
 * it, and times every renewal on the ticker, so that a step of this gateway's clock never delays a
 * renewal (a step back made a lease look a day longer). Before a send, a lease short on either
 * clock is renewed: a source that judges leases on this same clock (the in-memory one) sees a
 * lease lapse early after a forward step. A step of the judging clock can still let another claim
 * take a batch over between renewals; this worker then finds at its next renewal or
 * {@link #ensureHeld} that the lease is gone, and neither sends nor settles it; the journaled batch
 * goes out again unchanged, under the same Idempotency-Key (docs/architecture.md).
 */
public final class LeaseKeeper {
  private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);

  /** Renewals run no more often than this, whatever the lease. */
  static final Duration MIN_RENEWAL_PERIOD = Duration.ofSeconds(1);

  /** Beyond any lease: keeps a far expiry from overflowing the ticker's nanoseconds. */
  private static final Duration FAR = Duration.ofDays(365 * 100);

  private final class Held {
    final Claim claim;
    final Duration length;
    /** When the lease lapses, on the ticker. */
    volatile long expiresAt;
    /** When the lease lapses, as the source stamped it on the wall clock. */
    volatile Instant wallExpiresAt;
    volatile boolean lost;

    Held(Claim claim) {
      Duration left = untilExpiry(claim.leaseExpiresAt());
      this.claim = claim;
      this.length = left.isNegative() ? Duration.ZERO : left;
      this.expiresAt = ticker.nanos() + left.toNanos();
      this.wallExpiresAt = claim.leaseExpiresAt();
    }

    /** Less than half the lease left, on the ticker or on the wall clock. */
    boolean runningShort() {
      Duration half = length.dividedBy(2);
      return expiresAt - ticker.nanos() < half.toNanos()
          || untilExpiry(wallExpiresAt).compareTo(half) < 0;
    }
  }

  private final ReadingSource source;
  private final Clock clock;
  private final Ticker ticker;
  private final Scheduler scheduler;
  private final Executor executor;
  private final Map<String, Held> held = new ConcurrentHashMap<>();
  private final Object timerLock = new Object();
  // Guarded by timerLock.
  private Scheduler.Cancellable timer;
  private boolean stopped;

  public LeaseKeeper(ReadingSource source, Clock clock, Ticker ticker, Scheduler scheduler,
      Executor executor) {
    this.source = source;
    this.clock = clock;
    this.ticker = ticker;
    this.scheduler = scheduler;
    this.executor = executor;
  }

  /** Starts keeping the lease of {@code claim}, a batch just claimed or formed. */
  void hold(Claim claim) {
    if (claim.isEmpty()) {
      return;
    }
    Held h = new Held(claim);
    held.put(claim.key(), h);
    scheduleRenewal(renewalPeriod(h));
  }

  /** Stops keeping the lease of a claim that was settled, released or re-formed. */
  void drop(Claim claim) {
    held.remove(claim.key());
  }

  /**
   * Makes sure the claim still holds its batch before it is sent, renewing a lease that has less
   * than half of its length left on either clock.
   *
   * @throws LeaseLostException when another claim took the batch over
   */
  void ensureHeld(Claim claim) {
    Held h = held.get(claim.key());
    if (h == null) {
      h = new Held(claim);
    }
    if (!h.lost && h.runningShort()) {
      renew(List.of(h));
    }
    if (h.lost) {
      throw new LeaseLostException("batch " + claim.batch().batchId()
          + " lost its lease and was taken over; it is not sent from here");
    }
  }

  /** Stops renewing. The batches still held are released by their owners. */
  public void stop() {
    synchronized (timerLock) {
      stopped = true;
      if (timer != null) {
        timer.cancel();
        timer = null;
      }
    }
  }

  /** How long until a lease stamped on the wall clock lapses, read once, now. */
  private Duration untilExpiry(Instant expiresAt) {
    Duration left = Duration.between(clock.instant(), expiresAt);
    return left.compareTo(FAR) > 0 ? FAR : left.compareTo(FAR.negated()) < 0 ? FAR.negated() : left;
  }

  private Duration renewalPeriod(Held h) {
    Duration third = h.length.dividedBy(3);
    return third.compareTo(MIN_RENEWAL_PERIOD) < 0 ? MIN_RENEWAL_PERIOD : third;
  }

  private void scheduleRenewal(Duration delay) {
    synchronized (timerLock) {
      if (stopped || timer != null) {
        return;
      }
      try {
        timer = scheduler.schedule(this::renewalDue, delay);
      } catch (RejectedExecutionException e) {
        // A host's scheduler that is shutting down: the next hold tries again, and a lease
        // that is not renewed only brings its batch back when it lapses.
        log.warn("Could not schedule lease renewals: {}", e.toString());
      }
    }
  }

  private void renewalDue() {
    try {
      executor.execute(this::renewAll);
    } catch (RejectedExecutionException e) {
      // A host's executor may be full for a moment; the leases still need renewing.
      synchronized (timerLock) {
        timer = null;
      }
      scheduleRenewal(MIN_RENEWAL_PERIOD);
    }
  }

  private void renewAll() {
    Duration next = null;
    try {
      List<Held> all = new ArrayList<>(held.values());
      all.removeIf(h -> h.lost);
      if (!all.isEmpty()) {
        renew(all);
        for (Held h : all) {
          Duration period = renewalPeriod(h);
          next = next == null || period.compareTo(next) < 0 ? period : next;
        }
      }
    } catch (RuntimeException e) {
      log.warn("Renewing {} lease(s) failed; trying again: {}", held.size(), e.getMessage());
      next = MIN_RENEWAL_PERIOD;
    } finally {
      synchronized (timerLock) {
        timer = null;
      }
      if (next != null || !held.isEmpty()) {
        scheduleRenewal(next != null ? next : MIN_RENEWAL_PERIOD);
      }
    }
  }

  private void renew(List<Held> claims) {
    List<Claim> asked = new ArrayList<>(claims.size());
    claims.forEach(h -> asked.add(h.claim));
    Map<String, Instant> renewed = source.renew(asked);
    for (Held h : claims) {
      Instant until = renewed.get(h.claim.key());
      if (until == null) {
        if (!h.lost) {
          h.lost = true;
          log.warn("Batch {} lost its lease; another claim holds it now",
              h.claim.batch().batchId());
        }
      } else {
        h.expiresAt = ticker.nanos() + untilExpiry(until).toNanos();
        h.wallExpiresAt = until;
      }
    }
  }
}

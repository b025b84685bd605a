package com.meterit.sync.core;

import com.meterit.sync.api.Claim;
import com.meterit.sync.api.LeaseLostException;
import com.meterit.sync.api.ReadingSource;
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
 */
final class LeaseKeeper {
  private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);

  /** Renewals run no more often than this, whatever the lease. */
  static final Duration MIN_RENEWAL_PERIOD = Duration.ofSeconds(1);

  private static final class Held {
    final Claim claim;
    final Duration length;
    volatile Instant expiresAt;
    volatile boolean lost;

    Held(Claim claim, Duration length) {
      this.claim = claim;
      this.length = length;
      this.expiresAt = claim.leaseExpiresAt();
    }
  }

  private final ReadingSource source;
  private final Clock clock;
  private final Scheduler scheduler;
  private final Executor executor;
  private final Map<String, Held> held = new ConcurrentHashMap<>();
  private final Object timerLock = new Object();
  // Guarded by timerLock.
  private Scheduler.Cancellable timer;
  private boolean stopped;

  LeaseKeeper(ReadingSource source, Clock clock, Scheduler scheduler, Executor executor) {
    this.source = source;
    this.clock = clock;
    this.scheduler = scheduler;
    this.executor = executor;
  }

  /** Starts keeping the lease of {@code claim}, a batch just claimed or formed. */
  void hold(Claim claim) {
    if (claim.isEmpty()) {
      return;
    }
    Duration length = Duration.between(clock.instant(), claim.leaseExpiresAt());
    Held h = new Held(claim, length.isNegative() ? Duration.ZERO : length);
    held.put(claim.key(), h);
    scheduleRenewal(renewalPeriod(h));
  }

  /** Stops keeping the lease of a claim that was settled, released or re-formed. */
  void drop(Claim claim) {
    held.remove(claim.key());
  }

  /**
   * Makes sure the claim still holds its batch before it is sent, renewing a lease that has less
   * than half of its length left.
   *
   * @throws LeaseLostException when another claim took the batch over
   */
  void ensureHeld(Claim claim) {
    Held h = held.get(claim.key());
    if (h == null) {
      h = new Held(claim, Duration.between(clock.instant(), claim.leaseExpiresAt()));
    }
    if (!h.lost && Duration.between(clock.instant(), h.expiresAt)
        .compareTo(h.length.dividedBy(2)) < 0) {
      renew(List.of(h));
    }
    if (h.lost) {
      throw new LeaseLostException("batch " + claim.batch().batchId()
          + " lost its lease and was taken over; it is not sent from here");
    }
  }

  /** Stops renewing. The batches still held are released by their owners. */
  void stop() {
    synchronized (timerLock) {
      stopped = true;
      if (timer != null) {
        timer.cancel();
        timer = null;
      }
    }
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
        h.expiresAt = until;
      }
    }
  }
}

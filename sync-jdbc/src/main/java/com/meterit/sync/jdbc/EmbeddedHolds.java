package com.meterit.sync.jdbc;

import com.meterit.sync.api.Claim;
import com.meterit.sync.api.LeaseLostException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journaled batches of an embedded database (H2, SQLite) and their holds, kept in the one
 * process that drains it: which claim holds each batch, until when, and whether it is being
 * settled. Not thread-safe: {@link EmbeddedClaims} guards it with its lock.
 */
final class EmbeddedHolds {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedHolds.class);

  /** One journaled batch and its hold. */
  static final class Held {
    final Journal.Batch batch;
    /** The token of the claim that holds the batch; 0 when un-held. */
    long token;
    /** When the hold lapses, on the monotonic ticker; meaningful while {@link #token} is set. */
    long leaseUntil;
    /** Being settled or re-formed: not to be expired nor handed out. */
    boolean busy;
    /** Whether an un-held batch is kept back until {@link #setAsideUntil}. */
    private boolean setAside;
    /** Until when, on the ticker, an un-held batch is not handed out: some rows did not read. */
    private long setAsideUntil;

    /** Keeps an un-held batch back until {@code tick}, on the ticker. */
    void setAside(long tick) {
      setAside = true;
      setAsideUntil = tick;
    }

    boolean setAsideAt(long tick) {
      return setAside && setAsideUntil - tick > 0;
    }

    Held(Journal.Batch batch) {
      this.batch = batch;
    }
  }

  private final Map<Long, Held> batches = new HashMap<>();

  void add(Held held) {
    batches.put(held.batch.id, held);
  }

  void remove(Held held) {
    batches.remove(held.batch.id);
  }

  /** The batch the claim with this parsed key holds, or null when it holds none. */
  Held heldBy(long[] key) {
    Held held = batches.get(key[0]);
    return held != null && held.token == key[1] ? held : null;
  }

  /** Un-holds every batch whose lease lapsed by {@code tick}: the next claim returns it. */
  void expireLapsed(long tick) {
    for (Held held : batches.values()) {
      if (held.token != 0 && !held.busy && held.leaseUntil - tick <= 0) {
        held.token = 0;
        log.warn("The lease of {} lapsed; it will be sent again", held.batch);
      }
    }
  }

  /** The un-held batch with the lowest first id that is not set aside at {@code tick}. */
  Held nextUnheld(long tick) {
    Held next = null;
    for (Held held : batches.values()) {
      if (held.token == 0 && !held.busy && !held.setAsideAt(tick)
          && (next == null || held.batch.firstId < next.batch.firstId)) {
        next = held;
      }
    }
    return next;
  }

  /**
   * Marks the claim's batch busy, for its settlement or re-forming.
   *
   * @throws LeaseLostException when the claim does not hold it
   */
  Held markBusy(Claim claim) {
    Held held = heldBy(Journal.parseKey(claim));
    if (held == null || held.busy) {
      throw new LeaseLostException("batch " + claim.batch().batchId() + " is no longer held by "
          + "claim " + claim.key() + ": its lease lapsed and it was claimed again, or it was "
          + "settled");
    }
    held.busy = true;
    return held;
  }

  /**
   * Extends the holds of the claims that still hold their batches, to {@code leaseUntil} on the
   * ticker.
   *
   * @return per renewed claim, {@code reported}: the lease end on the wall clock
   */
  Map<String, Instant> renew(Collection<Claim> claims, long leaseUntil, Instant reported) {
    Map<String, Instant> renewed = new HashMap<>();
    for (Claim claim : claims) {
      if (claim.isEmpty()) {
        continue;
      }
      Held held = heldBy(Journal.parseKey(claim));
      if (held != null) {
        held.leaseUntil = leaseUntil;
        renewed.put(claim.key(), reported);
      }
    }
    return renewed;
  }
}

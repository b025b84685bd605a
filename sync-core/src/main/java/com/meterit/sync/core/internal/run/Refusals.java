package com.meterit.sync.core.internal.run;

import com.meterit.sync.api.Claim;
import com.meterit.sync.api.GatewayException;
import com.meterit.sync.api.Rejection;
import com.meterit.sync.api.UploadsRefusedException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Tells poisoned readings from a server that refuses everything, over one run.
 *
 * <p>A whole-batch refusal is bisected down to single readings. A reading refused alone is only a
 * suspect: it is held aside until the server accepts a batch formed in this run (an answer to a
 * resumed batch may be a replay, which proves nothing about the server now), then sent alone once
 * more, and quarantined only if the server, having just accepted another upload, refuses it
 * again.
 *
 * <p>Refusals since the last acceptance are counted. Past the budget (a few dozen, growing with
 * the logarithm of the batch size) the batch being bisected is set aside, still journaled, and
 * the run looks for an acceptance in the batches after it, so that a batch of bad readings never
 * stops the queue behind it. A second budget spent without an acceptance, or a run that ends
 * with refusals and no acceptance at all (of a fresh batch or a resumed one), ends as: the server
 * refuses everything, nothing is quarantined, and a proxy that refuses everything costs a bounded
 * number of requests, never one per reading. Whether the run has had anything accepted also
 * tells the uploader a burst of 503s from a full server ({@link #acceptedAny()}). Thread-safe: the
 * lanes of one run share it.
 */
final class Refusals {
  private final int budget;
  /** Single readings refused alone, held aside with their reasons, in refusal order. */
  private final Map<Claim, Rejection> suspects = new HashMap<>();
  private final List<Claim> suspectOrder = new ArrayList<>();
  /** Suspects sent alone once more after an acceptance: refused again, they are poisoned. */
  private final Map<String, Rejection> retrials = new HashMap<>();
  /**
   * Batches whose bisection ran out of budget, or that the server kept answering 409 for, held
   * until the end of the run.
   */
  private final List<Claim> setAside = new ArrayList<>();
  private int inARow;
  /** Batches set aside for a 409 in this run, for the run's record; never cleared. */
  private int stillInProgress;
  private boolean budgetSpentOnce;
  private boolean acceptedAny;
  private GatewayException last;

  /**
   * @param batchSize the run's batch size: bisecting it costs about two refusals per halving, so
   *     the budget grows with its logarithm
   */
  Refusals(int batchSize) {
    this.budget = 4 + 2 * (Integer.SIZE - Integer.numberOfLeadingZeros(Math.max(1, batchSize)));
  }

  /**
   * The server accepted a batch formed in this run.
   *
   * @return the suspects, to be sent alone once more
   */
  synchronized List<Claim> acceptedFresh() {
    inARow = 0;
    budgetSpentOnce = false;
    acceptedAny = true;
    List<Claim> again = new ArrayList<>(suspectOrder);
    for (Claim suspect : again) {
      retrials.put(suspect.key(), suspects.remove(suspect));
    }
    suspectOrder.clear();
    return again;
  }

  /**
   * The server accepted a resumed batch. Perhaps a replay, so no evidence against a suspect; but
   * a run that saw it did not meet a server that refuses everything.
   */
  synchronized void acceptedResumed() {
    acceptedAny = true;
  }

  /** Whether the server accepted an upload (fresh or resumed) in this run. */
  synchronized boolean acceptedAny() {
    return acceptedAny;
  }

  /**
   * The server refused a batch whole.
   *
   * @throws UploadsRefusedException when a second budget of refusals went by without an
   *     acceptance
   */
  synchronized void refused(GatewayException refusal) {
    last = refusal;
    inARow++;
    if (inARow > budget && budgetSpentOnce) {
      throw everythingRefused();
    }
  }

  /** Whether the refusals since the last acceptance exceed the budget. */
  synchronized boolean overBudget() {
    return inARow > budget;
  }

  /** Holds the rest of a batch whose bisection ran out of budget, and starts a second budget. */
  synchronized void setAside(List<Claim> parts) {
    setAside.addAll(parts);
    budgetSpentOnce = true;
    inARow = 0;
  }

  /**
   * Holds a batch the server is still processing under its key (409) until the run ends: then it
   * is given back, still journaled, and a later run sends it again, whole, under the same key.
   * No refusal: the budget is left as it is.
   */
  synchronized void setAsideInProgress(Claim batch) {
    setAside.add(batch);
    stillInProgress++;
  }

  /**
   * How many batches are held set aside now: they hold their readings until the run ends, so
   * they count against the window's heap bound.
   */
  synchronized int heldAside() {
    return setAside.size();
  }

  /** How many batches this run set aside because the server was still processing them. */
  synchronized int stillInProgress() {
    return stillInProgress;
  }

  /**
   * A single reading refused alone.
   *
   * @return its rejection when it was refused again right after an acceptance, so poisoned;
   *     otherwise null, and it is held aside as a suspect
   */
  synchronized Rejection refusedAlone(Claim claim, String reason) {
    Rejection rejection = new Rejection(claim.readings().get(0).id(), reason);
    if (retrials.remove(claim.key()) != null) {
      return rejection;
    }
    suspects.put(claim, rejection);
    suspectOrder.add(claim);
    return null;
  }

  /**
   * Gives back what was held aside at the end of a run, still journaled, for a later run.
   *
   * @throws UploadsRefusedException when the run accepted nothing and something was refused
   */
  void finish(BatchUploader.Sink sink) {
    boolean refusedOnly;
    synchronized (this) {
      refusedOnly = !acceptedAny && last != null;
    }
    if (!abandon(sink) && refusedOnly) {
      synchronized (this) {
        throw everythingRefused();
      }
    }
  }

  /**
   * Gives back what was held aside when a run ends, still journaled.
   *
   * @return whether nothing was held
   */
  boolean abandon(BatchUploader.Sink sink) {
    List<Claim> held;
    synchronized (this) {
      held = new ArrayList<>(suspectOrder);
      held.addAll(setAside);
      suspects.clear();
      suspectOrder.clear();
      setAside.clear();
    }
    held.forEach(sink::unsent);
    return held.isEmpty();
  }

  private UploadsRefusedException everythingRefused() {
    return new UploadsRefusedException("the Client System refused every upload of this run ("
        + inARow + " in a row, none accepted since; last: " + last.getMessage()
        + "); nothing was quarantined", last);
  }
}

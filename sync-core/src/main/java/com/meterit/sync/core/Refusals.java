package com.meterit.sync.core;

import com.meterit.sync.api.Claim;
import com.meterit.sync.api.GatewayException;
import com.meterit.sync.api.Rejection;
import com.meterit.sync.api.UploadsRefusedException;
import java.util.ArrayList;
import java.util.List;

/**
 * Tells poisoned readings from a server that refuses everything, over one run.
 *
 * <p>A whole-batch refusal is bisected down to single readings, but a single reading refused
 * alone is quarantined only on evidence that the server takes other uploads now: an upload
 * accepted after that refusal, such as the other half of the same batch. Until then it is a
 * suspect, held aside while the run goes on. A run that ends with suspects met a refusal of
 * everything: nothing is quarantined, and the suspects stay journaled for the next run. Refusals
 * in a row are counted too: past a budget of a few dozen the run stops, so a proxy that refuses
 * everything costs a bounded number of requests, never one per reading. Not thread-safe: one run
 * uses it.
 */
final class Refusals {
  /** A single reading refused whole, awaiting evidence. */
  static final class Suspect {
    final Claim claim;
    final Rejection rejection;
    boolean proven;

    Suspect(Claim claim, Rejection rejection) {
      this.claim = claim;
      this.rejection = rejection;
    }
  }

  private final int budget;
  private final List<Suspect> suspects = new ArrayList<>();
  private int inARow;
  private GatewayException last;

  /**
   * @param batchSize the run's batch size: bisecting it costs about two refusals per halving, so
   *     the budget grows with its logarithm
   */
  Refusals(int batchSize) {
    this.budget = 4 + 2 * (Integer.SIZE - Integer.numberOfLeadingZeros(Math.max(1, batchSize)));
  }

  /**
   * The server accepted an upload: every suspect so far is poisoned, to be quarantined (see
   * {@link #nextPoisoned}).
   */
  void accepted() {
    inARow = 0;
    suspects.forEach(s -> s.proven = true);
  }

  /**
   * A suspect proven poisoned, still to be quarantined, or null. It stays a suspect until
   * {@link #quarantined}, so that one whose quarantine failed is still given back.
   */
  Suspect nextPoisoned() {
    for (Suspect s : suspects) {
      if (s.proven) {
        return s;
      }
    }
    return null;
  }

  /** A proven suspect was quarantined. */
  void quarantined(Suspect suspect) {
    suspects.remove(suspect);
  }

  /**
   * The server refused a batch whole.
   *
   * @throws UploadsRefusedException when the refusals since the last acceptance exceed the
   *     budget
   */
  void refused(GatewayException refusal) {
    last = refusal;
    inARow++;
    if (inARow > budget) {
      throw everythingRefused();
    }
  }

  /** Holds a single refused reading aside until the run shows whether it is poisoned. */
  void suspect(Claim claim, Rejection rejection) {
    suspects.add(new Suspect(claim, rejection));
  }

  /**
   * Gives back the suspects still held, proven or not, at the end of a run: they stay journaled.
   *
   * @return whether there were none
   */
  boolean takeSuspectsInto(BatchUploader.Sink sink) {
    boolean none = suspects.isEmpty();
    List<Suspect> left = new ArrayList<>(suspects);
    suspects.clear();
    for (Suspect s : left) {
      sink.unsent(s.claim);
    }
    return none;
  }

  /** The failure of a run in which everything was refused. */
  UploadsRefusedException everythingRefused() {
    return new UploadsRefusedException("the Client System refused every upload of this run ("
        + inARow + " in a row, none accepted since; last: " + last.getMessage()
        + "); nothing was quarantined", last);
  }
}

package com.meterit.sync.core.internal.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.api.BatchRejectedException;
import com.meterit.sync.api.Claim;
import com.meterit.sync.api.Reading;
import com.meterit.sync.api.Rejection;
import com.meterit.sync.api.UploadResult;
import com.meterit.sync.api.UploadsRefusedException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The refusal budget of one run, counted directly: a run ends as refused only after a second
 * budget of refusals, and what it held aside is given back once.
 */
class RefusalsBudgetTest {
  /** For a batch size of 1: 4 + 2 * 1 refusals in a row. */
  private static final int BUDGET = 6;
  private static final Instant LEASE = Instant.parse("2026-12-01T12:00:00Z");

  private static Claim claim(long id) {
    return new Claim("batch-" + id, List.of(Reading.of(id, "meter-1",
        Instant.parse("2026-12-01T10:00:00Z"), BigDecimal.ONE, "kWh")), LEASE, false);
  }

  private static BatchRejectedException refusal(int n) {
    return new BatchRejectedException("refused " + n, 400, null);
  }

  @Test
  void aFirstBudgetOfRefusalsNeverEndsTheRun() {
    Refusals refusals = new Refusals(1);
    for (int n = 1; n <= 3 * BUDGET; n++) {
      refusals.refused(refusal(n));
    }
    assertTrue(refusals.overBudget());
  }

  @Test
  void theSecondBudgetEndsTheRunAtTheFirstRefusalPastIt() {
    Refusals refusals = new Refusals(1);
    refusals.setAside(List.of(claim(1)));
    for (int n = 1; n <= BUDGET; n++) {
      refusals.refused(refusal(n));
    }
    assertFalse(refusals.overBudget());

    UploadsRefusedException end = assertThrows(UploadsRefusedException.class,
        () -> refusals.refused(refusal(BUDGET + 1)));
    assertEquals("the Client System refused every upload of this run (7 in a row, none accepted "
        + "since; last: refused 7); nothing was quarantined", end.getMessage());
  }

  @Test
  void givesBackWhatItHeldOnceThenNothing() {
    Refusals refusals = new Refusals(1);
    Claim inProgress = claim(1);
    Claim overBudget = claim(2);
    refusals.setAsideInProgress(inProgress);
    refusals.setAside(List.of(overBudget));
    List<Claim> unsent = new ArrayList<>();
    BatchUploader.Sink sink = new UnsentOnly(unsent);

    assertFalse(refusals.abandon(sink), "something was held");
    assertEquals(List.of(inProgress, overBudget), unsent);
    assertEquals(1, refusals.stillInProgress());

    assertTrue(refusals.abandon(sink), "nothing is held any more");
    assertEquals(2, unsent.size());
  }

  @Test
  void holdsNothingInARunWithoutRefusals() {
    List<Claim> unsent = new ArrayList<>();
    assertTrue(new Refusals(1).abandon(new UnsentOnly(unsent)));
    assertTrue(unsent.isEmpty());
  }

  private static final class UnsentOnly implements BatchUploader.Sink {
    private final List<Claim> unsent;

    UnsentOnly(List<Claim> unsent) {
      this.unsent = unsent;
    }

    @Override
    public void beforeSend(Claim batch) {
      throw new AssertionError("nothing is sent");
    }

    @Override
    public void answered(Claim batch, UploadResult result) {
      throw new AssertionError("nothing is sent");
    }

    @Override
    public List<Claim> reform(Claim batch, List<List<Reading>> parts) {
      throw new AssertionError("nothing is sent");
    }

    @Override
    public void quarantined(Claim batch, Rejection rejection) {
      throw new AssertionError("nothing is sent");
    }

    @Override
    public void unsent(Claim batch) {
      unsent.add(batch);
    }
  }
}

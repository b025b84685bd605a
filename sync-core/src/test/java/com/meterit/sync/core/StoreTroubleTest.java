package com.meterit.sync.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.meterit.sync.api.ReadingSourceException;
import com.meterit.sync.api.StoreFault;
import org.junit.jupiter.api.Test;

/** What a status says of a store fault: the source's own message, escaped and bounded. */
class StoreTroubleTest {
  @Test
  void quotesTheReadingSourceExceptionAmongTheCausesNotTheWrapper() {
    Throwable failure = new IllegalStateException("run failed",
        new ReadingSourceException("disk full", null, StoreFault.FULL));

    StoreTrouble trouble = StoreTrouble.of(failure);

    assertEquals(StoreFault.FULL, trouble.fault);
    assertEquals("disk full", trouble.reason);
  }

  @Test
  void quotesTheFailureItselfWhenNoCauseIsAReadingSourceException() {
    assertEquals("no source here",
        StoreTrouble.reason(new IllegalStateException("no source here", new RuntimeException("x"))));
  }

  @Test
  void namesTheExceptionClassWhenItHasNoMessage() {
    assertEquals(ReadingSourceException.class.getName(),
        StoreTrouble.reason(new ReadingSourceException(null, null, StoreFault.DAMAGED)));
  }

  @Test
  void saysUnknownWithoutAFailure() {
    assertEquals("unknown", StoreTrouble.reason(null));
  }

  @Test
  void escapesAndBoundsTheSourcesText() {
    String reason = StoreTrouble.reason(new ReadingSourceException(
        "line\nbreak " + "x".repeat(400), null, StoreFault.UNAVAILABLE));

    assertEquals(StoreTrouble.MAX_REASON + 1, reason.length(), reason);
    assertEquals("line\\nbreak xx", reason.substring(0, 14));
    assertEquals("...", reason.substring(reason.length() - 3));
  }

  @Test
  void isNoTroubleWithoutAFailureOrForATransientOne() {
    assertNull(StoreTrouble.of(null));
    assertNull(StoreTrouble.of(new ReadingSourceException("busy", null)));
    assertNull(StoreTrouble.of(new IllegalStateException("not the store")));
  }
}

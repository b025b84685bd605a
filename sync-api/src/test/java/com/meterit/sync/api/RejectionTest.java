package com.meterit.sync.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RejectionTest {
  @Test
  void aReasonIsEscapedOntoOneLineThenCut() {
    Rejection r = new Rejection(7, "unknown meter\n2026-05-01 INFO forged\u2028\u202E" + "x".repeat(600));
    assertEquals("unknown meter\\n2026-05-01 INFO forged\\u2028\\u202E",
        r.reason().substring(0, 49));
    assertEquals(Rejection.MAX_REASON_LENGTH, r.reason().length());
  }

  @Test
  void aCutNeverLeavesHalfASurrogatePair() {
    String reason = "x".repeat(Rejection.MAX_REASON_LENGTH - 1) + "\uD83D\uDE00";
    assertEquals("x".repeat(Rejection.MAX_REASON_LENGTH - 1), new Rejection(1, reason).reason());
  }
}

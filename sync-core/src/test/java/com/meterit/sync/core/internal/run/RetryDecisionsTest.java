package com.meterit.sync.core.internal.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.api.BackoffPolicy;
import com.meterit.sync.api.GatewayException;
import com.meterit.sync.api.GatewayTimeoutException;
import com.meterit.sync.api.TransientGatewayException;
import com.meterit.sync.core.internal.run.RetryDecisions.Decision;
import com.meterit.sync.core.internal.run.RetryDecisions.Kind;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetryDecisionsTest {
  private static final Duration SECOND = Duration.ofSeconds(1);
  private final AtomicInteger draws = new AtomicInteger();

  private RetryDecisions decisions(Duration backoff, int maxRetries, int maxInProgress) {
    return new RetryDecisions(BackoffPolicy.fixed(backoff), () -> {
      draws.incrementAndGet();
      return 0.5;
    }, maxRetries, maxInProgress, Duration.ofMinutes(1));
  }

  private static GatewayException status(int code, Duration retryAfter) {
    return new TransientGatewayException("HTTP " + code, code, null, retryAfter, null);
  }

  @Test
  void aFailureIsRetriedAfterTheBackoffUntilTheRetriesRunOut() {
    RetryDecisions d = decisions(SECOND, 2, 5);
    Decision first = d.after(status(500, null), true);
    Decision second = d.after(status(500, null), true);
    Decision third = d.after(status(500, null), true);
    assertEquals(Kind.RETRY, first.kind);
    assertEquals(SECOND, first.delay);
    assertEquals(1, first.count);
    assertEquals(Kind.RETRY, second.kind);
    assertEquals(2, second.count);
    assertEquals(Kind.GIVE_UP, third.kind);
    assertEquals(2, third.count, "the message names the retries allowed");
    assertEquals(2, draws.get(), "no delay is drawn for a batch given up");
  }

  @Test
  void noRetriesAllowedGivesUpAtTheFirstFailure() {
    assertEquals(Kind.GIVE_UP, decisions(SECOND, 0, 5).after(status(502, null), true).kind);
  }

  @Test
  void aRetryAfterIsWaitedWithTheBackoffOnTopAndPausesEverySend() {
    Decision decision = decisions(SECOND, 3, 5)
        .after(status(503, Duration.ofSeconds(30)), false);
    assertEquals(Kind.RETRY, decision.kind, "a pace given is no refusal without pace");
    assertEquals(Duration.ofSeconds(31), decision.delay);
    assertEquals(Duration.ofSeconds(30), decision.pauseEverySend);
    assertTrue(decision.overload);
  }

  @Test
  void aRetryAfterOfADayIsHeldToAnHour() {
    Decision decision = decisions(SECOND, 3, 5).after(status(429, Duration.ofDays(1)), true);
    assertEquals(Duration.ofHours(1), decision.pauseEverySend);
    assertEquals(Duration.ofHours(1).plus(SECOND), decision.delay);
  }

  @Test
  void aServerErrorIsNoOverloadButATimeoutIs() {
    RetryDecisions d = decisions(SECOND, 3, 5);
    Decision error = d.after(status(500, null), true);
    Decision timeout = d.after(new GatewayTimeoutException("no answer in 30 s", null), true);
    assertFalse(error.overload);
    assertTrue(timeout.overload);
    assertEquals(Duration.ZERO, timeout.pauseEverySend, "a timeout pauses only this batch");
  }

  @Test
  void aFullServerWithoutPaceEndsARunThatHadNoAcceptance() {
    Decision decision = decisions(SECOND, 3, 5).after(status(429, null), false);
    assertEquals(Kind.END_RUN_OVERLOADED, decision.kind);
    assertTrue(decision.overload);
    assertEquals(0, draws.get());
  }

  @Test
  void afterAnAcceptanceOneFullAnswerIsTakenForABurstAndTheSecondEndsTheRun() {
    RetryDecisions d = decisions(SECOND, 3, 5);
    Decision burst = d.after(status(503, null), true);
    Decision again = d.after(status(503, null), true);
    assertEquals(Kind.RETRY, burst.kind);
    assertTrue(burst.overload);
    assertEquals(Kind.END_RUN_OVERLOADED, again.kind);
  }

  @Test
  void a409IsAskedAgainApartFromTheRetriesThenSetAside() {
    RetryDecisions d = decisions(SECOND, 0, 2);
    Decision first = d.after(status(409, null), true);
    Decision second = d.after(status(409, null), true);
    Decision third = d.after(status(409, null), true);
    assertEquals(Kind.ASK_AGAIN, first.kind, "no retries allowed, yet a 409 is asked again");
    assertEquals(1, first.count);
    assertEquals(SECOND, first.delay);
    assertEquals(Duration.ZERO, first.pauseEverySend);
    assertFalse(first.overload, "the server is well, only busy with this batch");
    assertEquals(Kind.ASK_AGAIN, second.kind);
    assertEquals(Kind.SET_ASIDE_IN_PROGRESS, third.kind);
    assertEquals(3, third.count, "the answers counted");
    assertEquals(Kind.GIVE_UP, d.after(status(500, null), true).kind,
        "409s spent none of the retries, and added none");
  }

  @Test
  void a409sRetryAfterDelaysThisBatchAloneAndCountsTowardsItsMinute() {
    RetryDecisions d = decisions(SECOND, 3, 10);
    Decision first = d.after(status(409, Duration.ofSeconds(29)), true);
    Decision second = d.after(status(409, Duration.ofSeconds(29)), true);
    Decision third = d.after(status(409, Duration.ofSeconds(29)), true);
    assertEquals(Duration.ofSeconds(30), first.delay);
    assertEquals(Duration.ZERO, first.pauseEverySend);
    assertEquals(Kind.ASK_AGAIN, second.kind, "60 s waited in all: at the bound");
    assertEquals(Kind.SET_ASIDE_IN_PROGRESS, third.kind, "90 s is past the minute");
  }

  @Test
  void aFullServerAfterA409StillGetsItsOneBurstRetry() {
    RetryDecisions d = decisions(SECOND, 3, 5);
    d.after(status(409, null), true);
    assertEquals(Kind.RETRY, d.after(status(429, null), true).kind);
  }
}

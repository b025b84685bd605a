package com.meterit.sync.core.internal.run;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.api.BatchRejectedException;
import com.meterit.sync.api.GatewayException;
import com.meterit.sync.api.GatewayTimeoutException;
import com.meterit.sync.api.Reading;
import com.meterit.sync.api.Rejection;
import com.meterit.sync.api.TransientGatewayException;
import com.meterit.sync.api.UploadBatch;
import com.meterit.sync.api.UploadResult;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rules an upload's answer or failure is judged by: an answer must add up before anything is
 * settled on its word, and a failure's status says how hard and when to try again.
 */
class UploadRulesTest {
  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
  // Ids out of order, so that a lookup that assumed sorted ids would miss some.
  private final UploadBatch batch = UploadBatch.of(List.of(reading(5), reading(3), reading(9)));

  private static Reading reading(long id) {
    return Reading.of(id, "m", T, BigDecimal.ONE, "kWh");
  }

  private static TransientGatewayException transientFailure(int status, Duration retryAfter) {
    return new TransientGatewayException("x", status, null, retryAfter, null);
  }

  private String refused(UploadResult result) {
    TransientGatewayException e = assertThrows(TransientGatewayException.class,
        () -> UploadAnswers.check(batch, result));
    assertFalse(e.statusCode().isPresent(), "no status of its own");
    assertFalse(e.retryAfter().isPresent());
    return e.getMessage();
  }

  @Test
  void anAnswerThatAddsUpPassesWhicheverReadingsItRejects() {
    assertDoesNotThrow(() -> UploadAnswers.check(batch, UploadResult.acceptedAll(batch, 0)));
    for (long id : new long[] {3, 5, 9}) {
      assertDoesNotThrow(() -> UploadAnswers.check(batch,
          new UploadResult(batch.batchId(), 2, List.of(new Rejection(id, "bad")), 0)), "id " + id);
    }
    assertDoesNotThrow(() -> UploadAnswers.check(batch, new UploadResult(batch.batchId(), 0,
        List.of(new Rejection(9, "a"), new Rejection(3, "b"), new Rejection(5, "c")), 0)));
  }

  @Test
  void anAnswerForAnotherBatchIsRefusedNamingBoth() {
    assertEquals("malformed answer: the server answered for batch other instead of "
        + batch.batchId(), refused(new UploadResult("other", 3, List.of(), 0)));
  }

  @Test
  void anAcceptedCountThatDoesNotMatchTheRejectionsIsRefusedEitherWay() {
    assertEquals("malformed answer: the server accepted 2 readings of batch " + batch.batchId()
        + " but 3 were not rejected", refused(new UploadResult(batch.batchId(), 2, List.of(), 0)));
    assertEquals("malformed answer: the server accepted 4 readings of batch " + batch.batchId()
        + " but 3 were not rejected", refused(new UploadResult(batch.batchId(), 4, List.of(), 0)));
    assertEquals("malformed answer: the server accepted 3 readings of batch " + batch.batchId()
        + " but 2 were not rejected",
        refused(new UploadResult(batch.batchId(), 3, List.of(new Rejection(3, "r")), 0)));
  }

  @Test
  void aRejectionOfAReadingOutsideTheBatchOrListedTwiceIsRefused() {
    assertEquals("malformed answer: the server rejected reading 4, which is not in batch "
        + batch.batchId() + " or was listed twice",
        refused(new UploadResult(batch.batchId(), 2, List.of(new Rejection(4, "r")), 0)));
    assertEquals("malformed answer: the server rejected reading 1, which is not in batch "
        + batch.batchId() + " or was listed twice",
        refused(new UploadResult(batch.batchId(), 2, List.of(new Rejection(1, "r")), 0)));
    assertEquals("malformed answer: the server rejected reading 5, which is not in batch "
        + batch.batchId() + " or was listed twice", refused(new UploadResult(batch.batchId(), 1,
            List.of(new Rejection(5, "r"), new Rejection(5, "again")), 0)));
  }

  @Test
  void aRetryAfterIsCappedAtAnHourAndOnlyATransientFailureCarriesOne() {
    assertEquals(Duration.ZERO, UploadFailures.retryAfter(transientFailure(503, null)));
    assertEquals(Duration.ofSeconds(30),
        UploadFailures.retryAfter(transientFailure(503, Duration.ofSeconds(30))));
    assertEquals(Duration.ofHours(1), UploadFailures.retryAfter(transientFailure(503, Duration.ofHours(1))));
    assertEquals(Duration.ofHours(1),
        UploadFailures.retryAfter(transientFailure(503, Duration.ofHours(1).plusNanos(1))));
    assertEquals(Duration.ZERO, UploadFailures.retryAfter(new BatchRejectedException("no", 400, null)));
  }

  @Test
  void onlyA409SaysTheBatchIsStillInProgress() {
    assertTrue(UploadFailures.isInProgress(transientFailure(409, null)));
    assertFalse(UploadFailures.isInProgress(transientFailure(408, null)));
    assertFalse(UploadFailures.isInProgress(transientFailure(410, null)));
    assertFalse(UploadFailures.isInProgress(new GatewayTimeoutException("t", null)));
  }

  @Test
  void a429Or503WithoutRetryAfterLeavesThePaceToUs() {
    assertTrue(UploadFailures.isRefusedWithoutPace(transientFailure(429, null)));
    assertTrue(UploadFailures.isRefusedWithoutPace(transientFailure(503, null)));
    assertTrue(UploadFailures.isRefusedWithoutPace(new BatchRejectedException("full", 429, null)));
    assertFalse(UploadFailures.isRefusedWithoutPace(transientFailure(429, Duration.ofSeconds(1))));
    assertFalse(UploadFailures.isRefusedWithoutPace(transientFailure(503, Duration.ZERO)));
    assertFalse(UploadFailures.isRefusedWithoutPace(transientFailure(500, null)));
    assertFalse(UploadFailures.isRefusedWithoutPace(new GatewayTimeoutException("t", null)));
  }

  @Test
  void overloadIsA429A503OrATimeoutAndNothingElse() {
    assertTrue(UploadFailures.isOverload(transientFailure(429, Duration.ofSeconds(1))));
    assertTrue(UploadFailures.isOverload(transientFailure(503, null)));
    assertTrue(UploadFailures.isOverload(new GatewayTimeoutException("t", null)));
    GatewayException reset = new TransientGatewayException("reset", new java.io.IOException("reset"));
    assertFalse(UploadFailures.isOverload(reset));
    assertFalse(UploadFailures.isOverload(transientFailure(500, null)));
    assertFalse(UploadFailures.isOverload(transientFailure(502, null)));
    assertFalse(UploadFailures.isOverload(transientFailure(409, null)));
  }

  @Test
  void aFailureReasonDropsOnlyTheBatchItNamesAgain() {
    String id = batch.batchId();
    assertEquals("HTTP 500", BatchUploader.withoutBatch("upload of batch " + id + " failed: HTTP 500", id));
    assertEquals("no answer", BatchUploader.withoutBatch("upload of batch " + id + ": no answer", id));
    assertEquals("upload of batch " + id + " was interrupted",
        BatchUploader.withoutBatch("upload of batch " + id + " was interrupted", id));
    assertEquals("upload of batch " + id + "0 failed: x",
        BatchUploader.withoutBatch("upload of batch " + id + "0 failed: x", id));
    assertEquals("upload of batch other failed: x",
        BatchUploader.withoutBatch("upload of batch other failed: x", id));
    assertEquals("reset", BatchUploader.withoutBatch("reset", id));
    assertEquals(null, BatchUploader.withoutBatch(null, id));
  }
}

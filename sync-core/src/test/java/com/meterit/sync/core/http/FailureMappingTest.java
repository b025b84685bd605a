package com.meterit.sync.core.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.meterit.sync.api.AuthenticationFailedException;
import com.meterit.sync.api.BatchRejectedException;
import com.meterit.sync.api.GatewayException;
import com.meterit.sync.api.GatewayForbiddenException;
import com.meterit.sync.api.PayloadTooLargeException;
import com.meterit.sync.api.TransientGatewayException;
import com.meterit.sync.core.internal.Redaction;
import com.meterit.sync.core.testing.ManualClock;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The contract's status table, status by status, and what a failure quotes of the answer. */
class FailureMappingTest {
  private static final String API_KEY = "key-0123456789";
  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final FailureMapping mapping = new FailureMapping(new Redaction(API_KEY), clock);

  private static Exchange.Response answer(int status, String body, String... headers) {
    Map<String, List<String>> map = new java.util.HashMap<>();
    for (int i = 0; i < headers.length; i += 2) {
      map.put(headers[i], List.of(headers[i + 1]));
    }
    return new Exchange.Response(status, HttpHeaders.of(map, (k, v) -> true), body.getBytes(UTF_8));
  }

  private GatewayException upload(int status, String body, String... headers) {
    return mapping.failure("upload", answer(status, body, headers), true);
  }

  private GatewayException call(int status, String body, String... headers) {
    return mapping.failure("heartbeat", answer(status, body, headers), false);
  }

  private static Optional<Duration> retryAfter(GatewayException e) {
    return ((TransientGatewayException) e).retryAfter();
  }

  @Test
  void a400Or422RefusesAnUploadForGoodButIsTransientForAnyOtherCall() {
    for (int status : new int[] {400, 422}) {
      GatewayException refused = upload(status, "bad unit");
      assertSame(BatchRejectedException.class, refused.getClass());
      assertEquals("upload failed (HTTP " + status + "): bad unit", refused.getMessage());
      assertEquals(status, refused.statusCode().getAsInt());
      assertEquals("bad unit", refused.bodyExcerpt().get());
      GatewayException other = call(status, "");
      assertSame(TransientGatewayException.class, other.getClass());
      assertEquals("heartbeat failed (HTTP " + status + ")", other.getMessage());
    }
  }

  @Test
  void eachStatusOfTheTableGetsItsType() {
    assertSame(AuthenticationFailedException.class, call(401, "").getClass());
    GatewayException forbidden = call(403, "disabled");
    assertSame(GatewayForbiddenException.class, forbidden.getClass());
    assertEquals("heartbeat refused: this gateway is disabled (HTTP 403)", forbidden.getMessage());
    assertEquals("disabled", forbidden.bodyExcerpt().get());
    GatewayException tooLarge = upload(413, "");
    assertSame(PayloadTooLargeException.class, tooLarge.getClass());
    assertEquals("upload failed (HTTP 413)", tooLarge.getMessage());
    GatewayException server = upload(500, "", "Retry-After", "7");
    assertSame(TransientGatewayException.class, server.getClass());
    assertEquals(Duration.ofSeconds(7), retryAfter(server).get());
  }

  @Test
  void a409SaysTheSameKeyIsInProgressAndKeepsItsRetryAfter() {
    GatewayException busy = upload(409, "", "Retry-After", "3");
    assertSame(TransientGatewayException.class, busy.getClass());
    assertEquals("upload: a request with the same Idempotency-Key is still being processed "
        + "(HTTP 409)", busy.getMessage());
    assertEquals(Duration.ofSeconds(3), retryAfter(busy).get());
    assertEquals(409, busy.statusCode().getAsInt());
    assertEquals("upload: a request with the same Idempotency-Key is still being processed "
        + "(HTTP 409): busy", upload(409, "busy").getMessage());
  }

  @Test
  void every3xxIsARedirectThatIsNotFollowedAndItsLocationIsNotQuoted() {
    for (int status : new int[] {300, 302, 399}) {
      GatewayException moved = call(status, "", "Location", "https://elsewhere/?key=" + API_KEY,
          "Retry-After", "5");
      assertSame(TransientGatewayException.class, moved.getClass());
      assertEquals("heartbeat was redirected (HTTP " + status + "); redirects are never followed, "
          + "so that the credentials stay with the configured server: configure the final URL "
          + "instead", moved.getMessage());
      assertFalse(retryAfter(moved).isPresent(), "a redirect's Retry-After is not a pace");
    }
    for (int status : new int[] {299, 400}) {
      assertEquals("heartbeat failed (HTTP " + status + ")", call(status, "").getMessage());
    }
  }

  @Test
  void aRetryAfterIsReadAsSecondsOrAsADateAndIgnoredOtherwise() {
    assertEquals(Duration.ofSeconds(120), retryAfter(call(503, "", "Retry-After", " 120 ")).get());
    assertEquals(Duration.ZERO, retryAfter(call(503, "", "Retry-After", "-5")).get());
    assertEquals(Duration.ofSeconds(90), retryAfter(
        call(503, "", "Retry-After", "Thu, 01 Jan 2026 00:01:30 GMT")).get());
    assertEquals(Duration.ZERO, retryAfter(
        call(503, "", "Retry-After", "Wed, 31 Dec 2025 23:59:00 GMT")).get());
    assertFalse(retryAfter(call(503, "", "Retry-After", "soon")).isPresent());
    assertFalse(retryAfter(call(503, "")).isPresent());
  }

  @Test
  void anExcerptMasksTheKeyFoldsWhitespaceAndIsCut() {
    assertEquals("upload failed (HTTP 500): no key **** here",
        upload(500, "  no\tkey \r\n" + API_KEY + "   here \n").getMessage());
    String excerpt = upload(500, "x".repeat(500)).bodyExcerpt().get();
    assertEquals(GatewayException.MAX_BODY_EXCERPT, excerpt.length());
    assertEquals("x".repeat(GatewayException.MAX_BODY_EXCERPT - 3) + "...", excerpt);
    assertEquals("a\\u0007b", upload(500, "a\u0007b").bodyExcerpt().get());
    assertNull(mapping.excerpt(answer(500, "")));
    assertEquals("upload failed (HTTP 500)", upload(500, " \n ").getMessage());
  }

  @Test
  void aMalformedAnswerIsTransientWithItsDetailCleaned() {
    TransientGatewayException e = mapping.malformed("token request",
        new WireFormat.MalformedException("accessToken " + API_KEY + "\n is missing"));
    assertEquals("token request: malformed response: accessToken ****\\n is missing", e.getMessage());
    assertFalse(e.statusCode().isPresent());
    assertFalse(e.retryAfter().isPresent());
    String longDetail = mapping.malformed("x", new WireFormat.MalformedException("y".repeat(1000)))
        .getMessage();
    assertEquals("x: malformed response: ".length() + FailureMapping.MAX_DETAIL, longDetail.length());
  }
}

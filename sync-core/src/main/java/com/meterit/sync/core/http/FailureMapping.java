package com.meterit.sync.core.http;

import com.meterit.sync.api.AuthenticationFailedException;
import com.meterit.sync.api.BatchRejectedException;
import com.meterit.sync.api.GatewayException;
import com.meterit.sync.api.GatewayForbiddenException;
import com.meterit.sync.api.PayloadTooLargeException;
import com.meterit.sync.api.TransientGatewayException;
import com.meterit.sync.core.internal.Redaction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an answer the gateway cannot use into the typed failure of the contract's status table
 * ({@code docs/client-system-api.md}), with a body excerpt that is masked before it is cut.
 * Thread-safe.
 */
final class FailureMapping {
  private static final Logger log = LoggerFactory.getLogger(HttpClientSystemGateway.class);

  /** The longest detail of a malformed answer put in a message: {@value} characters. */
  static final int MAX_DETAIL = 300;

  private final Redaction redaction;
  private final Clock clock;

  FailureMapping(Redaction redaction, Clock clock) {
    this.redaction = redaction;
    this.clock = clock;
  }

  /** Maps an unexpected status to the typed failure of the contract's table. */
  GatewayException failure(String what, Exchange.Response r, boolean upload) {
    int status = r.status;
    String excerpt = excerpt(r);
    String message = what + " failed (HTTP " + status + ")"
        + (excerpt == null || excerpt.isEmpty() ? "" : ": " + excerpt);
    switch (status) {
      case 400:
      case 422:
        if (upload) {
          return new BatchRejectedException(message, status, excerpt);
        }
        break;
      case 401:
        return new AuthenticationFailedException(message, status, excerpt);
      case 403:
        return new GatewayForbiddenException(
            what + " refused: this gateway is disabled (HTTP 403)", status, excerpt);
      case 409:
        // The Idempotency-Key draft's meaning: a request with this key is still being processed,
        // typically the attempt this one retries after a deadline. Nothing was refused, so the
        // batch must go out again as it is, under the same key, once the first one is done.
        return new TransientGatewayException(what + ": a request with the same Idempotency-Key "
            + "is still being processed (HTTP 409)"
            + (excerpt == null || excerpt.isEmpty() ? "" : ": " + excerpt),
            status, excerpt, retryAfter(r), null);
      case 413:
        return new PayloadTooLargeException(message, status, excerpt);
      default:
        if (status >= 300 && status < 400) {
          // The Location is not echoed: it is the server's text, and may carry anything.
          return new TransientGatewayException(what + " was redirected (HTTP " + status
              + "); redirects are never followed, so that the credentials stay with the "
              + "configured server: configure the final URL instead", status, excerpt, null, null);
        }
        break;
    }
    return new TransientGatewayException(message, status, excerpt, retryAfter(r), null);
  }

  /** A transient failure for an answer that does not follow the contract. */
  TransientGatewayException malformed(String what, WireFormat.MalformedException e) {
    return new TransientGatewayException(
        what + ": malformed response: " + redaction.clean(e.getMessage(), MAX_DETAIL),
        0, null, null, null);
  }

  /**
   * The start of the body, for an error: secrets masked in the whole body first, then control
   * characters escaped and whitespace folded, then cut, so that no secret leaks by halves.
   */
  String excerpt(Exchange.Response r) {
    if (r.body.length == 0) {
      return null;
    }
    String text = redaction.redact(new String(r.body, StandardCharsets.UTF_8));
    String folded = Redaction.escape(text.replaceAll("[ \\t\\r\\n]+", " ").trim());
    return Redaction.bounded(folded, GatewayException.MAX_BODY_EXCERPT);
  }

  /** Parses Retry-After as delta-seconds or as an HTTP-date; null when absent or unreadable. */
  private Duration retryAfter(Exchange.Response r) {
    Optional<String> value = r.headers.firstValue("Retry-After");
    if (value.isEmpty()) {
      return null;
    }
    String text = value.get().trim();
    try {
      long seconds = Long.parseLong(text);
      return Duration.ofSeconds(Math.max(0, seconds));
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Duration wait = Duration.between(clock.instant(), at);
        return wait.isNegative() ? Duration.ZERO : wait;
      } catch (DateTimeParseException | ArithmeticException notADate) {
        log.debug("Ignoring unreadable Retry-After: {}", redaction.clean(text, 64));
        return null;
      }
    }
  }
}

package com.meterit.sync.api;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A failure that a retry may cure: a timeout, a broken connection, a 5xx, a 429, a 409 (a
 * request with the batch's key is still being processed), or an answer that could not be
 * understood. The server may ask for a minimum wait ({@code Retry-After}).
 */
public class TransientGatewayException extends GatewayException {
  private static final long serialVersionUID = 1L;

  /** The wait the server asked for, or null. */
  private final Duration retryAfter;

  /**
   * @param message what went wrong
   * @param statusCode the status code, or 0 when nothing answered
   * @param bodyExcerpt the start of the answer's body, or null
   * @param retryAfter the wait the server asked for, or null
   * @param cause the transport failure, or null
   */
  public TransientGatewayException(
      String message, int statusCode, String bodyExcerpt, Duration retryAfter, Throwable cause) {
    super(message, statusCode, bodyExcerpt, cause);
    if (retryAfter != null && retryAfter.isNegative()) {
      throw new IllegalArgumentException("retryAfter must not be negative: " + retryAfter);
    }
    this.retryAfter = retryAfter;
  }

  /** A failure before any answer, such as a timeout or a reset connection. */
  public TransientGatewayException(String message, Throwable cause) {
    this(message, 0, null, null, Objects.requireNonNull(cause, "cause"));
  }

  /** The wait the server asked for, if any. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  @Override
  public boolean isTransient() {
    return true;
  }
}

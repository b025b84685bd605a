package com.meterit.sync.api;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * A failure talking to the Client System. It says whether the server answered (its status code
 * and a short excerpt of its body) or the request failed before an answer (the cause), and
 * whether a retry may succeed.
 */
public abstract class GatewayException extends SyncException {
  private static final long serialVersionUID = 1L;

  /** Body excerpts are cut to this many characters: {@value}. */
  public static final int MAX_BODY_EXCERPT = 200;

  /** The HTTP status, or 0 when no answer came. */
  private final int statusCode;
  /** A short, redacted excerpt of the answer's body, or null. */
  private final String bodyExcerpt;

  /**
   * @param message what went wrong, never containing a secret
   * @param statusCode the HTTP status (or the transport's equivalent), or 0 when nothing answered
   * @param bodyExcerpt the start of the answer's body, or null
   * @param cause the transport failure, or null
   */
  protected GatewayException(String message, int statusCode, String bodyExcerpt, Throwable cause) {
    super(message, cause);
    this.statusCode = statusCode;
    this.bodyExcerpt = bodyExcerpt == null || bodyExcerpt.length() <= MAX_BODY_EXCERPT
        ? bodyExcerpt
        : bodyExcerpt.substring(0, MAX_BODY_EXCERPT);
  }

  /** The server's status code, or empty when the request failed before an answer. */
  public OptionalInt statusCode() {
    return statusCode == 0 ? OptionalInt.empty() : OptionalInt.of(statusCode);
  }

  /** The start of the server's answer, if there was one. */
  public Optional<String> bodyExcerpt() {
    return Optional.ofNullable(bodyExcerpt);
  }

  /** Whether the same request may succeed later. */
  public abstract boolean isTransient();
}

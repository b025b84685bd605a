package com.meterit.sync.api;

/**
 * The credentials expired during a call (or were revoked while it was in flight) and must be
 * refreshed. The engine refreshes them with {@link ClientSystemGateway#authenticate()} and
 * repeats the call, a few times in a row at most, then retries after a backoff as for a transient
 * failure. It never means that the API key is refused: that is {@link
 * AuthenticationFailedException}.
 */
public class AuthenticationExpiredException extends GatewayException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what went wrong, never containing a secret
   * @param statusCode the status code, or 0 when not from an HTTP answer
   * @param bodyExcerpt the start of the answer's body, or null
   */
  public AuthenticationExpiredException(String message, int statusCode, String bodyExcerpt) {
    super(message, statusCode, bodyExcerpt, null);
  }

  @Override
  public boolean isTransient() {
    return false;
  }
}

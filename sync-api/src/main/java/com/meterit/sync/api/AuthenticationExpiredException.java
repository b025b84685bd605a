package com.meterit.sync.api;

/**
 * The credentials expired during a call and must be refreshed. The engine refreshes them once and repeats the call.
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

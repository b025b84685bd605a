package com.meterit.sync.api;

/**
 * The server refused the credentials: the API key is wrong or revoked, as its token endpoint
 * said. Needs an operator. A refused token (a 401 on a call that carried one) is no reason for
 * it: replace the token, and fail as transient if the server keeps refusing.
 */
public class AuthenticationFailedException extends GatewayException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what went wrong, never containing a secret
   * @param statusCode the status code, or 0 when not from an HTTP answer
   * @param bodyExcerpt the start of the answer's body, or null
   */
  public AuthenticationFailedException(String message, int statusCode, String bodyExcerpt) {
    super(message, statusCode, bodyExcerpt, null);
  }

  @Override
  public boolean isTransient() {
    return false;
  }
}

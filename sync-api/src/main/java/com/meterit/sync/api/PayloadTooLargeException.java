package com.meterit.sync.api;

/**
 * The batch is too large for the server (HTTP 413). The engine halves it.
 */
public class PayloadTooLargeException extends GatewayException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what went wrong, never containing a secret
   * @param statusCode the status code, or 0 when not from an HTTP answer
   * @param bodyExcerpt the start of the answer's body, or null
   */
  public PayloadTooLargeException(String message, int statusCode, String bodyExcerpt) {
    super(message, statusCode, bodyExcerpt, null);
  }

  @Override
  public boolean isTransient() {
    return false;
  }
}

package com.meterit.sync.api;

/**
 * The gateway is disabled on the server (HTTP 403). The engine stops uploading, and checks again at each scheduled run whether it was enabled.
 */
public class GatewayForbiddenException extends GatewayException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what went wrong, never containing a secret
   * @param statusCode the status code, or 0 when not from an HTTP answer
   * @param bodyExcerpt the start of the answer's body, or null
   */
  public GatewayForbiddenException(String message, int statusCode, String bodyExcerpt) {
    super(message, statusCode, bodyExcerpt, null);
  }

  @Override
  public boolean isTransient() {
    return false;
  }
}

package com.meterit.sync.api;

/**
 * The server refused the whole batch for good (HTTP 400 or 422). The engine bisects the batch so
 * that only the offending readings are quarantined. Not for a 409 ("a request with this key is
 * still being processed"): that is a {@link TransientGatewayException} with status 409, after
 * which the engine sends the same batch again under the same key.
 */
public class BatchRejectedException extends GatewayException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what went wrong, never containing a secret
   * @param statusCode the status code, or 0 when not from an HTTP answer
   * @param bodyExcerpt the start of the answer's body, or null
   */
  public BatchRejectedException(String message, int statusCode, String bodyExcerpt) {
    super(message, statusCode, bodyExcerpt, null);
  }

  @Override
  public boolean isTransient() {
    return false;
  }
}

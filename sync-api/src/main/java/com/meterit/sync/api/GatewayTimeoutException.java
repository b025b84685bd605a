package com.meterit.sync.api;

/**
 * No complete answer came within a deadline: the link is slow or stalled, or the server is
 * overloaded. Transient; the engine also takes it as a sign to send fewer batches at once.
 */
public class GatewayTimeoutException extends TransientGatewayException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message which deadline passed, for which exchange; never containing a secret
   * @param cause the transport's timeout, or null
   */
  public GatewayTimeoutException(String message, Throwable cause) {
    super(message, 0, null, null, cause);
  }
}

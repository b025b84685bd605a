package com.meterit.sync.api;

/**
 * The root of every exception meter-sync throws. Unchecked: a host cannot do much about a
 * failed upload except let the engine retry, and the readings stay queued either way.
 */
public class SyncException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** @param message what went wrong, never containing a secret */
  public SyncException(String message) {
    super(message);
  }

  /**
   * @param message what went wrong, never containing a secret
   * @param cause the underlying failure, or null
   */
  public SyncException(String message, Throwable cause) {
    super(message, cause);
  }
}

package com.meterit.sync.api;

/**
 * The local queue could not be read or written, such as a database that is down or full. The
 * engine fails the run and tries again later; claimed readings come back when their lease ends.
 */
public class ReadingSourceException extends SyncException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what went wrong, never containing a secret
   * @param cause the underlying failure, or null
   */
  public ReadingSourceException(String message, Throwable cause) {
    super(message, cause);
  }
}

package com.meterit.sync.api;

/**
 * The batch is no longer held by this claim: its lease lapsed and another claim (of this worker
 * or another) took the batch over. Nothing was changed; the holder now sends and settles it.
 */
public class LeaseLostException extends ReadingSourceException {
  private static final long serialVersionUID = 1L;

  /** @param message which batch was lost, never containing a secret */
  public LeaseLostException(String message) {
    super(message, null);
  }
}

package com.meterit.sync.api;

/**
 * {@link ReadingSource#settleAndClaim} settled the batch, but claiming the next one failed. The
 * settlement stands: the engine counts the batch as settled and claims again, on its own.
 */
public class NextClaimFailedException extends ReadingSourceException {
  private static final long serialVersionUID = 1L;

  /**
   * @param cause why the claim of the next batch failed; the message names only its type, since
   *     a source's own exception may carry a secret
   */
  public NextClaimFailedException(Throwable cause) {
    super("the batch was settled, but claiming the next failed: " + cause.getClass().getName(),
        cause);
  }
}

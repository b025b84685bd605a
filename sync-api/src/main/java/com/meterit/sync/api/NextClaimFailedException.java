package com.meterit.sync.api;

import java.util.function.Supplier;

/**
 * {@link ReadingSource#settleAndClaim} settled the batch, but claiming the next one failed. The
 * settlement stands: the engine counts the batch as settled and claims again, on its own.
 */
public class NextClaimFailedException extends ReadingSourceException {
  private static final long serialVersionUID = 1L;

  /**
   * @param cause why the claim of the next batch failed; the message names only its type, since
   *     a source's own exception may carry a secret; its {@linkplain #faultOf fault} is this
   *     one's
   */
  public NextClaimFailedException(Throwable cause) {
    super("the batch was settled, but claiming the next failed: " + cause.getClass().getName(),
        cause, faultOf(cause));
  }

  /**
   * Claims with {@code claim} after a batch was settled in a transaction of its own, as a {@link
   * ReadingSource#settleAndClaim} that cannot do both in one does: any failure of the claim, but
   * for a {@link VirtualMachineError}, comes out as this exception, which says that the
   * settlement stands.
   */
  public static Claim afterSettling(Supplier<Claim> claim) {
    try {
      return claim.get();
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable t) {
      // Any other failure, a checked exception thrown undeclared included.
      throw new NextClaimFailedException(t);
    }
  }
}

package com.meterit.sync.core.internal.run;

import com.meterit.sync.api.GatewayException;
import com.meterit.sync.api.SyncException;

/**
 * Ends a run: the server answered 429 or 503 and did not say when to come back. The batch stays
 * journaled and goes out again, the same, in a later run that {@link OverloadPacing} times.
 */
public final class ServerOverloadedException extends SyncException {
  private static final long serialVersionUID = 1L;

  public ServerOverloadedException(String batchId, GatewayException cause) {
    super("the server is overloaded (HTTP " + cause.statusCode().orElse(0)
        + ") and gave no Retry-After; batch " + batchId + " waits for a later run", cause);
  }
}

package com.meterit.sync.api;

/**
 * The Client System refused a batch and every part of it, and accepted none: a refusal of
 * everything (a misconfigured proxy, a server-wide validation fault) that cannot be told from
 * poisoned readings. Nothing is quarantined; the run fails and the engine tries again later.
 */
public class UploadsRefusedException extends GatewayException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what was refused, never containing a secret
   * @param last the last refusal, whose status and excerpt this exception repeats
   */
  public UploadsRefusedException(String message, GatewayException last) {
    super(message, last.statusCode().orElse(0), last.bodyExcerpt().orElse(null), last);
  }

  @Override
  public boolean isTransient() {
    return true;
  }
}

package com.meterit.sync.core.internal.run;

import com.meterit.sync.api.AuthenticationFailedException;
import com.meterit.sync.api.ClientSystemGateway;
import com.meterit.sync.api.GatewayForbiddenException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks for a token before a run while the credentials are not known to be good: the first run
 * after start, and every run after the Client System refused them. So a wrong API key or a
 * disabled gateway fails the first run within seconds, even when there is nothing to send, and a
 * mended one is noticed by the next run. The token it gets is the gateway's, which the run's
 * uploads then use: on a good key it costs no extra request.
 *
 * <p>Only a refusal fails the run: a check that could not reach the server leaves the run to go
 * on as it would have, and the check to the next run. Runs call it one at a time.
 */
public final class CredentialCheck {
  private static final Logger log = LoggerFactory.getLogger(CredentialCheck.class);

  private final ClientSystemGateway gateway;
  private volatile boolean accepted;

  public CredentialCheck(ClientSystemGateway gateway) {
    this.gateway = gateway;
  }

  /**
   * Before a run.
   *
   * @throws AuthenticationFailedException when the server refuses the credentials
   * @throws GatewayForbiddenException when the gateway is disabled
   */
  void beforeRun() {
    if (accepted) {
      return;
    }
    try {
      gateway.authenticate();
      accepted = true;
    } catch (AuthenticationFailedException | GatewayForbiddenException e) {
      throw e;
    } catch (RuntimeException e) {
      log.debug("Could not check the credentials before the run; it goes on: {}", e.getMessage());
    }
  }

  /** After a run that ended with {@code cause} (null when it did not fail). */
  void afterRun(Throwable cause) {
    if (cause instanceof AuthenticationFailedException
        || cause instanceof GatewayForbiddenException) {
      accepted = false;
    }
  }
}

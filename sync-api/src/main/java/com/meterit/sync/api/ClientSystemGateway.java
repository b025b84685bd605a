package com.meterit.sync.api;

import java.util.Optional;

/**
 * The central Client System, as the engine sees it.
 *
 * <p>{@code sync-core} ships an implementation of Client System API v1 over HTTP; a host can
 * implement this interface for another transport. Failures are reported as subclasses of
 * {@link GatewayException}, so that the engine can tell a passing problem from one that needs a
 * different batch, new credentials or an operator. Any other exception is treated as transient.
 *
 * <p>Only {@link #testConnection()} and {@link #uploadBatch} are required: a transport without
 * credentials, remote configuration or heartbeats keeps the defaults.
 *
 * <p>Implementations must be thread-safe: heartbeats and connectivity probes run beside uploads.
 */
public interface ClientSystemGateway {

  /**
   * Probes whether the Client System is reachable. Never throws for an unreachable server.
   *
   * @return true when the server answered as healthy
   */
  boolean testConnection();

  /**
   * Obtains fresh credentials, replacing any cached ones. The default does nothing, for a
   * transport without credentials.
   *
   * @throws AuthenticationFailedException when the server refuses the credentials
   * @throws GatewayForbiddenException when the gateway is disabled
   * @throws TransientGatewayException when the server could not be reached
   */
  default void authenticate() {}

  /**
   * Uploads one batch. The server deduplicates by {@link UploadBatch#batchId()}, so the same batch
   * may be sent again after a lost response.
   *
   * @return the server's per-reading outcome
   * @throws TransientGatewayException when a retry may succeed; with status 409 when a request
   *     with this batch's key is still being processed, so that the engine sends the same batch
   *     again later and never re-forms it
   * @throws AuthenticationExpiredException when credentials expired and a refresh did not help
   * @throws AuthenticationFailedException when the server refused the API key itself
   * @throws PayloadTooLargeException when the batch must be smaller
   * @throws BatchRejectedException when the server refused the whole batch for good
   * @throws GatewayForbiddenException when the gateway is disabled
   */
  UploadResult uploadBatch(UploadBatch batch);

  /**
   * Downloads this gateway's configuration. The default reports it unchanged, for a transport
   * without remote configuration.
   *
   * @return the configuration, or empty when it has not changed since the last download
   * @throws GatewayException as for {@link #uploadBatch}
   */
  default Optional<RemoteConfig> downloadConfig() {
    return Optional.empty();
  }

  /**
   * Sends a status snapshot. The default sends nothing and replies empty, for a transport
   * without heartbeats.
   *
   * @return the server's reply, which may name its configuration version
   * @throws GatewayException as for {@link #uploadBatch}
   */
  default HeartbeatReply sendHeartbeat(Heartbeat heartbeat) {
    return HeartbeatReply.empty();
  }
}

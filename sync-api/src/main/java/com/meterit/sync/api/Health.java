package com.meterit.sync.api;

/**
 * How well the engine is doing its job, for a host's health endpoint or alerting: the summary of
 * a {@link HealthVerdict}.
 */
public enum Health {
  /** Readings flow within the limits the host set. */
  HEALTHY,
  /**
   * Readings still flow, or are expected to, but something is past its first limit: the queue
   * lags, or the Client System has been unreachable for a while. Worth a look, not a page.
   */
  DEGRADED,
  /**
   * Readings do not flow and will not without help, or have not for too long: credentials
   * refused, gateway disabled, every upload refused, the Sync Database unreadable, the manager
   * not running, or a lag or an outage past its second limit.
   */
  FAILING
}

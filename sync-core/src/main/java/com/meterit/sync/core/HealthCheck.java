package com.meterit.sync.core;

import com.meterit.sync.api.Health;
import com.meterit.sync.api.HealthReason;
import com.meterit.sync.api.HealthThresholds;
import com.meterit.sync.api.HealthVerdict;
import com.meterit.sync.api.StoreFault;
import com.meterit.sync.api.SyncState;
import com.meterit.sync.core.internal.HumanDuration;
import java.time.Duration;

/**
 * Judges the engine's health from its state and backlog: a pure function, so each reason is
 * tested with fixed inputs.
 */
final class HealthCheck {
  private HealthCheck() {}

  /** As below, with no trouble known of the store. */
  static HealthVerdict judge(HealthThresholds limits, SyncState state, long pending,
      Duration lag, Duration offline) {
    return judge(limits, state, null, null, pending, lag, offline);
  }

  /**
   * The worst finding. What needs a person (credentials, a disabled gateway, refusals, an
   * unreadable database, a stopped manager) comes before a lag or an outage, because it explains
   * them.
   *
   * @param store what the last failed run found wrong with the store, or null
   * @param unreadable why the backlog could not be read, or null
   * @param pending readings waiting, or negative when they could not be counted
   * @param lag the age of the oldest pending reading, or null when none is pending
   * @param offline how long the Client System has been unreachable, on monotonic time, or null
   *     while it is reachable
   */
  static HealthVerdict judge(HealthThresholds limits, SyncState state, StoreTrouble store,
      String unreadable, long pending, Duration lag, Duration offline) {
    switch (state) {
      case STOPPED:
      case STOPPING:
        return failing(HealthReason.NOT_RUNNING, "the manager is not running (" + state + ")");
      case AUTH_FAILED:
        return failing(HealthReason.AUTH_FAILED, "the Client System refused the credentials");
      case DISABLED:
        return failing(HealthReason.DISABLED, "the Client System disabled this gateway");
      case REFUSED:
        return failing(HealthReason.REFUSED,
            "the Client System refused every upload of the last run");
      default:
        break;
    }
    if (store != null) {
      return store.fault == StoreFault.FULL
          ? failing(HealthReason.STORE_FULL, "the Sync Database is full: " + store.reason)
          : failing(HealthReason.STORE_FAILED, "the Sync Database failed: " + store.reason);
    }
    if (pending < 0) {
      return failing(HealthReason.BACKLOG_UNREADABLE, unreadable != null
          ? "the pending readings could not be counted: " + unreadable
          : "the pending readings could not be counted; is the Sync Database reachable?");
    }
    if (lag != null && lag.compareTo(limits.lagFailing()) > 0) {
      return failing(HealthReason.SYNC_LAG,
          "sync lag " + human(lag) + " is over " + human(limits.lagFailing()));
    }
    if (offline != null && offline.compareTo(limits.offlineFailing()) > 0) {
      return failing(HealthReason.OFFLINE, "the Client System has been unreachable for "
          + human(offline) + ", over " + human(limits.offlineFailing()));
    }
    if (lag != null && lag.compareTo(limits.lagDegraded()) > 0) {
      return HealthVerdict.of(Health.DEGRADED, HealthReason.SYNC_LAG,
          "sync lag " + human(lag) + " is over " + human(limits.lagDegraded()));
    }
    if (offline != null && offline.compareTo(limits.offlineDegraded()) > 0) {
      return HealthVerdict.of(Health.DEGRADED, HealthReason.OFFLINE,
          "the Client System has been unreachable for " + human(offline) + ", over "
              + human(limits.offlineDegraded()));
    }
    return HealthVerdict.healthy();
  }

  private static String human(Duration d) {
    return HumanDuration.of(d);
  }

  private static HealthVerdict failing(HealthReason reason, String detail) {
    return HealthVerdict.of(Health.FAILING, reason, detail);
  }
}

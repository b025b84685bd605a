package com.meterit.sync.core;

import com.meterit.sync.api.HealthThresholds;
import com.meterit.sync.api.HealthVerdict;
import com.meterit.sync.api.Heartbeat;
import com.meterit.sync.api.SyncState;
import com.meterit.sync.api.SyncStatus;
import com.meterit.sync.core.internal.run.UploadWindow;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Puts together what the engine reports of itself at one instant: the status a host polls and
 * the heartbeat the server gets, from the parts that each keep their own piece (the connectivity
 * monitor, the run reporter, the configuration, the upload window, the backlog as read).
 */
final class StatusSnapshots {
  private final Clock clock;
  private final ConnectivityMonitor monitor;
  private final RunReporter reports;
  private final LiveSettings configuration;
  private final UploadWindow window;
  private final HealthThresholds healthThresholds;

  StatusSnapshots(Clock clock, ConnectivityMonitor monitor, RunReporter reports,
      LiveSettings configuration, UploadWindow window, HealthThresholds healthThresholds) {
    this.clock = clock;
    this.monitor = monitor;
    this.reports = reports;
    this.configuration = configuration;
    this.window = window;
    this.healthThresholds = healthThresholds;
  }

  /** The status now, in {@code state}, with {@code backlog} and the next run as given. */
  SyncStatus status(SyncState state, BacklogAndTotals.Backlog backlog, StoreTrouble store,
      Instant nextScheduledRun) {
    Instant now = clock.instant();
    ConnectivityStatus connectivity = monitor.getStatus();
    Instant offlineSince = connectivity.isConnected()
        ? null : connectivity.since().orElse(null);
    Duration lag = backlog.lagAt(now);
    HealthVerdict health = HealthCheck.judge(healthThresholds, state, store, backlog.failure,
        backlog.pending, lag, offlineSince == null ? null : monitor.offlineFor());
    SyncStatus.Builder status = SyncStatus.builder();
    if (backlog.known()) {
      status.setBacklog(backlog.pending, lag);
    }
    return status
        .setState(state)
        .setConnected(connectivity.isConnected())
        .setOfflineSince(offlineSince)
        .setLastAttemptAt(reports.lastAttemptAt())
        .setLastSuccessAt(reports.lastSuccessAt())
        .setLastError(reports.lastError())
        .setAppliedConfigVersion(configuration.current().configVersion)
        .setUploadWindow(window.size(), window.inFlight())
        .setPendingIsEstimate(backlog.estimate)
        .setHealth(health)
        .setNextScheduledRun(nextScheduledRun)
        .build();
  }

  /**
   * The heartbeat now, in {@code state}, of a manager that has run for {@code uptime} (measured on
   * the ticker: off the wall clock, a step back would send a negative uptime).
   */
  Heartbeat heartbeat(SyncState state, BacklogAndTotals.Backlog backlog, Duration uptime) {
    Instant now = clock.instant();
    return new Heartbeat(now, state, backlog.pendingReadings(), reports.lastSuccessAt(),
        uptime, configuration.current().configVersion);
  }
}

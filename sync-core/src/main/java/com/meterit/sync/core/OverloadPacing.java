package com.meterit.sync.core;

import com.meterit.sync.core.internal.run.ServerOverloadedException;
import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Times the run after one that a full server ended ({@link ServerOverloadedException}): about one
 * interval later, jittered from 0.9 to 1.2 intervals.
 *
 * <p>Retrying within the run, seconds apart, is what turned the end of an outage into a herd:
 * every gateway refused at once came back at once, five times (docs/fleet.md). A refused gateway
 * that waits an interval asks no more often than a steady one. The jitter keeps two gateways that
 * met at a full server from meeting there again at every interval, and the longer side of it
 * lets the backlog of a fleet that was refused drain a little behind the steady uploads.
 */
final class OverloadPacing {
  static final double EARLIEST = 0.9;
  static final double LATEST = 1.2;

  private final DoubleSupplier random;

  OverloadPacing(DoubleSupplier random) {
    this.random = random;
  }

  /**
   * The wait before the next run, after a run that ended with {@code cause} (null when it ended
   * normally); null when the next run keeps to the interval.
   */
  Duration nextRunAfter(Throwable cause, Duration interval) {
    if (!(cause instanceof ServerOverloadedException)) {
      return null;
    }
    double share = EARLIEST + (LATEST - EARLIEST) * random.getAsDouble();
    return Duration.ofNanos((long) (interval.toNanos() * share));
  }
}

package com.meterit.sync.examples.tools.fleet;

import java.util.Locale;

/**
 * What one case showed: the rates the server saw in steady state and after the outage, per
 * minute, the 503s, the drain time against its floor, and the ledger check.
 */
final class FleetResult {
  /** Rates are compared per minute: per second, a steady Poisson stream peaks at twice its mean. */
  static final int BUCKET_SECONDS = 60;

  final FleetOptions options;
  final double steadyRequests;
  final double steadyReadings;
  final double peakRequests;
  final double peakReadings;
  final long rejected;
  final long refusedDuringOutage;
  final long uploads;
  final long probes;
  final long heartbeats;
  final long backlog;
  final double floorSeconds;
  final double drainSeconds;
  final double simulatedSeconds;
  final double wallSeconds;
  final int maxSleeping;
  final long duplicates;
  final long lost;
  final long mismatched;
  final long accepted;
  /** Per minute, per second averages: upload requests, of them 503s, readings accepted. */
  final double[] requestsPerMinute;
  final double[] rejectedPerMinute;
  final double[] readingsPerMinute;

  FleetResult(FleetOptions o, SimServer server, double simulatedSeconds, double wallSeconds,
      int maxSleeping, long lost, long mismatched) {
    this.options = o;
    int steadyFrom = (int) FleetOptions.STEADY_FROM.getSeconds();
    int outageFrom = (int) o.outageStart.getSeconds();
    int outageTo = (int) o.outageEnd().getSeconds();
    int end = (int) simulatedSeconds;
    this.steadyRequests = server.uploads.mean(steadyFrom, outageFrom);
    this.steadyReadings = server.readings.mean(steadyFrom, outageFrom);
    this.requestsPerMinute = perMinute(server.uploads, end);
    this.rejectedPerMinute = perMinute(server.rejected, end);
    this.readingsPerMinute = perMinute(server.readings, end);
    this.peakRequests = max(requestsPerMinute, outageTo / BUCKET_SECONDS);
    this.peakReadings = max(readingsPerMinute, outageTo / BUCKET_SECONDS);
    this.rejected = server.rejected.total();
    this.refusedDuringOutage = server.refused.total();
    this.uploads = server.uploads.total();
    this.probes = server.probes.total();
    this.heartbeats = server.heartbeats.total();
    this.backlog = server.backlog();
    double drainedAt = server.drainedAt();
    // The floor: every reading the server took between the end of the outage and the drain (the
    // backlog, and the current readings that came with it), at full capacity. So drain / floor
    // is one over the server's utilization during the drain.
    long during = 0;
    for (int s = outageTo; s < (drainedAt < 0 ? end : (int) drainedAt + 1); s++) {
      during += s < server.readings.perSecond.length ? server.readings.perSecond[s] : 0;
    }
    this.floorSeconds = during / o.readingsPerSecond;
    this.drainSeconds = drainedAt < 0 ? -1 : drainedAt - outageTo;
    this.simulatedSeconds = simulatedSeconds;
    this.wallSeconds = wallSeconds;
    this.maxSleeping = maxSleeping;
    this.duplicates = server.duplicates();
    this.accepted = server.accepted();
    this.lost = lost;
    this.mismatched = mismatched;
  }

  private static double[] perMinute(SimServer.Series series, int end) {
    double[] minutes = new double[end / BUCKET_SECONDS];
    for (int m = 0; m < minutes.length; m++) {
      minutes[m] = series.mean(m * BUCKET_SECONDS, (m + 1) * BUCKET_SECONDS);
    }
    return minutes;
  }

  private static double max(double[] values, int from) {
    double max = 0;
    for (int i = from; i < values.length; i++) {
      max = Math.max(max, values[i]);
    }
    return max;
  }

  double peakToSteady() {
    return peakRequests / steadyRequests;
  }

  boolean drained() {
    return drainSeconds >= 0;
  }

  double drainToFloor() {
    return drained() ? drainSeconds / floorSeconds : Double.POSITIVE_INFINITY;
  }

  boolean ledgerClean() {
    return duplicates == 0 && lost == 0 && mismatched == 0;
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "steady %.1f req/s %.0f readings/s; peak %.1f req/s (%.2fx), "
        + "%.0f readings/s; 503s %,d; backlog %,d; drain %s vs floor %.0f s (%.2fx); "
        + "ledger %s (duplicates %d, lost %d, mismatched %d); %.0f s simulated in %.1f s, "
        + "%d runs asleep at most", steadyRequests, steadyReadings, peakRequests, peakToSteady(),
        peakReadings, rejected, backlog, drained() ? String.format(Locale.ROOT, "%.0f s", drainSeconds)
            : "not done", floorSeconds, drainToFloor(), ledgerClean() ? "clean" : "BROKEN",
        duplicates, lost, mismatched, simulatedSeconds, wallSeconds, maxSleeping);
  }
}

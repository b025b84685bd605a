package com.meterit.sync.examples.tools.bench;

import java.util.List;

/**
 * The outcome of one drain through an emulated link, and what follows from it: wire bytes per
 * reading with every request's overhead included, the link's capacity at those bytes, and how
 * much of it the engine used. Immutable.
 */
final class LinkRun {
  final LinkProfile profile;
  final int window;
  final String windowSetting;
  /** {@code HTTP/1.1 plain}, or {@code HTTP/1.1} or {@code HTTP/2} over TLS. */
  final String protocol;
  final int batchSize;
  final boolean pipelining;
  final long readings;
  final int batches;
  final double seconds;
  final long uplinkBytes;
  final long bodyBytes;
  final long downlinkBytes;
  final int connections;
  final List<Double> thirds;
  final long pendingAfter;
  final String outcome;
  /** The engine's window as the run ended: what it settled at on this link. */
  final int windowAtEnd;
  final double[] loadAverage;

  LinkRun(LinkProfile profile, int window, String windowSetting, String protocol, int batchSize,
      boolean pipelining,
      long readings, int batches, double seconds, long uplinkBytes, long bodyBytes,
      long downlinkBytes,
      int connections, List<Double> thirds, long pendingAfter, String outcome, int windowAtEnd,
      double[] loadAverage) {
    this.profile = profile;
    this.window = window;
    this.windowSetting = windowSetting;
    this.protocol = protocol;
    this.batchSize = batchSize;
    this.pipelining = pipelining;
    this.readings = readings;
    this.batches = batches;
    this.seconds = seconds;
    this.uplinkBytes = uplinkBytes;
    this.bodyBytes = bodyBytes;
    this.downlinkBytes = downlinkBytes;
    this.connections = connections;
    this.thirds = List.copyOf(thirds);
    this.pendingAfter = pendingAfter;
    this.outcome = outcome;
    this.windowAtEnd = windowAtEnd;
    this.loadAverage = loadAverage.clone();
  }

  /** {@code default} (no host setting) or the host's {@code setMaxInFlight} value. */
  String windowName() {
    return LinkDrain.Engine.windowName(window);
  }

  /** What the chart's bars of this run stand for. */
  String series() {
    String windowPart;
    if (window == LinkDrain.Engine.DEFAULT_WINDOW) {
      windowPart = "default window";
    } else {
      windowPart = window == 1 ? "1 in flight" : "max " + window + " in flight";
    }
    return protocol.equals(LinkBenchmark.PLAIN) ? windowPart : windowPart + ", " + protocol;
  }

  double uplinkBytesPerReading() {
    return uplinkBytes / (double) Math.max(1, readings);
  }

  /** Uplink bytes per batch beyond its body: the request line and headers. */
  double requestOverheadPerBatch() {
    return (uplinkBytes - bodyBytes) / (double) Math.max(1, batches);
  }

  double downlinkBytesPerReading() {
    return downlinkBytes / (double) Math.max(1, readings);
  }

  /**
   * Readings/s the link could carry at the measured bytes per reading, if it were never idle:
   * the slower of the two directions.
   */
  double capacity() {
    double up = profile.uplinkBitsPerSecond / 8.0 / uplinkBytesPerReading();
    double down = downlinkBytes == 0 ? Double.POSITIVE_INFINITY
        : profile.downlinkBitsPerSecond / 8.0 / downlinkBytesPerReading();
    return Math.min(up, down);
  }

  double drainRate() {
    return readings / seconds;
  }

  double ratio() {
    return drainRate() / capacity();
  }

  /**
   * Readings/s of an engine that sends a batch, waits for its answer and sends the next, with the
   * measured bytes per batch: a batch every round trip plus both serializations.
   */
  double oneInFlightModel() {
    double perBatch = profile.exchangeSeconds(Math.round(uplinkBytes / (double) batches),
        Math.round(downlinkBytes / (double) batches));
    return readings / (double) batches / perBatch;
  }

  /**
   * Milliseconds per batch beyond the one-in-flight model: the engine's own turnaround between an
   * answer and the next request (acknowledge, claim, serialize) plus any wait the machine's load
   * adds. With a window it goes negative, as batches overlap.
   */
  double hostMillisPerBatch() {
    return 1000 * (seconds / batches - readings / (double) batches / oneInFlightModel());
  }
}

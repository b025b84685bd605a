package com.meterit.sync.examples.tools.demo;

import java.nio.file.Path;
import java.util.Map;

/**
 * The demo's pace and scale, from {@code --pace=0.5 --meters=200 --backlog=100000 --data=dir} or
 * the variables {@code DEMO_PACE}, {@code DEMO_METERS}, {@code DEMO_BACKLOG}, {@code DEMO_DATA}.
 */
public final class DemoOptions {
  /** Multiplies every stage's duration: 0.5 runs twice as fast. */
  final double pace;
  /** Meters writing a reading every half second. */
  final int meters;
  /** Readings that pile up during the outage, as if the link had been down for days. */
  final int backlog;
  final Path dataDirectory;

  public DemoOptions(double pace, int meters, int backlog, Path dataDirectory) {
    if (!(pace > 0 && pace <= 10)) {
      throw new IllegalArgumentException("pace must be above 0 and at most 10: " + pace);
    }
    if (meters < 1 || meters > 100_000) {
      throw new IllegalArgumentException("meters must be between 1 and 100000: " + meters);
    }
    if (backlog < 0 || backlog > 10_000_000) {
      throw new IllegalArgumentException("backlog must be between 0 and 10000000: " + backlog);
    }
    this.pace = pace;
    this.meters = meters;
    this.backlog = backlog;
    this.dataDirectory = dataDirectory;
  }

  static DemoOptions parse(String[] args, Map<String, String> env) {
    String pace = env.getOrDefault("DEMO_PACE", "1");
    String meters = env.getOrDefault("DEMO_METERS", "100");
    String backlog = env.getOrDefault("DEMO_BACKLOG", "100000");
    // Never into the directory it is started from: Maven passes target/, by hand it is temporary.
    String data = env.getOrDefault("DEMO_DATA",
        Path.of(System.getProperty("java.io.tmpdir"), "meter-sync-demo").toString());
    for (String arg : args) {
      String[] kv = arg.split("=", 2);
      if (kv.length != 2) {
        throw new IllegalArgumentException("expected --name=value: " + arg);
      }
      switch (kv[0]) {
        case "--pace":
          pace = kv[1];
          break;
        case "--meters":
          meters = kv[1];
          break;
        case "--backlog":
          backlog = kv[1];
          break;
        case "--data":
          data = kv[1];
          break;
        default:
          throw new IllegalArgumentException("unknown option " + kv[0]
              + "; use --pace, --meters, --backlog or --data");
      }
    }
    try {
      return new DemoOptions(Double.parseDouble(pace), Integer.parseInt(meters),
          Integer.parseInt(backlog), Path.of(data));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("pace, meters and backlog must be numbers: " + e.getMessage());
    }
  }
}

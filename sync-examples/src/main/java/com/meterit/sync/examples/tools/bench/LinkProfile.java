package com.meterit.sync.examples.tools.bench;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A cellular or satellite link as the emulator models it: a bandwidth per direction and a round
 * trip, split evenly into two one-way delays. Immutable.
 */
final class LinkProfile {
  /** 5 Mbit/s up, 60 ms round trip. */
  static final LinkProfile LTE = new LinkProfile("lte", 5_000_000, Duration.ofMillis(60));
  /** LTE-M (Cat-M1): 375 kbit/s up, 200 ms round trip. */
  static final LinkProfile LTE_M = new LinkProfile("lte-m", 375_000, Duration.ofMillis(200));
  /** GPRS: 40 kbit/s up, 800 ms round trip. */
  static final LinkProfile GPRS = new LinkProfile("gprs", 40_000, Duration.ofMillis(800));
  /** Geostationary satellite: 2 Mbit/s up, 650 ms round trip. */
  static final LinkProfile SATELLITE = new LinkProfile("satellite", 2_000_000, Duration.ofMillis(650));

  static final List<LinkProfile> ALL = List.of(LTE, LTE_M, GPRS, SATELLITE);

  /**
   * Downlinks are faster than uplinks on every one of these links; 4× keeps the answers from
   * becoming the bottleneck without pretending the downlink is free.
   */
  static final int DOWNLINK_FACTOR = 4;

  final String name;
  final long uplinkBitsPerSecond;
  final long downlinkBitsPerSecond;
  final Duration roundTrip;

  LinkProfile(String name, long uplinkBitsPerSecond, Duration roundTrip) {
    this(name, uplinkBitsPerSecond, uplinkBitsPerSecond * DOWNLINK_FACTOR, roundTrip);
  }

  LinkProfile(String name, long uplinkBitsPerSecond, long downlinkBitsPerSecond, Duration roundTrip) {
    this.name = Objects.requireNonNull(name, "name");
    if (uplinkBitsPerSecond < 1_000 || downlinkBitsPerSecond < 1_000) {
      throw new IllegalArgumentException("bandwidth must be at least 1000 bit/s: "
          + uplinkBitsPerSecond + " up, " + downlinkBitsPerSecond + " down");
    }
    this.uplinkBitsPerSecond = uplinkBitsPerSecond;
    this.downlinkBitsPerSecond = downlinkBitsPerSecond;
    this.roundTrip = Objects.requireNonNull(roundTrip, "roundTrip");
    if (roundTrip.isNegative() || roundTrip.compareTo(Duration.ofSeconds(10)) > 0) {
      throw new IllegalArgumentException("roundTrip must be between 0 and 10 s: " + roundTrip);
    }
  }

  /** The profile of that name, such as {@code lte-m}. */
  static LinkProfile named(String name) {
    for (LinkProfile p : ALL) {
      if (p.name.equals(name)) {
        return p;
      }
    }
    throw new IllegalArgumentException("unknown link profile " + name + "; known: "
        + ALL.stream().map(p -> p.name).reduce((a, b) -> a + ", " + b).orElse(""));
  }

  long oneWayNanos() {
    return roundTrip.toNanos() / 2;
  }

  /** The time to put {@code bytes} on the wire at {@code bitsPerSecond}, in nanoseconds. */
  static long serializationNanos(long bytes, long bitsPerSecond) {
    // Exact in long arithmetic up to ~1 GB per call, far beyond a chunk or a batch.
    return bytes * 8_000_000_000L / bitsPerSecond;
  }

  /**
   * The earliest time, in seconds, from writing {@code up} bytes on an open connection to reading
   * the last of {@code down} answer bytes: both serializations and one round trip.
   */
  double exchangeSeconds(long up, long down) {
    return (serializationNanos(up, uplinkBitsPerSecond)
        + serializationNanos(down, downlinkBitsPerSecond) + roundTrip.toNanos()) / 1e9;
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%s (%s up, %s down, %d ms round trip)", name,
        rate(uplinkBitsPerSecond), rate(downlinkBitsPerSecond), roundTrip.toMillis());
  }

  static String rate(long bitsPerSecond) {
    boolean mega = bitsPerSecond >= 1_000_000;
    return java.math.BigDecimal.valueOf(bitsPerSecond, mega ? 6 : 3).stripTrailingZeros()
        .toPlainString() + (mega ? " Mbit/s" : " kbit/s");
  }
}

package com.meterit.sync.examples.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The emulator's arithmetic, with fixed times: no clock, no sockets. */
class LinkModelTest {
  private static final long MS = 1_000_000;

  @Test
  void chunkArrivesAfterItsSerializationAndTheOneWayDelay() {
    // 8,000 bit/s: 1,000 bytes take one second.
    Bottleneck link = new Bottleneck(8_000, 100 * MS, Stalls.NONE);
    assertEquals(1_100 * MS, link.deliver(0, 1_000));
  }

  @Test
  void chunksOfAnyConnectionQueueBehindEachOtherOnTheSharedTransmitter() {
    Bottleneck link = new Bottleneck(8_000, 100 * MS, Stalls.NONE);
    link.deliver(0, 1_000);
    // A second connection's chunk, arriving at the same time, waits for the first to go out.
    assertEquals(2_100 * MS, link.deliver(0, 1_000));
    assertEquals(2_225 * MS, link.deliver(500 * MS, 125));
  }

  @Test
  void idleLinkBanksNoCredit() {
    Bottleneck link = new Bottleneck(8_000, 100 * MS, Stalls.NONE);
    link.deliver(0, 1_000);
    assertEquals(6_100 * MS, link.deliver(5_000 * MS, 1_000));
  }

  @Test
  void transmissionThatMeetsAStallWaitsItOut() {
    Stalls stalls = Stalls.of(Duration.ofSeconds(2), Duration.ofSeconds(1), 7);
    long[] first = stalls.until(60_000 * MS).get(0);
    Bottleneck link = new Bottleneck(8_000, 0, stalls);
    long start = first[0] - 500 * MS;
    // Half a second before the stall, half a second after it: one second of link time, plus the stall.
    assertEquals(first[1] + 500 * MS, link.deliver(start, 1_000));
  }

  @Test
  void chunkArrivingDuringAStallLeavesWhenItEnds() {
    Stalls stalls = Stalls.of(Duration.ofSeconds(2), Duration.ofSeconds(1), 7);
    long[] first = stalls.until(60_000 * MS).get(0);
    assertEquals(first[1], stalls.resume(first[0]));
    assertEquals(first[1], stalls.resume(first[1] - 1));
    assertEquals(first[1], stalls.resume(first[1]));
    assertEquals(first[0] - 1, stalls.resume(first[0] - 1));
  }

  @Test
  void sameSeedGivesTheSameStalls() {
    List<long[]> a = Stalls.parse("20/2", 42).until(600_000 * MS);
    List<long[]> b = Stalls.parse("20/2", 42).until(600_000 * MS);
    List<long[]> c = Stalls.parse("20/2", 43).until(600_000 * MS);
    assertEquals(a.size(), b.size());
    for (int i = 0; i < a.size(); i++) {
      assertEquals(a.get(i)[0], b.get(i)[0]);
      assertEquals(a.get(i)[1], b.get(i)[1]);
    }
    assertFalse(a.get(0)[0] == c.get(0)[0]);
    // About one stall per 22 s over ten minutes, each between 1 and 3 s.
    assertTrue(a.size() > 10 && a.size() < 60, "stalls: " + a.size());
    for (long[] s : a) {
      assertTrue(s[1] - s[0] >= 1_000 * MS && s[1] - s[0] <= 3_000 * MS);
    }
  }

  @Test
  void noStallsLeavesTimesAlone() {
    assertEquals(123, Stalls.NONE.resume(123));
    assertEquals(223, Stalls.NONE.finish(123, 100));
    assertTrue(Stalls.parse("none", 1).until(Long.MAX_VALUE).isEmpty());
  }

  @Test
  void profilesHaveTheBriefsRatesAndAFasterDownlink() {
    LinkProfile lteM = LinkProfile.named("lte-m");
    assertEquals(375_000, lteM.uplinkBitsPerSecond);
    assertEquals(1_500_000, lteM.downlinkBitsPerSecond);
    assertEquals(100 * MS, lteM.oneWayNanos());
    // 64 KiB up at 375 kbit/s is 1.398 s, plus the round trip.
    assertEquals(64 * 1024 * 8 / 375_000.0 + 0.2, lteM.exchangeSeconds(64 * 1024, 0), 1e-6);
    assertEquals("satellite (2 Mbit/s up, 8 Mbit/s down, 650 ms round trip)",
        LinkProfile.SATELLITE.toString());
    assertEquals("gprs (40 kbit/s up, 160 kbit/s down, 800 ms round trip)",
        LinkProfile.GPRS.toString());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> LinkProfile.named("5g"));
    assertEquals("unknown link profile 5g; known: lte, lte-m, gprs, satellite", e.getMessage());
  }

  @Test
  void runSizingFollowsTheSlowerOfLinkAndRoundTrips() {
    LinkDrain.Engine one = new LinkDrain.Engine(1000, 1, true, true);
    LinkDrain.Engine many = new LinkDrain.Engine(1000, 64, true, true);
    // Satellite with one batch in flight: about 1.4 batches/s, round-trip bound.
    long sequential = LinkBenchmark.readingsFor(LinkProfile.SATELLITE, one, 30);
    assertTrue(sequential >= 35_000 && sequential <= 50_000, "readings: " + sequential);
    // With a wide window the link's capacity bounds it: ~14,000 bytes per batch at 2 Mbit/s.
    long windowed = LinkBenchmark.readingsFor(LinkProfile.SATELLITE, many, 30);
    assertTrue(windowed >= 500_000 && windowed <= 600_000, "readings: " + windowed);
    assertEquals(5_000, LinkBenchmark.readingsFor(LinkProfile.GPRS, one, 1));
  }

  @Test
  void theWindowOptionNamesTheEnginesDefaultOrAHostsMaximum() {
    assertEquals(LinkDrain.Engine.DEFAULT_WINDOW, LinkBenchmark.parseWindow("default"));
    assertEquals(16, LinkBenchmark.parseWindow("16"));
    assertEquals("no setMaxInFlight",
        new LinkDrain.Engine(1000, LinkBenchmark.parseWindow("default"), true, true).windowSetting());
    assertEquals("setMaxInFlight(1)", new LinkDrain.Engine(1000, 1, true, true).windowSetting());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LinkBenchmark.parseWindow("0"));
    assertEquals("--window must be 'default' or at least 1: 0", e.getMessage());
  }
}

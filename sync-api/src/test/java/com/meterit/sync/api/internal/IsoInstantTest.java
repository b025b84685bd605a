package com.meterit.sync.api.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IsoInstantTest {
  @Test
  void writesWhatInstantToStringWrites() {
    byte[] out = new byte[IsoInstant.MAX_LENGTH];
    Random random = new Random(11);
    List<Instant> instants = new ArrayList<>(List.of(Instant.EPOCH,
        Instant.parse("0000-01-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59.999999999Z"),
        Instant.parse("2024-02-29T12:00:00.100Z"), Instant.parse("1900-03-01T00:00:00.000001Z")));
    for (int i = 0; i < 20_000; i++) {
      instants.add(Instant.ofEpochSecond(-62167219200L + (long) (random.nextDouble() * 315537897600L),
          random.nextInt(3) == 0 ? 0 : random.nextInt(1_000_000_000)));
    }
    for (Instant t : instants) {
      int end = IsoInstant.format(t, out, 0);
      assertEquals(t.toString(), new String(out, 0, end, StandardCharsets.US_ASCII));
    }
  }

  @Test
  void leavesYearsOutsideFourDigitsToToString() {
    byte[] out = new byte[IsoInstant.MAX_LENGTH];
    assertEquals(-1, IsoInstant.format(Instant.parse("+10000-01-01T00:00:00Z"), out, 0));
    assertEquals(-1, IsoInstant.format(Instant.parse("-0001-12-31T23:59:59Z"), out, 0));
  }
}

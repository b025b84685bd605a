package com.meterit.sync.examples.tools.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.examples.CompactBatchDecoder;
import com.meterit.sync.examples.HostileBodies;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Both decoders, the copyable one and the simulator's, take a body at the bounds that
 * docs/client-system-api.md ("Bounds") states and refuse it one step beyond, as a malformed body
 * (IllegalArgumentException): the two readings of the spec must agree on every edge.
 */
class CompactBodyBoundsTest {

  /** One reading: the meter id, id, scale and the value's unscaled integer (escaped if asked). */
  private static byte[] oneReading(String meter, long id, long scale, BigInteger unscaled,
      boolean escaped) {
    HostileBodies body = HostileBodies.header(1, 1, 1, 0, 0)
        .uvarint(0).string(meter) // meter table: nothing shared, then the id's bytes
        .string("u")
        .svarint(id)
        .uvarint(0).uvarint(0) // meter code: new, rank 0
        .svarint(0) // seconds
        .uvarint(scale).uvarint(1) // scales
        .uvarint(0).uvarint(1); // units
    if (escaped) {
      byte[] twos = unscaled.toByteArray();
      body.uvarint(1).uvarint(0).uvarint(twos.length).raw(twos);
    } else {
      body.uvarint(0).svarint(unscaled.longValueExact());
    }
    return body.uvarint(0).bytes(); // no quality flag
  }

  private static byte[] value(long scale, BigInteger unscaled, boolean escaped) {
    return oneReading("m", 1, scale, unscaled, escaped);
  }

  private static void bothTake(byte[] body, String meter, String plainValue) {
    CompactBatchDecoder.Reading r = CompactBatchDecoder.decode(body).readings.get(0);
    assertEquals(meter, r.meterId);
    assertEquals(plainValue, r.value.toPlainString());
    SimReading s = SimColumns.decode(body).readings.get(0);
    assertEquals(r.value, s.value);
  }

  private static void bothRefuse(byte[] body) {
    assertThrows(IllegalArgumentException.class, () -> CompactBatchDecoder.decode(body));
    assertThrows(IllegalArgumentException.class, () -> SimColumns.decode(body));
  }

  @Test
  void takeAValueOf64CharactersAndRefuseOneOf65() {
    // Unscaled 1 at scale s is "0." + (s - 1) zeros + "1": s + 2 characters.
    bothTake(value(62, BigInteger.ONE, false), "m",
        new BigDecimal(BigInteger.ONE, 62).toPlainString());
    bothRefuse(value(63, BigInteger.ONE, false));
    bothRefuse(value(65, BigInteger.ONE, false));
  }

  @Test
  void takeAnEscapedValueOf38DigitsAndRefuseOneOf39() {
    BigInteger largest = BigInteger.TEN.pow(38).subtract(BigInteger.ONE);
    bothTake(value(0, largest, true), "m", largest.toString());
    bothTake(value(0, largest.negate(), true), "m", largest.negate().toString());
    bothRefuse(value(0, BigInteger.TEN.pow(38), true)); // 16 bytes, but 39 digits
    bothRefuse(value(0, BigInteger.ONE.shiftLeft(128), true)); // 17 bytes
  }

  @Test
  void takeAMeterIdOf384Utf8BytesAndRefuseOneOf385() {
    String longest = "€".repeat(128); // 128 chars, 3 bytes each
    bothTake(oneReading(longest, 1, 0, BigInteger.ONE, false), longest, "1");
    bothRefuse(oneReading(longest + "a", 1, 0, BigInteger.ONE, false));
  }

  @Test
  void refuseAnIdThatIsNotPositive() {
    bothRefuse(oneReading("m", 0, 0, BigInteger.ONE, false));
    bothRefuse(oneReading("m", -5, 0, BigInteger.ONE, false));
  }

  /** A count the body cannot hold is refused before any column is allocated for it. */
  @Test
  void refuseMoreReadingsThanTheBodyHasBytesForBeforeAllocatingForThem() {
    int n = 1_000_000;
    byte[] body = HostileBodies.header(n, 1, 1, 0, 0).raw(new byte[n]).bytes();
    List<Function<byte[], Object>> decoders =
        List.of(CompactBatchDecoder::decode, SimColumns::decode);
    for (Function<byte[], Object> decoder : decoders) {
      long before = allocatedByThisThread();
      assertThrows(IllegalArgumentException.class, () -> decoder.apply(body));
      long allocated = allocatedByThisThread() - before;
      assertTrue(allocated < body.length, "allocated " + allocated + " for " + body.length);
    }
  }

  private static long allocatedByThisThread() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getThreadAllocatedBytes(Thread.currentThread().getId());
  }

  /**
   * The reviewer's staircase (each entry all of the previous one plus a byte), padded so that
   * the reading count passes its own bound: only the entry bound stops it, before the quadratic.
   */
  @Test
  void refuseAStaircaseMeterTableInMemoryLinearInTheBody() {
    int meters = 10_000;
    HostileBodies staircase = HostileBodies.header(meters, meters, 1, 0, 0);
    for (int g = 0; g < meters; g++) {
      staircase.uvarint(g).uvarint(1).raw(new byte[] {'a'});
    }
    byte[] body = staircase.raw(new byte[4 * meters]).bytes();
    List<Function<byte[], Object>> decoders =
        List.of(CompactBatchDecoder::decode, SimColumns::decode);
    for (Function<byte[], Object> decoder : decoders) {
      long before = allocatedByThisThread();
      assertThrows(IllegalArgumentException.class, () -> decoder.apply(body));
      long allocated = allocatedByThisThread() - before;
      assertTrue(allocated < 16L * body.length, "allocated " + allocated + " for " + body.length);
    }
  }
}

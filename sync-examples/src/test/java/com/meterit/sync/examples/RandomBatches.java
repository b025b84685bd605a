package com.meterit.sync.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.meterit.sync.api.Reading;
import com.meterit.sync.api.UploadBatch;
import com.meterit.sync.api.internal.PlainDecimal;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random batches for the compact encoding's round-trip tests, and the library's encoder, which is
 * not public API and is reached the way the benchmark harness reaches it.
 */
public final class RandomBatches {
  private static final String[] UNITS = {"kWh", "Wh", "m3", "l", "GJ", "kvarh", "µS/cm"};
  private static final String[] QUALITIES = {"estimated", "substituted", "suspect", "édité"};
  private static final Method ENCODE;

  static {
    try {
      ENCODE = Class.forName("com.meterit.sync.core.http.ColumnarBatchBody")
          .getDeclaredMethod("encode", String.class, UploadBatch.class, boolean.class);
      ENCODE.setAccessible(true);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private RandomBatches() {}

  /** The library's compact body of {@code batch}. */
  public static byte[] encode(String gatewayId, UploadBatch batch, boolean gzip) {
    try {
      return (byte[]) ENCODE.invoke(null, gatewayId, batch, gzip);
    } catch (InvocationTargetException e) {
      throw new AssertionError("the encoder failed on " + batch, e.getCause());
    } catch (IllegalAccessException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * A batch of 1 to {@code maxSize} readings: a few or many meters (ASCII and not), ids mostly
   * ascending but sometimes in any order, timestamps across the whole range of {@code Instant}
   * with seconds, milli-, micro- and nanoseconds, values of every scale (negative ones too),
   * sign and size up to 38 digits, several units, and quality flags now and then.
   */
  public static UploadBatch batch(SplittableRandom random, int maxSize) {
    int size = 1 + random.nextInt(maxSize);
    List<String> meters = new ArrayList<>();
    int meterCount = 1 + random.nextInt(Math.max(1, random.nextBoolean() ? size : 5));
    for (int m = 0; m < meterCount; m++) {
      meters.add(meterId(random, m));
    }
    int style = random.nextInt(4);
    long id = 1 + (random.nextBoolean() ? random.nextInt(1000) : random.nextLong(Long.MAX_VALUE / 2));
    long second = random.nextInt(3) == 0
        ? random.nextLong(Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond())
        : 1_700_000_000L + random.nextInt(100_000_000);
    int precision = random.nextInt(4);
    List<Reading> readings = new ArrayList<>();
    List<Long> ids = new ArrayList<>();
    for (int k = 0; k < size; k++) {
      id += style == 0 ? 1 : 1 + random.nextInt(style == 1 ? 3 : 1000);
      ids.add(id);
    }
    if (random.nextInt(5) == 0) {
      Collections.shuffle(ids, new java.util.Random(random.nextLong()));
    }
    for (int k = 0; k < size; k++) {
      String meter = meters.get(random.nextInt(meters.size()));
      long at = Math.max(Instant.MIN.getEpochSecond(), Math.min(Instant.MAX.getEpochSecond(),
          second + (random.nextInt(10) == 0 ? random.nextLong(-1_000_000, 1_000_000)
              : 900L * random.nextInt(100))));
      int nano = nano(random, precision);
      Instant time = Instant.ofEpochSecond(at, nano);
      String quality = random.nextInt(8) == 0 ? QUALITIES[random.nextInt(QUALITIES.length)] : null;
      String unit = random.nextInt(4) == 0 ? UNITS[random.nextInt(UNITS.length)] : "kWh";
      readings.add(new Reading(ids.get(k), meter, time, value(random), unit, quality));
    }
    return UploadBatch.of(readings);
  }

  /**
   * What a server must restore: every field of every reading in the batch's order, the value's
   * text with its scale, and so the batch id, recomputed from the decoded readings.
   */
  public static void assertRestores(UploadBatch sent, String sentGatewayId, String gatewayId,
      String batchId, List<Reading> decoded) {
    assertEquals(sentGatewayId, gatewayId);
    assertEquals(sent.batchId(), batchId);
    assertEquals(sent.size(), decoded.size());
    for (int k = 0; k < sent.size(); k++) {
      Reading s = sent.readings().get(k);
      Reading d = decoded.get(k);
      int at = k;
      java.util.function.Supplier<String> where = () -> "reading " + at + " of " + sent.readings();
      assertEquals(PlainDecimal.text(s.value()), PlainDecimal.text(d.value()), where);
      if (s.value().scale() >= 0) {
        assertEquals(s, d, where); // scale included: BigDecimal.equals
      } else {
        // A negative scale is sent as its plain text's decimal, as the JSON sends it (1E+3: 1000).
        assertEquals(new Reading(s.id(), s.meterId(), s.timestamp(), s.value().setScale(0),
            s.unit(), s.quality().orElse(null)), d, where);
      }
    }
    assertEquals(sent.batchId(), UploadBatch.of(decoded).batchId());
  }

  private static String meterId(SplittableRandom random, int m) {
    switch (random.nextInt(4)) {
      case 0:
        return "meter-" + m;
      case 1:
        return "1ESY11" + (10_000_000 + m * (1 + random.nextInt(3)));
      case 2:
        return "Zähler-Ω-東京-" + m + "-\uD83D\uDD0C";
      default:
        StringBuilder s = new StringBuilder();
        int length = 1 + random.nextInt(Reading.MAX_METER_ID_LENGTH);
        for (int i = 0; i < length; i++) {
          s.append((char) ('!' + random.nextInt(94)));
        }
        return s.toString();
    }
  }

  private static int nano(SplittableRandom random, int precision) {
    switch (precision) {
      case 0:
        return 0;
      case 1:
        return random.nextInt(1000) * 1_000_000;
      case 2:
        return random.nextInt(1_000_000) * 1000;
      default:
        return random.nextInt(1_000_000_000);
    }
  }

  /** A value within the bounds of {@link Reading}: up to 38 digits, any sign and scale. */
  static BigDecimal value(SplittableRandom random) {
    while (true) {
      BigDecimal v;
      switch (random.nextInt(6)) {
        case 0:
          v = BigDecimal.valueOf(random.nextLong(100_000_000), 3);
          break;
        case 1:
          v = new BigDecimal(new BigInteger(1 + random.nextInt(126), new java.util.Random(
              random.nextLong())).multiply(BigInteger.valueOf(random.nextBoolean() ? 1 : -1)),
              random.nextInt(-20, 40));
          break;
        case 2:
          v = BigDecimal.valueOf(random.nextBoolean() ? Long.MAX_VALUE : Long.MIN_VALUE,
              random.nextInt(0, 10));
          break;
        case 3:
          v = BigDecimal.ZERO.setScale(random.nextInt(-3, 8));
          break;
        case 4:
          v = BigDecimal.valueOf(random.nextLong(), random.nextInt(-5, 20));
          break;
        default:
          v = BigDecimal.valueOf(-random.nextInt(1000), 1);
          break;
      }
      if (PlainDecimal.problem(v) == null) {
        return v;
      }
    }
  }
}

package com.meterit.sync.examples.tools.simulator;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedList;
import java.util.List;

/**
 * The simulated Client System's own reader of the compact upload body ({@value #MEDIA_TYPE}),
 * written from {@code docs/client-system-api.md} apart from the examples' {@code
 * CompactBatchDecoder} (which the simulator, a tool, does not use), so that two readings of the
 * specification check each other. Simple rather than fast: the meter codes walk a list of meters, oldest first.
 */
final class SimColumns {
  static final String MEDIA_TYPE = "application/vnd.meterit.readings+columns;v=1";

  private SimColumns() {}

  /** The batch's id and its readings in the order sent. */
  static final class Decoded {
    final String gatewayId;
    final String batchId;
    final List<SimReading> readings;

    Decoded(String gatewayId, String batchId, List<SimReading> readings) {
      this.gatewayId = gatewayId;
      this.batchId = batchId;
      this.readings = readings;
    }
  }

  /** @throws IllegalArgumentException when the body does not follow the format */
  static Decoded decode(byte[] body) {
    try {
      return read(ByteBuffer.wrap(body));
    } catch (BufferUnderflowException | IndexOutOfBoundsException | ArithmeticException
        | NegativeArraySizeException | java.time.DateTimeException e) {
      throw new IllegalArgumentException("malformed compact body (" + e.getClass().getSimpleName()
          + ")");
    }
  }

  private static Decoded read(ByteBuffer in) {
    byte[] magic = new byte[4];
    in.get(magic);
    if (!Arrays.equals(magic, new byte[] {'M', 'R', 'C', 1})) {
      throw new IllegalArgumentException("not a compact body of version 1");
    }
    String gatewayId = string(in);
    String batchId = string(in);
    int n = small(in, in.remaining());
    int groups = small(in, n);
    String[] units = new String[small(in, n)];
    String[] qualities = new String[small(in, n)];
    int precision = small(in, 9);
    String[] meters = new String[groups];
    byte[] last = new byte[0];
    for (int g = 0; g < groups; g++) {
      int shared = small(in, last.length);
      byte[] suffix = new byte[small(in, in.remaining())];
      in.get(suffix);
      byte[] meter = new byte[shared + suffix.length];
      System.arraycopy(last, 0, meter, 0, shared);
      System.arraycopy(suffix, 0, meter, shared, suffix.length);
      meters[g] = new String(meter, StandardCharsets.UTF_8);
      last = meter;
    }
    for (int u = 0; u < units.length; u++) {
      units[u] = string(in);
    }
    for (int q = 0; q < qualities.length; q++) {
      qualities[q] = string(in);
    }

    long[] ids = new long[n];
    for (int k = 0; k < n; k++) {
      ids[k] = Math.addExact(k == 0 ? 0 : ids[k - 1], signed(in));
    }
    // Meters seen so far, least recently read first; meters not seen yet, in table order.
    LinkedList<Integer> recency = new LinkedList<>();
    List<Integer> unseen = new ArrayList<>();
    for (int g = 0; g < groups; g++) {
      unseen.add(g);
    }
    int[] group = new int[n];
    for (int k = 0; k < n; k++) {
      int code = small(in, recency.size());
      int g = code == 0 ? unseen.remove(small(in, unseen.size() - 1))
          : recency.remove(code - 1);
      recency.addLast(g);
      group[k] = g;
    }
    if (!unseen.isEmpty()) {
      throw new IllegalArgumentException("a meter of the table has no reading");
    }
    // Per meter, the batch positions of its readings: the group order.
    List<List<Integer>> byMeter = new ArrayList<>();
    for (int g = 0; g < groups; g++) {
      byMeter.add(new ArrayList<>());
    }
    for (int k = 0; k < n; k++) {
      byMeter.get(group[k]).add(k);
    }
    int[] order = byMeter.stream().flatMap(List::stream).mapToInt(Integer::intValue).toArray();

    long[] seconds = new long[n];
    long groupFirst = 0;
    long step = 0;
    int i = 0;
    for (List<Integer> readings : byMeter) {
      for (int j = 0; j < readings.size(); j++, i++) {
        if (j == 0) {
          groupFirst += signed(in);
          seconds[i] = groupFirst;
        } else {
          step += signed(in);
          seconds[i] = seconds[i - 1] + step;
        }
      }
    }
    long[] nanos = new long[n];
    if (precision != 0) {
      long unit = BigInteger.TEN.pow(9 - precision).longValueExact();
      for (int p = 0; p < n; p++) {
        nanos[p] = unsigned(in) * unit;
      }
    }
    int[] scale = runs(in, n);
    int[] unit = runs(in, n);
    BigInteger[] escaped = new BigInteger[n];
    int count = small(in, n);
    for (int e = 0, at = -1; e < count; e++) {
      at += small(in, n) + 1;
      byte[] twos = new byte[small(in, in.remaining())];
      in.get(twos);
      escaped[at] = new BigInteger(twos);
    }
    BigDecimal[] values = new BigDecimal[n];
    long previousFirst = 0;
    i = 0;
    for (List<Integer> readings : byMeter) {
      long reference = previousFirst;
      for (int j = 0; j < readings.size(); j++, i++) {
        long unscaled = 0;
        if (escaped[i] != null) {
          values[i] = new BigDecimal(escaped[i], scale[i]);
        } else {
          unscaled = Math.addExact(reference, signed(in));
          values[i] = BigDecimal.valueOf(unscaled, scale[i]);
        }
        reference = unscaled;
        if (j == 0) {
          previousFirst = unscaled;
        }
      }
    }
    String[] quality = new String[n];
    int flagged = small(in, n);
    for (int f = 0, at = -1; f < flagged; f++) {
      at += small(in, n) + 1;
      quality[at] = qualities[small(in, qualities.length - 1)];
    }
    if (in.hasRemaining()) {
      throw new IllegalArgumentException("bytes after the last column");
    }
    SimReading[] out = new SimReading[n];
    for (int p = 0; p < n; p++) {
      int k = order[p];
      out[k] = new SimReading(ids[k], meters[group[k]],
          Instant.ofEpochSecond(seconds[p], nanos[p]).toString(), values[p], units[unit[p]],
          quality[p]);
    }
    return new Decoded(gatewayId, batchId, Arrays.asList(out));
  }

  private static int[] runs(ByteBuffer in, int n) {
    int[] values = new int[n];
    for (int at = 0; at < n; ) {
      int value = small(in, Integer.MAX_VALUE);
      int length = small(in, n - at);
      if (length == 0) {
        throw new IllegalArgumentException("an empty run");
      }
      Arrays.fill(values, at, at + length, value);
      at += length;
    }
    return values;
  }

  private static String string(ByteBuffer in) {
    byte[] bytes = new byte[small(in, in.remaining())];
    in.get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static long unsigned(ByteBuffer in) {
    long value = 0;
    for (int shift = 0; ; shift += 7) {
      if (shift > 63) {
        throw new IllegalArgumentException("a varint too long");
      }
      int b = in.get() & 0xff;
      value |= (long) (b & 0x7f) << shift;
      if (b < 0x80) {
        return value;
      }
    }
  }

  private static long signed(ByteBuffer in) {
    long zigzag = unsigned(in);
    return (zigzag >>> 1) ^ -(zigzag & 1);
  }

  private static int small(ByteBuffer in, int max) {
    long value = unsigned(in);
    if (value < 0 || value > max) {
      throw new IllegalArgumentException("a count or index out of range");
    }
    return (int) value;
  }
}

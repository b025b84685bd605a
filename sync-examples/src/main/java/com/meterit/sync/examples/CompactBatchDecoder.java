package com.meterit.sync.examples;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * A decoder of the compact upload body, {@code application/vnd.meterit.readings+columns;v=1}, for
 * a Client System written in Java: plain JDK, no dependency, one file, so that a server team can
 * copy it. The format is specified in {@code docs/client-system-api.md} ("The compact
 * encoding"); this class follows that text step by step, and refuses a body that does not follow
 * it with an {@link IllegalArgumentException} (answer it {@code 400}; answer {@code 415} only
 * for a Content-Type or version you do not take).
 *
 * <pre>{@code
 * byte[] body = "gzip".equals(contentEncoding) ? CompactBatchDecoder.gunzip(raw) : raw;
 * CompactBatchDecoder.Batch batch = CompactBatchDecoder.decode(body);
 * for (CompactBatchDecoder.Reading r : batch.readings) {
 *   store(batch.gatewayId, r.id, r.meterId, r.timestamp, r.value, r.unit, r.quality);
 * }
 * }</pre>
 *
 * Stateless and thread-safe.
 */
public final class CompactBatchDecoder {
  /** The Content-Type this decoder reads. */
  public static final String MEDIA_TYPE = "application/vnd.meterit.readings+columns;v=1";

  private static final byte[] MAGIC = {'M', 'R', 'C', 1};
  private static final int[] FRACTION_UNITS = {0, 0, 0, 1_000_000, 0, 0, 1_000, 0, 0, 1};

  private CompactBatchDecoder() {}

  /** A decoded batch: the JSON body's fields, readings in the order the gateway sent them. */
  public static final class Batch {
    public final String gatewayId;
    public final String batchId;
    public final List<Reading> readings;

    Batch(String gatewayId, String batchId, List<Reading> readings) {
      this.gatewayId = gatewayId;
      this.batchId = batchId;
      this.readings = Collections.unmodifiableList(readings);
    }
  }

  /** One reading, as the JSON body would carry it. */
  public static final class Reading {
    public final long id;
    public final String meterId;
    public final Instant timestamp;
    /** The exact value; {@code value.toPlainString()} is the text the JSON would carry. */
    public final BigDecimal value;
    public final String unit;
    /** The quality flag, or null. */
    public final String quality;

    Reading(long id, String meterId, Instant timestamp, BigDecimal value, String unit,
        String quality) {
      this.id = id;
      this.meterId = meterId;
      this.timestamp = timestamp;
      this.value = value;
      this.unit = unit;
      this.quality = quality;
    }

    public Optional<String> quality() {
      return Optional.ofNullable(quality);
    }

    @Override
    public String toString() {
      return id + " " + meterId + " " + timestamp + " " + value.toPlainString() + " " + unit
          + (quality == null ? "" : " " + quality);
    }
  }

  /** The body of a request sent with {@code Content-Encoding: gzip}, at most {@code limit} bytes. */
  public static byte[] gunzip(byte[] raw, int limit) throws IOException {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
      byte[] body = in.readNBytes(limit + 1);
      if (body.length > limit) {
        throw new IOException("the body is larger than " + limit + " bytes decompressed");
      }
      return body;
    }
  }

  /**
   * Decodes a body (already decompressed).
   *
   * @throws IllegalArgumentException when the body does not follow the format
   */
  public static Batch decode(byte[] body) {
    In in = new In(body);
    for (byte b : MAGIC) {
      if (in.remaining() == 0 || in.next() != b) {
        throw malformed("it does not start with MRC and version 1");
      }
    }
    String gatewayId = in.string();
    String batchId = in.string();
    // Every reading takes at least one byte in several columns, so no count exceeds the body.
    int n = in.count(body.length);
    int groups = in.count(n);
    int unitCount = in.count(n);
    int qualityCount = in.count(n);
    int precision = in.count(9);
    if (n == 0 || groups == 0 || unitCount == 0 || (precision % 3) != 0) {
      throw malformed("a count is out of range");
    }
    String[] meters = new String[groups];
    byte[] previous = new byte[0];
    for (int g = 0; g < groups; g++) {
      int shared = in.count(previous.length);
      int suffix = in.count(in.remaining());
      byte[] meter = Arrays.copyOf(previous, shared + suffix);
      in.bytes(meter, shared, suffix);
      meters[g] = utf8(meter);
      previous = meter;
    }
    String[] units = new String[unitCount];
    for (int u = 0; u < unitCount; u++) {
      units[u] = in.string();
    }
    String[] qualities = new String[qualityCount];
    for (int q = 0; q < qualityCount; q++) {
      qualities[q] = in.string();
    }

    // Batch order: ids, then meter codes.
    long[] ids = new long[n];
    long id = 0;
    for (int k = 0; k < n; k++) {
      id = Math.addExact(id, in.svarint());
      ids[k] = id;
    }
    int[] group = meterGroups(in, n, groups);

    // Group order: group 0's readings in batch order, then group 1's, and so on.
    int[] start = new int[groups + 1];
    for (int k = 0; k < n; k++) {
      start[group[k] + 1]++;
    }
    for (int g = 0; g < groups; g++) {
      start[g + 1] += start[g];
    }
    int[] fill = Arrays.copyOf(start, groups);
    int[] batchIndex = new int[n]; // group-order position -> batch-order index
    for (int k = 0; k < n; k++) {
      batchIndex[fill[group[k]]++] = k;
    }

    long[] seconds = new long[n];
    long firstSecond = 0;
    long delta = 0;
    for (int g = 0; g < groups; g++) {
      firstSecond = Math.addExact(firstSecond, in.svarint());
      long last = firstSecond;
      seconds[start[g]] = last;
      for (int i = start[g] + 1; i < start[g + 1]; i++) {
        delta = Math.addExact(delta, in.svarint());
        last = Math.addExact(last, delta);
        seconds[i] = last;
      }
    }
    int[] nanos = new int[n];
    if (precision > 0) {
      for (int i = 0; i < n; i++) {
        long fraction = in.uvarint();
        if (fraction < 0 || fraction >= 1_000_000_000L / FRACTION_UNITS[precision]) {
          throw malformed("a fraction of a second is out of range");
        }
        nanos[i] = (int) fraction * FRACTION_UNITS[precision];
      }
    }
    int[] scales = runs(in, n, Integer.MAX_VALUE);
    int[] unitOf = runs(in, n, unitCount - 1);

    BigInteger[] big = new BigInteger[n];
    int bigCount = in.count(n);
    int position = -1;
    for (int b = 0; b < bigCount; b++) {
      position = Math.addExact(position, in.count(n) + 1);
      if (position >= n) {
        throw malformed("an escaped value lies beyond the last reading");
      }
      byte[] twos = new byte[in.count(in.remaining())];
      in.bytes(twos, 0, twos.length);
      if (twos.length == 0) {
        throw malformed("an escaped value has no bytes");
      }
      big[position] = new BigInteger(twos);
    }
    BigDecimal[] values = new BigDecimal[n];
    long firstValue = 0;
    for (int g = 0; g < groups; g++) {
      long reference = firstValue;
      for (int i = start[g]; i < start[g + 1]; i++) {
        long unscaled = 0;
        if (big[i] != null) {
          values[i] = new BigDecimal(big[i], scales[i]);
        } else {
          unscaled = Math.addExact(reference, in.svarint());
          values[i] = BigDecimal.valueOf(unscaled, scales[i]);
        }
        // After an escaped value the reference is 0.
        reference = unscaled;
        if (i == start[g]) {
          firstValue = unscaled;
        }
      }
    }

    String[] quality = new String[n];
    int flagged = in.count(n);
    position = -1;
    for (int q = 0; q < flagged; q++) {
      position = Math.addExact(position, in.count(n) + 1);
      if (position >= n) {
        throw malformed("a quality flag lies beyond the last reading");
      }
      quality[position] = qualities[in.count(qualityCount - 1)];
    }
    if (in.remaining() != 0) {
      throw malformed(in.remaining() + " bytes follow the last column");
    }

    Reading[] readings = new Reading[n];
    for (int i = 0; i < n; i++) {
      int k = batchIndex[i];
      readings[k] = new Reading(ids[k], meters[group[k]],
          Instant.ofEpochSecond(seconds[i], nanos[i]), values[i], units[unitOf[i]], quality[i]);
    }
    return new Batch(gatewayId, batchId, Arrays.asList(readings));
  }

  /**
   * Each reading's meter from its recency code: 0 is a meter not seen before, and the next
   * varint is its rank among the table's meters not seen yet; c > 0 is the meter whose latest
   * reading is the c-th oldest among the latest readings of the meters seen so far. Fenwick
   * trees mark each meter's latest reading (over batch positions) and the unseen meters (over
   * the table), so that the c-th mark is found in logarithmic time (lists, oldest first and in
   * table order, do the same in linear time).
   */
  private static int[] meterGroups(In in, int n, int groups) {
    int[] group = new int[n];
    int[] tree = new int[n + 1];
    int[] unseen = new int[groups + 1];
    for (int g = 0; g < groups; g++) {
      add(unseen, g, 1);
    }
    int marks = 0;
    for (int k = 0; k < n; k++) {
      int code = in.count(marks);
      int g;
      if (code == 0) {
        g = select(unseen, in.count(groups - marks - 1) + 1);
        add(unseen, g, -1);
        marks++;
      } else {
        int latest = select(tree, code);
        g = group[latest];
        add(tree, latest, -1);
      }
      add(tree, k, 1);
      group[k] = g;
    }
    if (marks != groups) {
      throw malformed("a meter of the table has no reading");
    }
    return group;
  }

  /** The position of the {@code rank}-th mark (1-based). */
  private static int select(int[] tree, int rank) {
    int position = 0;
    for (int step = Integer.highestOneBit(tree.length - 1); step > 0; step >>= 1) {
      int next = position + step;
      if (next < tree.length && tree[next] < rank) {
        position = next;
        rank -= tree[next];
      }
    }
    return position; // 0-based: the mark is at tree index position + 1
  }

  private static void add(int[] tree, int position, int value) {
    for (int i = position + 1; i < tree.length; i += i & -i) {
      tree[i] += value;
    }
  }

  /** (value, length) pairs covering exactly {@code n} readings. */
  private static int[] runs(In in, int n, int max) {
    int[] values = new int[n];
    int at = 0;
    while (at < n) {
      int value = in.count(max);
      int length = in.count(n - at);
      if (length == 0) {
        throw malformed("a run is empty");
      }
      Arrays.fill(values, at, at + length, value);
      at += length;
    }
    return values;
  }

  private static String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw malformed("a string is not UTF-8");
    }
  }

  private static IllegalArgumentException malformed(String why) {
    return new IllegalArgumentException("malformed compact batch: " + why);
  }

  /** The body, read front to back. */
  private static final class In {
    private final byte[] body;
    private int at;

    In(byte[] body) {
      this.body = body;
    }

    int remaining() {
      return body.length - at;
    }

    byte next() {
      if (at == body.length) {
        throw malformed("it ends early");
      }
      return body[at++];
    }

    void bytes(byte[] into, int off, int len) {
      if (len > remaining()) {
        throw malformed("it ends early");
      }
      System.arraycopy(body, at, into, off, len);
      at += len;
    }

    /** An unsigned LEB128 varint of at most 10 bytes. */
    long uvarint() {
      long value = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        byte b = next();
        value |= (long) (b & 0x7f) << shift;
        if (b >= 0) {
          return value;
        }
      }
      throw malformed("a varint is longer than 10 bytes");
    }

    /** A zigzag varint: 0, 1, 2, 3, 4 ... are 0, -1, 1, -2, 2 ... */
    long svarint() {
      long z = uvarint();
      return (z >>> 1) ^ -(z & 1);
    }

    /** An unsigned varint between 0 and {@code max}. */
    int count(int max) {
      long value = uvarint();
      if (value < 0 || value > max) {
        throw malformed("a count or index is out of range");
      }
      return (int) value;
    }

    String string() {
      byte[] utf8 = new byte[count(remaining())];
      bytes(utf8, 0, utf8.length);
      return utf8(utf8);
    }
  }
}

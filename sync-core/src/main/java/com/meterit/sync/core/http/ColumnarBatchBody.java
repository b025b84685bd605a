package com.meterit.sync.core.http;

import com.meterit.sync.api.Reading;
import com.meterit.sync.api.UploadBatch;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * The compact upload body, {@value #MEDIA_TYPE}: the readings of one batch as columns, specified
 * byte by byte in {@code docs/client-system-api.md} ("The compact encoding"), for a server that
 * announced it. JSON stays {@link WireFormat}'s.
 *
 * <p>In short: string tables (meters, sorted and front-coded; units; quality flags), then ids as
 * deltas and each reading's meter as a recency code, in the batch's order, then per meter (in
 * the table's order) timestamps as delta-of-delta seconds, values as zigzag deltas of their
 * unscaled integers, runs of scales and units, sparse quality flags, and an escape list for
 * values that do not fit a long. A decoder restores every reading, its value's decimal text and
 * the batch's order exactly, so the batch id it recomputes is the one sent.
 *
 * <p>Stateless and thread-safe.
 */
final class ColumnarBatchBody {
  /** The Content-Type of this body, and the name a server announces to accept it. */
  static final String MEDIA_TYPE = "application/vnd.meterit.readings+columns;v=1";
  /** The first four bytes: ASCII {@code MRC} and the format version, 1. */
  static final byte[] MAGIC = {'M', 'R', 'C', 1};

  private ColumnarBatchBody() {}

  /** The body of {@code batch}, gzip'd when asked. */
  static byte[] encode(String gatewayId, UploadBatch batch, boolean gzip) {
    ColumnSink out = new ColumnSink(16 + 8 * batch.size());
    write(gatewayId, batch, out);
    if (!gzip) {
      return out.toByteArray();
    }
    ByteArrayOutputStream zipped = new ByteArrayOutputStream(out.length / 2 + 64);
    try (GZIPOutputStream z = new Gzip(zipped, out.length)) {
      int from = 0;
      for (int part : out.parts) {
        z.write(out.bytes, from, part - from);
        // A deflate block of its own per part (a sync flush): each part's bytes have their own
        // statistics, and its own Huffman codes saved 2 to 3% on the harness's data.
        z.flush();
        from = part;
      }
      z.write(out.bytes, from, out.length - from);
    } catch (IOException e) {
      throw new IllegalStateException("writing to memory failed", e);
    }
    return zipped.toByteArray();
  }

  private static void write(String gatewayId, UploadBatch batch, ColumnSink out) {
    List<Reading> readings = batch.readings();
    int n = readings.size();

    // The meter table, sorted so that neighbours share prefixes, and each reading's group in it:
    // one hash lookup per reading gives the order of first appearance, which is then remapped.
    Map<String, Integer> seenAs = new HashMap<>();
    int[] group = new int[n];
    for (int k = 0; k < n; k++) {
      String meter = readings.get(k).meterId();
      Integer g = seenAs.get(meter);
      if (g == null) {
        g = seenAs.size();
        seenAs.put(meter, g);
      }
      group[k] = g;
    }
    int groups = seenAs.size();
    String[] meters = seenAs.keySet().toArray(new String[0]);
    Arrays.sort(meters);
    int[] sortedIndex = new int[groups];
    for (int g = 0; g < groups; g++) {
      sortedIndex[seenAs.get(meters[g])] = g;
    }
    int[] perGroup = new int[groups];
    for (int k = 0; k < n; k++) {
      group[k] = sortedIndex[group[k]];
      perGroup[group[k]]++;
    }
    // The group order: readings of group 0 in batch order, then of group 1, and so on.
    int[] start = new int[groups + 1];
    for (int g = 0; g < groups; g++) {
      start[g + 1] = start[g] + perGroup[g];
    }
    int[] fill = Arrays.copyOf(start, groups);
    Reading[] byGroup = new Reading[n];
    for (int k = 0; k < n; k++) {
      byGroup[fill[group[k]]++] = readings.get(k);
    }

    Map<String, Integer> units = new LinkedHashMap<>();
    Map<String, Integer> qualities = new LinkedHashMap<>();
    int precision = 0;
    for (Reading r : byGroup) {
      units.putIfAbsent(r.unit(), units.size());
      if (r.quality().isPresent()) {
        qualities.putIfAbsent(r.quality().get(), qualities.size());
      }
      precision = Math.max(precision, precision(r.timestamp().getNano()));
    }

    out.raw(MAGIC);
    out.string(gatewayId);
    out.string(batch.batchId());
    out.uvarint(n);
    out.uvarint(groups);
    out.uvarint(units.size());
    out.uvarint(qualities.size());
    out.uvarint(precision);
    byte[] previous = new byte[0];
    for (int g = 0; g < groups; g++) {
      byte[] meter = meters[g].getBytes(StandardCharsets.UTF_8);
      int shared = 0;
      int most = Math.min(meter.length, previous.length);
      while (shared < most && meter[shared] == previous[shared]) {
        shared++;
      }
      out.uvarint(shared);
      out.uvarint(meter.length - shared);
      out.raw(meter, shared, meter.length - shared);
      previous = meter;
    }
    for (String unit : units.keySet()) {
      out.string(unit);
    }
    for (String quality : qualities.keySet()) {
      out.string(quality);
    }

    out.endPart();
    // Batch order: ids, then each reading's meter.
    long lastId = 0;
    for (Reading r : readings) {
      out.svarint(r.id() - lastId);
      lastId = r.id();
    }
    meterCodes(group, groups, out);

    out.endPart();
    // Group order from here on.
    long firstSecond = 0;
    long delta = 0;
    for (int g = 0; g < groups; g++) {
      long last = byGroup[start[g]].timestamp().getEpochSecond();
      out.svarint(last - firstSecond);
      firstSecond = last;
      for (int i = start[g] + 1; i < start[g + 1]; i++) {
        long second = byGroup[i].timestamp().getEpochSecond();
        long d = second - last;
        out.svarint(d - delta);
        delta = d;
        last = second;
      }
    }
    if (precision > 0) {
      int divisor = FRACTION_DIVISORS[precision / 3];
      for (Reading r : byGroup) {
        out.uvarint(r.timestamp().getNano() / divisor);
      }
    }

    // Values: scale (never negative on the wire) and unscaled integer of the plain text.
    int[] scales = new int[n];
    long[] unscaled = new long[n];
    BigInteger[] big = new BigInteger[n];
    int bigCount = 0;
    for (int i = 0; i < n; i++) {
      BigDecimal v = byGroup[i].value();
      if (v.scale() < 0) {
        // The wire carries the decimal of the text sent as JSON (1E+3 is 1000), no exponent.
        v = v.setScale(0);
      }
      scales[i] = v.scale();
      BigInteger u = v.unscaledValue();
      if (u.bitLength() <= 63) {
        unscaled[i] = u.longValue();
      } else {
        big[i] = u;
        bigCount++;
      }
    }
    runs(scales, out);
    int[] unitOf = new int[n];
    for (int i = 0; i < n; i++) {
      unitOf[i] = units.get(byGroup[i].unit());
    }
    runs(unitOf, out);

    // A value is escaped when it, or its delta from its reference, does not fit a long.
    long[] deltas = new long[n];
    long firstValue = 0;
    boolean firstBig = false;
    for (int g = 0; g < groups; g++) {
      long reference = firstBig ? 0 : firstValue;
      for (int i = start[g]; i < start[g + 1]; i++) {
        if (big[i] == null) {
          long d = unscaled[i] - reference;
          // Overflow when the operands' signs differ and the result's sign differs from the first.
          if (((unscaled[i] ^ reference) & (unscaled[i] ^ d)) < 0) {
            big[i] = BigInteger.valueOf(unscaled[i]);
            bigCount++;
          } else {
            deltas[i] = d;
          }
        }
        reference = big[i] == null ? unscaled[i] : 0;
        if (i == start[g]) {
          firstValue = unscaled[i];
          firstBig = big[i] != null;
        }
      }
    }
    out.endPart();
    out.uvarint(bigCount);
    int lastBig = -1;
    for (int i = 0; i < n; i++) {
      if (big[i] != null) {
        byte[] twos = big[i].toByteArray();
        out.uvarint(i - lastBig - 1);
        out.uvarint(twos.length);
        out.raw(twos, 0, twos.length);
        lastBig = i;
      }
    }
    for (int i = 0; i < n; i++) {
      if (big[i] == null) {
        out.svarint(deltas[i]);
      }
    }

    int flagged = 0;
    for (Reading r : byGroup) {
      flagged += r.quality().isPresent() ? 1 : 0;
    }
    out.uvarint(flagged);
    int lastFlag = -1;
    for (int i = 0; i < n; i++) {
      if (byGroup[i].quality().isPresent()) {
        out.uvarint(i - lastFlag - 1);
        out.uvarint(qualities.get(byGroup[i].quality().get()));
        lastFlag = i;
      }
    }
  }

  private static final int[] FRACTION_DIVISORS = {1_000_000_000, 1_000_000, 1_000, 1};

  /** 0, 3, 6 or 9: the fraction digits {@link Instant#toString()} writes for these nanos. */
  private static int precision(int nano) {
    if (nano == 0) {
      return 0;
    }
    if (nano % 1_000_000 == 0) {
      return 3;
    }
    return nano % 1000 == 0 ? 6 : 9;
  }

  /**
   * Each reading's meter as a recency code: 0 for a meter not seen before in the batch, followed
   * by its rank among the meters of the table not seen yet; else 1 + the number of seen meters
   * whose latest reading is older than this meter's latest. Collectors poll meters in rounds, so
   * the meter that comes next is usually among the least recently seen: codes stay small where a
   * plain index would look random.
   */
  private static void meterCodes(int[] group, int groups, ColumnSink out) {
    int n = group.length;
    int[] latest = new int[groups];
    Arrays.fill(latest, -1);
    // Fenwick trees: over batch positions, 1 where a meter's latest reading is; over the table,
    // 1 where a meter was seen.
    int[] tree = new int[n + 1];
    int[] seen = new int[groups + 1];
    for (int k = 0; k < n; k++) {
      int g = group[k];
      if (latest[g] < 0) {
        out.uvarint(0);
        out.uvarint(g - prefix(seen, g));
        add(seen, g, 1);
      } else {
        int older = prefix(tree, latest[g]);
        out.uvarint(older + 1);
        add(tree, latest[g], -1);
      }
      add(tree, k, 1);
      latest[g] = k;
    }
  }

  /** The count of marks at positions below {@code position}. */
  private static int prefix(int[] tree, int position) {
    int sum = 0;
    for (int i = position; i > 0; i -= i & -i) {
      sum += tree[i];
    }
    return sum;
  }

  private static void add(int[] tree, int position, int value) {
    for (int i = position + 1; i < tree.length; i += i & -i) {
      tree[i] += value;
    }
  }

  /** Runs of equal values: (value, length) pairs, as unsigned varints, covering every reading. */
  private static void runs(int[] values, ColumnSink out) {
    int i = 0;
    while (i < values.length) {
      int j = i + 1;
      while (j < values.length && values[j] == values[i]) {
        j++;
      }
      out.uvarint(values[i]);
      out.uvarint(j - i);
      i = j;
    }
  }

  /**
   * gzip at level 6, as the JSON: level 9 saved nothing measurable on either data set of the
   * harness and cost 10 to 15% of the serializing CPU.
   */
  private static final class Gzip extends GZIPOutputStream {
    Gzip(OutputStream out, int size) throws IOException {
      super(out, Math.max(512, Math.min(size, 65_536)), true);
      def.setLevel(Deflater.DEFAULT_COMPRESSION);
    }
  }
}

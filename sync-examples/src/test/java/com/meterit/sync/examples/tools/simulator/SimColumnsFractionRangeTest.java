package com.meterit.sync.examples.tools.simulator;

import static org.junit.jupiter.api.Assertions.assertThrows;

import com.meterit.sync.examples.CompactBatchDecoder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Review finding 6: the two decoders disagree on a body whose fraction of a second is not below
 * 10^p (part 15). CompactBatchDecoder refuses it; the simulator's decoder, like any decoder
 * written from the spec's text alone (which does not say to refuse it), multiplies and lets
 * {@code Instant.ofEpochSecond} carry the excess into the seconds: p = 3 and fraction 1000
 * decodes as the next second, a different reading with a different digest than the bytes say.
 * The same holds for p outside 0, 3, 6, 9 (p = 1 is taken as tenths).
 */
class SimColumnsFractionRangeTest {

  private static byte[] oneReading(int precision, long fraction) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {'M', 'R', 'C', 1});
    string(out, "gw");
    string(out, "0123456789abcdef0123456789abcdef");
    long[] head = {1, 1, 1, 0, precision, 0, 1}; // n m u q p, meter: shared 0, length 1
    for (long v : head) {
      uvarint(out, v);
    }
    out.write('m');
    string(out, "u");
    long[] rest = {2, 0, 0, 0, fraction, 3, 1, 0, 1, 0, 2, 0};
    // id +1 (zigzag 2); meter code new, rank 0; seconds 0; fraction; scales (3 x1); units (0 x1);
    // no escaped value; value +1 (zigzag 2); no quality flag
    for (long v : rest) {
      uvarint(out, v);
    }
    return out.toByteArray();
  }

  private static void uvarint(ByteArrayOutputStream out, long value) {
    while ((value & ~0x7fL) != 0) {
      out.write((int) ((value & 0x7f) | 0x80));
      value >>>= 7;
    }
    out.write((int) value);
  }

  private static void string(ByteArrayOutputStream out, String s) {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    uvarint(out, utf8.length);
    out.writeBytes(utf8);
  }

  @Test
  void bothDecodersRefuseAFractionOfAWholeSecondOrMore() {
    byte[] body = oneReading(3, 1000);
    assertThrows(IllegalArgumentException.class, () -> CompactBatchDecoder.decode(body));

    // Today: decoded as 1970-01-01T00:00:01Z.
    assertThrows(IllegalArgumentException.class, () -> SimColumns.decode(body));
  }

  @Test
  void bothDecodersRefuseAPrecisionOtherThan0369() {
    byte[] body = oneReading(1, 5);
    assertThrows(IllegalArgumentException.class, () -> CompactBatchDecoder.decode(body));

    // Today: decoded as 1970-01-01T00:00:00.500Z.
    assertThrows(IllegalArgumentException.class, () -> SimColumns.decode(body));
  }
}

package com.meterit.sync.examples;

import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * Review finding 1: the copyable decoder takes any scale (up to 2^31 - 1) and any length of
 * escaped integer, so a body of a few dozen bytes decodes into a value whose plain text (what
 * the Javadoc tells a server to store, {@code value.toPlainString()}) is gigabytes long, and a
 * body of a megabyte into an integer of millions of digits, quadratic to print. A reading has
 * at most {@code Reading.MAX_VALUE_DIGITS} (38) digits and {@code MAX_VALUE_LENGTH} (64)
 * characters: a decoder must refuse what no gateway can send.
 */
class CompactBatchDecoderValueBoundsTest {

  /** One reading of meter "m", unit "u", id 1, second 0; the value's scale and part 18/19 given. */
  private static HostileBodies oneReadingUpToScales(long scale) {
    return HostileBodies.header(1, 1, 1, 0, 0)
        .uvarint(0).uvarint(1).raw(new byte[] {'m'}) // meter table
        .string("u") // unit table
        .svarint(1) // ids
        .uvarint(0).uvarint(0) // meter code: new, rank 0
        .svarint(0) // seconds
        .uvarint(scale).uvarint(1) // scales: one run
        .uvarint(0).uvarint(1); // units: one run
  }

  @Test
  void refusesAValueWhoseScaleNoReadingCanHave() {
    byte[] body = oneReadingUpToScales(2_000_000_000L)
        .uvarint(0) // no escaped values
        .svarint(1) // unscaled 1
        .uvarint(0) // no quality flags
        .bytes();

    // Today it decodes: 1E-2000000000, whose toPlainString() is a 2 GB string.
    assertThrows(IllegalArgumentException.class, () -> CompactBatchDecoder.decode(body));
  }

  @Test
  void refusesAnEscapedValueOfMoreDigitsThanAnyReading() {
    byte[] huge = new byte[200_000]; // about 480,000 decimal digits
    huge[0] = 0x40;
    byte[] body = oneReadingUpToScales(0)
        .uvarint(1).uvarint(0).uvarint(huge.length).raw(huge) // one escaped value
        .uvarint(0) // no quality flags
        .bytes();

    assertThrows(IllegalArgumentException.class, () -> CompactBatchDecoder.decode(body));
  }
}

package com.meterit.sync.examples;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * Review finding 2: the meter table is front-coded and the copyable decoder bounds neither an
 * entry's length nor the table's total, so each entry can share all of the previous one and add
 * a byte: m entries of about 4 bytes build m strings of 1..m bytes, O(m^2) memory and time
 * before anything else is checked. A 40 KB body (a few hundred bytes gzip'd) costs hundreds of
 * megabytes; the server's own decompression limit (say 16 MB) makes it terabytes: an OOM from
 * one request. Meter ids have at most {@code Reading.MAX_METER_ID_LENGTH} (128) chars, so at
 * most 512 UTF-8 bytes: a decoder can refuse a longer entry at once.
 */
class CompactBatchDecoderMeterTableTest {

  private static byte[] staircaseTable(int meters) {
    HostileBodies body = HostileBodies.header(meters, meters, 1, 0, 0);
    for (int g = 0; g < meters; g++) {
      body.uvarint(g).uvarint(1).raw(new byte[] {'a'}); // all of the previous entry, plus "a"
    }
    return body.bytes(); // ends after the table
  }

  private static long allocatedByThisThread() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getThreadAllocatedBytes(Thread.currentThread().getId());
  }

  @Test
  void refusesAFrontCodedMeterTableWhoseEntriesGrowBeyondAnyMeterIdWithoutQuadraticMemory() {
    byte[] body = staircaseTable(10_000);
    long before = allocatedByThisThread();

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> CompactBatchDecoder.decode(body));

    long allocated = allocatedByThisThread() - before;
    // Linear in the body is fine; today it is about 5,000 times the body's 40 KB.
    assertTrue(allocated < 64L * body.length,
        "allocated " + allocated + " bytes to refuse a body of " + body.length + " ("
            + e.getMessage() + ")");
  }
}

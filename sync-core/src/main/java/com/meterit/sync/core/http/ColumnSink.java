package com.meterit.sync.core.http;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The growable byte buffer {@link ColumnarBatchBody} writes into, with the primitives of the
 * compact encoding: LEB128 varints, zigzag varints and length-prefixed UTF-8 strings. Not
 * thread-safe; one per body.
 */
final class ColumnSink {
  byte[] bytes;
  int length;
  /**
   * Where the parts of the body end: the header and tables; the batch-order columns; the
   * timestamps, scales and units. The values and quality flags are the last part.
   */
  final int[] parts = new int[3];
  private int partCount;

  void endPart() {
    parts[partCount++] = length;
  }

  ColumnSink(int capacity) {
    bytes = new byte[capacity];
  }

  private void room(int more) {
    if (length + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
    }
  }

  void raw(byte[] b) {
    raw(b, 0, b.length);
  }

  void raw(byte[] b, int off, int len) {
    room(len);
    System.arraycopy(b, off, bytes, length, len);
    length += len;
  }

  /** LEB128: seven bits at a time, low first, the high bit set on all but the last byte. */
  void uvarint(long value) {
    room(10);
    while ((value & ~0x7fL) != 0) {
      bytes[length++] = (byte) ((value & 0x7f) | 0x80);
      value >>>= 7;
    }
    bytes[length++] = (byte) value;
  }

  /** Zigzag, then LEB128: 0, -1, 1, -2, 2 ... become 0, 1, 2, 3, 4 ... */
  void svarint(long value) {
    uvarint((value << 1) ^ (value >> 63));
  }

  void string(String s) {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    uvarint(utf8.length);
    raw(utf8);
  }

  byte[] toByteArray() {
    return Arrays.copyOf(bytes, length);
  }
}

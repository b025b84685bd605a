package com.meterit.sync.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.ByteArrayOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Review finding 7: {@code gunzip(raw, limit)} reads {@code limit + 1} bytes, which overflows for
 * {@code Integer.MAX_VALUE} (a server's natural "no limit of my own"): every call then throws
 * {@code IllegalArgumentException: len < 0}, the exception the class documents for a malformed
 * body, so such a server answers every compact upload 400.
 */
class CompactBatchDecoderGunzipLimitTest {

  @Test
  void gunzipsUnderTheLargestLimitAnIntCanSay() throws Exception {
    byte[] plain = {'M', 'R', 'C', 1, 2, 'g', 'w'};
    ByteArrayOutputStream zipped = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(zipped)) {
      z.write(plain);
    }

    assertArrayEquals(plain, CompactBatchDecoder.gunzip(zipped.toByteArray(), Integer.MAX_VALUE));
  }
}

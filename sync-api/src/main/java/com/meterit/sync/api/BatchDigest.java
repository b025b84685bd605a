package com.meterit.sync.api;

import com.meterit.sync.api.internal.IsoInstant;
import com.meterit.sync.api.internal.PlainDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.List;

/**
 * The content digest behind {@link UploadBatch#batchId()}. Batch ids are journaled and sent as
 * idempotency keys, so the bytes digested must never change: per reading, {@code id, meterId,
 * timestamp (as Instant.toString), value (as PlainDecimal.text, the text the wire sends), unit,
 * quality} as UTF-8, each followed by U+001F, the reading closed by U+001E. They are written into
 * one reused buffer, not formed as a String per reading: the digest ran once per batch on every
 * claim, at a few hundred bytes of garbage per reading. Not thread-safe; one per digest.
 */
final class BatchDigest {
  private static final byte FIELD = 0x1f;
  private static final byte RECORD = 0x1e;

  private final MessageDigest sha256;
  private final byte[] buf = new byte[8192];
  private int n;

  private BatchDigest() {
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }

  /** 32 lowercase hex characters: the first half of the SHA-256 of the readings' fields. */
  static String of(List<Reading> readings) {
    BatchDigest d = new BatchDigest();
    for (Reading r : readings) {
      d.number(r.id());
      d.text(r.meterId());
      d.timestamp(r.timestamp());
      d.text(PlainDecimal.text(r.value()));
      d.text(r.unit());
      d.text(r.quality().orElse(""));
      d.buf[d.n - 1] = RECORD;
    }
    d.flush();
    byte[] hash = d.sha256.digest();
    char[] hex = new char[32];
    for (int i = 0; i < 16; i++) {
      hex[2 * i] = Character.forDigit((hash[i] >> 4) & 0xf, 16);
      hex[2 * i + 1] = Character.forDigit(hash[i] & 0xf, 16);
    }
    return new String(hex);
  }

  private void room(int bytes) {
    if (n + bytes > buf.length) {
      flush();
    }
  }

  private void flush() {
    sha256.update(buf, 0, n);
    n = 0;
  }

  private void number(long value) {
    room(21);
    if (value < 0) {
      // Readings have positive ids; kept for completeness of the encoding.
      text(Long.toString(value));
      return;
    }
    int start = n;
    do {
      buf[n++] = (byte) ('0' + value % 10);
      value /= 10;
    } while (value != 0);
    for (int i = start, j = n - 1; i < j; i++, j--) {
      byte t = buf[i];
      buf[i] = buf[j];
      buf[j] = t;
    }
    buf[n++] = FIELD;
  }

  private void timestamp(Instant t) {
    room(IsoInstant.MAX_LENGTH + 1);
    int end = IsoInstant.format(t, buf, n);
    if (end < 0) {
      text(t.toString());
      return;
    }
    n = end;
    buf[n++] = FIELD;
  }

  /** A field as UTF-8, then the separator. */
  private void text(String s) {
    int length = s.length();
    for (int i = 0; i < length; i++) {
      if (s.charAt(i) >= 0x80) {
        // Rare: encode the whole field, exactly as String.getBytes did before.
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        flush();
        sha256.update(utf8);
        room(1);
        buf[n++] = FIELD;
        return;
      }
    }
    if (length + 1 > buf.length) {
      flush();
      sha256.update(s.getBytes(StandardCharsets.US_ASCII));
      buf[n++] = FIELD;
      return;
    }
    room(length + 1);
    for (int i = 0; i < length; i++) {
      buf[n++] = (byte) s.charAt(i);
    }
    buf[n++] = FIELD;
  }
}

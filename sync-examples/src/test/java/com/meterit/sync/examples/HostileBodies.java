package com.meterit.sync.examples;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Hand-written compact bodies, byte by byte as docs/client-system-api.md lays them out. */
public final class HostileBodies {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  public HostileBodies() {
    out.writeBytes(new byte[] {'M', 'R', 'C', 1});
  }

  public HostileBodies uvarint(long value) {
    while ((value & ~0x7fL) != 0) {
      out.write((int) ((value & 0x7f) | 0x80));
      value >>>= 7;
    }
    out.write((int) value);
    return this;
  }

  public HostileBodies svarint(long value) {
    return uvarint((value << 1) ^ (value >> 63));
  }

  public HostileBodies string(String s) {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    uvarint(utf8.length);
    out.writeBytes(utf8);
    return this;
  }

  public HostileBodies raw(byte[] bytes) {
    out.writeBytes(bytes);
    return this;
  }

  /** Header through part 8: gateway, batch id, n, m, u, q, p. */
  public static HostileBodies header(long n, long meters, long units, long qualities, long precision) {
    return new HostileBodies().string("gw").string("0123456789abcdef0123456789abcdef")
        .uvarint(n).uvarint(meters).uvarint(units).uvarint(qualities).uvarint(precision);
  }

  public byte[] bytes() {
    return out.toByteArray();
  }
}

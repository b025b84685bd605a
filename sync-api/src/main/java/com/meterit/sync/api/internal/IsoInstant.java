package com.meterit.sync.api.internal;

import java.time.Instant;

/**
 * {@link Instant#toString()} written as ASCII into a byte array, without the formatter's
 * intermediate objects (a LocalDateTime, a StringBuilder and a String per call), for the batch
 * digest and the wire format, which must write the same text. Covers the years 0 to 9999; other
 * instants are left to {@code toString()}.
 */
public final class IsoInstant {
  /** The longest output: {@code yyyy-MM-ddTHH:mm:ss.nnnnnnnnnZ}. */
  public static final int MAX_LENGTH = 30;
  private static final long MIN_SECOND = -62167219200L; // 0000-01-01T00:00:00Z
  private static final long MAX_SECOND = 253402300799L; // 9999-12-31T23:59:59Z

  private IsoInstant() {}

  /**
   * Writes {@code t.toString()} at {@code off}.
   *
   * @return the offset after it, or -1 when {@code t} is outside the years 0 to 9999 (nothing
   *     written)
   */
  public static int format(Instant t, byte[] out, int off) {
    long seconds = t.getEpochSecond();
    if (seconds < MIN_SECOND || seconds > MAX_SECOND) {
      return -1;
    }
    long days = Math.floorDiv(seconds, 86_400L);
    int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
    // Civil date from days since 1970-01-01 (H. Hinnant's days_from_civil, inverted).
    long z = days + 719_468;
    long era = Math.floorDiv(z, 146_097);
    int doe = (int) (z - era * 146_097);
    int yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    int day = doy - (153 * mp + 2) / 5 + 1;
    int month = mp < 10 ? mp + 3 : mp - 9;
    int year = (int) (yoe + era * 400) + (month <= 2 ? 1 : 0);
    int p = off;
    p = digits(out, p, year, 4);
    out[p++] = '-';
    p = digits(out, p, month, 2);
    out[p++] = '-';
    p = digits(out, p, day, 2);
    out[p++] = 'T';
    p = digits(out, p, secondOfDay / 3600, 2);
    out[p++] = ':';
    p = digits(out, p, secondOfDay / 60 % 60, 2);
    out[p++] = ':';
    p = digits(out, p, secondOfDay % 60, 2);
    int nano = t.getNano();
    if (nano > 0) {
      out[p++] = '.';
      // As ISO_INSTANT: milliseconds, microseconds or nanoseconds, whichever is exact.
      if (nano % 1_000_000 == 0) {
        p = digits(out, p, nano / 1_000_000, 3);
      } else if (nano % 1000 == 0) {
        p = digits(out, p, nano / 1000, 6);
      } else {
        p = digits(out, p, nano, 9);
      }
    }
    out[p++] = 'Z';
    return p;
  }

  private static int digits(byte[] out, int p, int value, int width) {
    for (int i = p + width - 1; i >= p; i--) {
      out[i] = (byte) ('0' + value % 10);
      value /= 10;
    }
    return p + width;
  }
}

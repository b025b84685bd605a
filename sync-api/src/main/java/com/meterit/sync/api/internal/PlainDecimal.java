package com.meterit.sync.api.internal;

import com.meterit.sync.api.Reading;
import java.math.BigDecimal;

/**
 * The one text of a reading's value: the batch digest hashes it and the wire format sends it, so
 * that a batch id always names the exact text the server received. It is the plain notation,
 * scale kept ({@code 1234.500}, {@code 1E+3} as {@code 1000}), for values within {@link
 * Reading}'s bounds; {@link #problem} tells why a value is not. Digits are counted as written
 * out, without the zeros before the first significant one: {@code 1E+3} has four, {@code 0.0010}
 * two.
 *
 * <p>Why bounds at all: a {@link BigDecimal} of 13 characters ({@code 1E+2147483647}) has a plain
 * notation two billion characters long ({@code toPlainString()} throws), and Jackson refuses to
 * write one whose scale is beyond ±9999. Why these: {@value Reading#MAX_VALUE_LENGTH} characters
 * is what a value column may hold as text, so a value is taken or refused alike whether the
 * collector wrote it in plain or exponent notation, as text or as a number; and {@value
 * Reading#MAX_VALUE_DIGITS} digits is the widest exact decimal that common server-side stores
 * keep (SQL Server, Oracle, Db2, BigQuery {@code NUMERIC}, Spark), with room to spare for any
 * meter register. PostgreSQL's {@code NUMERIC} (131,072 digits before the point, 16,383 after)
 * and the JSON grammar allow more; neither makes such a value a reading. Not public API.
 */
public final class PlainDecimal {
  private PlainDecimal() {}

  /**
   * The plain notation of {@code value}.
   *
   * @throws IllegalArgumentException when {@link #problem} finds one, so that no caller builds a
   *     string of millions of characters
   */
  public static String text(BigDecimal value) {
    String problem = problem(value);
    if (problem != null) {
      throw new IllegalArgumentException("value " + problem);
    }
    return value.toPlainString();
  }

  /**
   * What keeps {@code value} from being a reading's value, worded to follow the field's name
   * ({@code "has 39 digits, more than 38"}), or null when it can be one. Never builds the plain
   * notation, and never quotes the value.
   */
  public static String problem(BigDecimal value) {
    // Counted as written out, so that 1E+63 and its 64 written digits are the same value: a
    // database that stores numbers (PostgreSQL) hands back the second for the first.
    long digits = value.scale() < 0 && value.signum() != 0
        ? (long) value.precision() - value.scale() : value.precision();
    if (digits > Reading.MAX_VALUE_DIGITS) {
      return "has " + digits + " digits, more than " + Reading.MAX_VALUE_DIGITS;
    }
    long length = plainLength(value);
    if (length > Reading.MAX_VALUE_LENGTH) {
      return "is " + length + " characters long written out, more than "
          + Reading.MAX_VALUE_LENGTH;
    }
    return null;
  }

  /** The length of {@code value.toPlainString()}, counted without forming it. */
  static long plainLength(BigDecimal value) {
    long sign = value.signum() < 0 ? 1 : 0;
    long digits = value.precision();
    long scale = value.scale();
    if (scale <= 0) {
      // Zero is written "0" whatever its negative scale; others get a zero per unit of it.
      return value.signum() == 0 ? 1 : sign + digits - scale;
    }
    // "0.000ddd" when every digit is behind the point, else "ddd.ddd".
    return scale >= digits ? sign + 2 + scale : sign + digits + 1;
  }
}

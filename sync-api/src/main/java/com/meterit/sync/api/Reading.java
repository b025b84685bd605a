package com.meterit.sync.api;

import com.meterit.sync.api.internal.PlainDecimal;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One meter reading, as stored in the local queue and sent to the Client System.
 *
 * <p>The value is an exact {@link BigDecimal}, kept with its scale end to end: readings are
 * billed, so {@code 1234.500} is sent as {@code 1234.500}. Instances are immutable and
 * thread-safe.
 */
public final class Reading {
  /** The longest meter id accepted: {@value}. */
  public static final int MAX_METER_ID_LENGTH = 128;
  /** The longest unit accepted: {@value}. */
  public static final int MAX_UNIT_LENGTH = 32;
  /** The longest quality flag accepted: {@value}. */
  public static final int MAX_QUALITY_LENGTH = 32;
  /**
   * The most digits a value may have written out, trailing zeros included, leading ones not
   * ({@code 1E+3} has four, {@code 0.0010} two): {@value}.
   */
  public static final int MAX_VALUE_DIGITS = 38;
  /**
   * The longest a value may be written out in plain notation ({@link BigDecimal#toPlainString()},
   * sign and point included): {@value} characters.
   */
  public static final int MAX_VALUE_LENGTH = 64;

  private final long id;
  private final String meterId;
  private final Instant timestamp;
  private final BigDecimal value;
  private final String unit;
  private final String quality;

  /**
   * Creates a reading.
   *
   * @param id the local id, unique within the source, positive
   * @param meterId the meter's id, not blank
   * @param timestamp when the meter was read
   * @param value the exact reading: at most {@value #MAX_VALUE_DIGITS} digits, and at most
   *     {@value #MAX_VALUE_LENGTH} characters written out in plain notation, so that every value
   *     can be sent (and digested) exactly as it is
   * @param unit the unit of the value, such as {@code kWh}, not blank
   * @param quality an optional quality flag, or {@code null}
   * @throws IllegalArgumentException naming the field, when a field is invalid
   * @throws NullPointerException naming the field, when a required field is null
   */
  public Reading(
      long id, String meterId, Instant timestamp, BigDecimal value, String unit, String quality) {
    if (id <= 0) {
      throw new IllegalArgumentException("id must be positive: " + id);
    }
    this.id = id;
    this.meterId = requireText(meterId, "meterId", MAX_METER_ID_LENGTH);
    this.timestamp = Objects.requireNonNull(timestamp, "timestamp");
    this.value = Objects.requireNonNull(value, "value");
    String problem = PlainDecimal.problem(value);
    if (problem != null) {
      throw new IllegalArgumentException("value " + problem);
    }
    this.unit = requireText(unit, "unit", MAX_UNIT_LENGTH);
    this.quality = quality == null ? null : requireText(quality, "quality", MAX_QUALITY_LENGTH);
  }

  /** Creates a reading without a quality flag. */
  public static Reading of(long id, String meterId, Instant timestamp, BigDecimal value, String unit) {
    return new Reading(id, meterId, timestamp, value, unit, null);
  }

  private static String requireText(String text, String field, int maxLength) {
    Objects.requireNonNull(text, field);
    if (text.isBlank()) {
      throw new IllegalArgumentException(field + " must not be blank");
    }
    if (text.length() > maxLength) {
      throw new IllegalArgumentException(
          field + " must be at most " + maxLength + " characters: " + text.length());
    }
    return text;
  }

  /** The local id, unique within its source. */
  public long id() {
    return id;
  }

  /** The meter's id. */
  public String meterId() {
    return meterId;
  }

  /** When the meter was read. */
  public Instant timestamp() {
    return timestamp;
  }

  /** The exact value, with the scale it was recorded with. */
  public BigDecimal value() {
    return value;
  }

  /** The unit of the value. */
  public String unit() {
    return unit;
  }

  /** The quality flag, if the collector set one. */
  public Optional<String> quality() {
    return Optional.ofNullable(quality);
  }

  /**
   * Equal readings have equal fields, and equal values with equal scale ({@code 1.50} is not
   * {@code 1.5}), because the scale is part of what is billed.
   */
  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Reading)) {
      return false;
    }
    Reading other = (Reading) o;
    return id == other.id
        && meterId.equals(other.meterId)
        && timestamp.equals(other.timestamp)
        && value.equals(other.value)
        && unit.equals(other.unit)
        && Objects.equals(quality, other.quality);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, meterId, timestamp, value, unit, quality);
  }

  @Override
  public String toString() {
    return "Reading{id=" + id + ", meterId=" + meterId + ", timestamp=" + timestamp
        + ", value=" + PlainDecimal.text(value) + ", unit=" + unit
        + (quality == null ? "" : ", quality=" + quality) + '}';
  }
}

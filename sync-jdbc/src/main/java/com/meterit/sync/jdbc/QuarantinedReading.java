package com.meterit.sync.jdbc;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A reading taken out of the queue for good, as stored: the raw column values (a reading may be
 * quarantined precisely because a value does not parse), the reason and the claim attempts.
 * Immutable and thread-safe.
 */
public final class QuarantinedReading {
  private final long id;
  private final String meterId;
  private final String readAt;
  private final Instant readAtInstant;
  private final String value;
  private final String unit;
  private final String quality;
  private final String reason;
  private final int attempts;

  QuarantinedReading(long id, String meterId, String readAt, Instant readAtInstant, String value,
      String unit, String quality, String reason, int attempts) {
    this.id = id;
    this.meterId = meterId;
    this.readAt = readAt;
    this.readAtInstant = readAtInstant;
    this.value = value;
    this.unit = unit;
    this.quality = quality;
    this.reason = Objects.requireNonNullElse(reason, "");
    this.attempts = attempts;
  }

  /**
   * The reading time as an instant, read as a claim reads it (ISO-8601 or SQL text, or a number
   * in the table's declared unit); empty when the stored value does not read as one, which
   * {@link #readAt()} then shows as stored.
   */
  public Optional<Instant> readAtInstant() {
    return Optional.ofNullable(readAtInstant);
  }

  /** The row's id. */
  public long id() {
    return id;
  }

  /** The meter id as stored, if readable. */
  public Optional<String> meterId() {
    return Optional.ofNullable(meterId);
  }

  /** The reading time as stored, if readable. */
  public Optional<String> readAt() {
    return Optional.ofNullable(readAt);
  }

  /** The value as stored, if readable. */
  public Optional<String> value() {
    return Optional.ofNullable(value);
  }

  /** The unit as stored, if readable. */
  public Optional<String> unit() {
    return Optional.ofNullable(unit);
  }

  /** The quality flag as stored, if any. */
  public Optional<String> quality() {
    return Optional.ofNullable(quality);
  }

  /** Why it was quarantined: the server's reason, or what was wrong with the row. */
  public String reason() {
    return reason;
  }

  /** How many times it was claimed. */
  public int attempts() {
    return attempts;
  }

  @Override
  public String toString() {
    return "QuarantinedReading{id=" + id + ", meterId=" + meterId + ", readAt=" + readAt
        + ", value=" + value + ", unit=" + unit + ", quality=" + quality + ", reason=" + reason
        + ", attempts=" + attempts + '}';
  }
}

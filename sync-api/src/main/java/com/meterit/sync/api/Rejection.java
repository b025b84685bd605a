package com.meterit.sync.api;

import java.util.Objects;

/**
 * A reading that was refused for good, with the reason. Immutable and thread-safe.
 */
public final class Rejection {
  /** Reasons longer than this are cut, so a verbose server cannot bloat the queue: {@value}. */
  public static final int MAX_REASON_LENGTH = 500;

  private final long readingId;
  private final String reason;

  /**
   * @param readingId the local id of the refused reading
   * @param reason why it was refused; cut to {@link #MAX_REASON_LENGTH} characters
   */
  public Rejection(long readingId, String reason) {
    Objects.requireNonNull(reason, "reason");
    this.readingId = readingId;
    this.reason = reason.length() > MAX_REASON_LENGTH ? reason.substring(0, MAX_REASON_LENGTH) : reason;
  }

  /** The local id of the refused reading. */
  public long readingId() {
    return readingId;
  }

  /** Why it was refused. */
  public String reason() {
    return reason;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Rejection
        && ((Rejection) o).readingId == readingId
        && ((Rejection) o).reason.equals(reason);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(readingId) * 31 + reason.hashCode();
  }

  @Override
  public String toString() {
    return "Rejection{readingId=" + readingId + ", reason=" + reason + '}';
  }
}

package com.meterit.sync.api;

import java.util.List;
import java.util.Objects;

/**
 * Readings sent to the Client System in one request, under an id derived from their content.
 *
 * <p>The id is a digest of every field of every reading, in order. A retry of the same readings,
 * in this process or after a restart, therefore carries the same id, which the server uses as the
 * {@code Idempotency-Key} to return the original outcome instead of counting the readings twice.
 * Immutable and thread-safe.
 */
public final class UploadBatch {
  private final String batchId;
  private final List<Reading> readings;

  private UploadBatch(List<Reading> readings) {
    this.readings = List.copyOf(readings);
    if (this.readings.isEmpty()) {
      throw new IllegalArgumentException("readings must not be empty");
    }
    this.batchId = digest(this.readings);
  }

  /**
   * @param readings the readings to send, at least one
   * @throws IllegalArgumentException when {@code readings} is empty
   */
  public static UploadBatch of(List<Reading> readings) {
    return new UploadBatch(Objects.requireNonNull(readings, "readings"));
  }

  /** The content-derived id: 32 lowercase hex characters. */
  public String batchId() {
    return batchId;
  }

  /** The readings, in the order they are sent. */
  public List<Reading> readings() {
    return readings;
  }

  /** The number of readings. */
  public int size() {
    return readings.size();
  }

  private static String digest(List<Reading> readings) {
    return BatchDigest.of(readings);
  }

  @Override
  public String toString() {
    return "UploadBatch{batchId=" + batchId + ", size=" + readings.size() + '}';
  }
}

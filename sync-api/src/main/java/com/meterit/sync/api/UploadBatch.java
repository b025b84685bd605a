package com.meterit.sync.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
    StringBuilder line = new StringBuilder(128);
    for (Reading r : readings) {
      line.setLength(0);
      // A separator that cannot occur in the fields keeps ("a","bc") apart from ("ab","c").
      line.append(r.id()).append('\u001f')
          .append(r.meterId()).append('\u001f')
          .append(r.timestamp()).append('\u001f')
          .append(r.value().toPlainString()).append('\u001f')
          .append(r.unit()).append('\u001f')
          .append(r.quality().orElse("")).append('\u001e');
      sha256.update(line.toString().getBytes(StandardCharsets.UTF_8));
    }
    byte[] hash = sha256.digest();
    char[] hex = new char[32];
    for (int i = 0; i < 16; i++) {
      hex[2 * i] = Character.forDigit((hash[i] >> 4) & 0xf, 16);
      hex[2 * i + 1] = Character.forDigit(hash[i] & 0xf, 16);
    }
    return new String(hex);
  }

  @Override
  public String toString() {
    return "UploadBatch{batchId=" + batchId + ", size=" + readings.size() + '}';
  }
}

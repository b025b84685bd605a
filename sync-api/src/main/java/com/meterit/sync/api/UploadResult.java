package com.meterit.sync.api;

import java.util.List;
import java.util.Objects;

/**
 * The server's answer to an upload: how many readings it accepted, and which it refused for good.
 * Every reading of the batch that is not listed as rejected was accepted. Immutable and
 * thread-safe.
 */
public final class UploadResult {
  private final String batchId;
  private final int acceptedCount;
  private final List<Rejection> rejected;
  private final long bytesSent;

  /**
   * @param batchId the id of the batch the server answered for
   * @param acceptedCount how many readings the server says it accepted
   * @param rejected the readings it refused for good, with reasons
   * @param bytesSent the size of the request body on the wire, for statistics; 0 if unknown
   */
  public UploadResult(String batchId, int acceptedCount, List<Rejection> rejected, long bytesSent) {
    this.batchId = Objects.requireNonNull(batchId, "batchId");
    if (acceptedCount < 0) {
      throw new IllegalArgumentException("acceptedCount must not be negative: " + acceptedCount);
    }
    if (bytesSent < 0) {
      throw new IllegalArgumentException("bytesSent must not be negative: " + bytesSent);
    }
    this.acceptedCount = acceptedCount;
    this.rejected = List.copyOf(Objects.requireNonNull(rejected, "rejected"));
    this.bytesSent = bytesSent;
  }

  /** The result of a batch the server accepted whole. */
  public static UploadResult acceptedAll(UploadBatch batch, long bytesSent) {
    return new UploadResult(batch.batchId(), batch.size(), List.of(), bytesSent);
  }

  /** The id of the batch answered for. */
  public String batchId() {
    return batchId;
  }

  /** How many readings the server says it accepted. */
  public int acceptedCount() {
    return acceptedCount;
  }

  /** The readings refused for good. */
  public List<Rejection> rejected() {
    return rejected;
  }

  /** The request body's size on the wire. */
  public long bytesSent() {
    return bytesSent;
  }

  @Override
  public String toString() {
    return "UploadResult{batchId=" + batchId + ", accepted=" + acceptedCount
        + ", rejected=" + rejected.size() + ", bytesSent=" + bytesSent + '}';
  }
}

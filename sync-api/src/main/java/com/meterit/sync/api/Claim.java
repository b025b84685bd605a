package com.meterit.sync.api;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One batch of readings held under a lease: the unit that is sent, settled, released or
 * re-formed. Obtained from {@link ReadingSource#claim(int)}.
 *
 * <p>A batch is recorded (journaled) by its source before it can be sent, and keeps its readings,
 * and so its {@linkplain UploadBatch#batchId() batch id}, until its outcome is settled. A claim is
 * one hold of that batch: when the batch is released, or its lease lapses, a later claim (of this
 * worker or another) holds the same batch again under a new {@link #key()}, and
 * {@link #resumed()} says that it may already have reached the server.
 *
 * <p>Immutable and thread-safe.
 */
public final class Claim {
  private static final Claim EMPTY = new Claim();

  private final String key;
  private final List<Reading> readings;
  private final UploadBatch batch;
  private final Instant leaseExpiresAt;
  private final boolean resumed;

  private Claim() {
    this.key = "";
    this.readings = List.of();
    this.batch = null;
    this.leaseExpiresAt = Instant.EPOCH;
    this.resumed = false;
  }

  /**
   * @param key the source's handle for this hold of the batch: what it needs to settle, release,
   *     re-form or renew it. Opaque to the engine, not blank, unique among live claims.
   * @param readings the batch's readings in the order they are sent, at least one
   * @param leaseExpiresAt when the batch may be taken by another claim unless renewed
   * @param resumed whether the batch was journaled before this claim, so that it may already have
   *     reached the server
   * @throws IllegalArgumentException when {@code key} is blank or {@code readings} is empty
   */
  public Claim(String key, List<Reading> readings, Instant leaseExpiresAt, boolean resumed) {
    this.key = Objects.requireNonNull(key, "key");
    if (key.isBlank()) {
      throw new IllegalArgumentException("key must not be blank");
    }
    this.batch = UploadBatch.of(Objects.requireNonNull(readings, "readings"));
    this.readings = batch.readings();
    this.leaseExpiresAt = Objects.requireNonNull(leaseExpiresAt, "leaseExpiresAt");
    this.resumed = resumed;
  }

  /** The claim of a source with nothing pending. */
  public static Claim empty() {
    return EMPTY;
  }

  /** The source's handle for this hold of the batch; empty for an empty claim. */
  public String key() {
    return key;
  }

  /** The batch's readings, in the order they are sent. */
  public List<Reading> readings() {
    return readings;
  }

  /**
   * The batch as it is sent, under its content-derived id.
   *
   * @throws IllegalStateException when the claim is empty
   */
  public UploadBatch batch() {
    if (batch == null) {
      throw new IllegalStateException("an empty claim has no batch");
    }
    return batch;
  }

  /** When the lease ends unless it is renewed. */
  public Instant leaseExpiresAt() {
    return leaseExpiresAt;
  }

  /** Whether the batch was journaled before this claim and may already have reached the server. */
  public boolean resumed() {
    return resumed;
  }

  /** Whether nothing was pending. */
  public boolean isEmpty() {
    return readings.isEmpty();
  }

  /** The number of readings in the batch. */
  public int size() {
    return readings.size();
  }

  @Override
  public String toString() {
    return isEmpty() ? "Claim{empty}"
        : "Claim{key=" + key + ", batchId=" + batch.batchId() + ", size=" + readings.size()
            + ", leaseExpiresAt=" + leaseExpiresAt + (resumed ? ", resumed" : "") + '}';
  }
}

package com.meterit.sync.core.internal.run;

import com.meterit.sync.api.Reading;
import com.meterit.sync.api.Rejection;
import com.meterit.sync.api.TransientGatewayException;
import com.meterit.sync.api.UploadBatch;
import com.meterit.sync.api.UploadResult;
import com.meterit.sync.core.internal.Redaction;
import java.util.Arrays;
import java.util.List;

/**
 * The server's answer to an upload, checked against the batch before anything is settled on its
 * word: the batch it names, the readings it rejects and the count it accepts must add up.
 */
final class UploadAnswers {
  /** The most of a batch id the server answered with that a message quotes: {@value}. */
  static final int MAX_QUOTED_BATCH_ID = 80;

  private UploadAnswers() {}

  /**
   * Refuses an answer that does not add up, so that nothing is acknowledged on the word of a
   * confused server. It counts as a transient failure: the readings stay queued.
   */
  static void check(UploadBatch batch, UploadResult result) {
    if (!batch.batchId().equals(result.batchId())) {
      // The server's text, quoted in logs, the history and the status: escaped and bounded.
      throw malformed("answered for batch "
          + Redaction.untrusted(result.batchId(), MAX_QUOTED_BATCH_ID) + " instead of "
          + batch.batchId());
    }
    int notRejected = batch.size() - checkRejected(batch, result.rejected());
    if (result.acceptedCount() != notRejected) {
      throw malformed("accepted " + result.acceptedCount() + " readings of batch "
          + batch.batchId() + " but " + notRejected + " were not rejected");
    }
  }

  /**
   * Checks that each rejected reading is in the batch and listed once, without a set of boxed ids
   * per batch: nearly every answer rejects nothing.
   *
   * @return how many were rejected
   */
  private static int checkRejected(UploadBatch batch, List<Rejection> rejected) {
    if (rejected.isEmpty()) {
      return 0;
    }
    long[] ids = new long[batch.size()];
    int n = 0;
    for (Reading r : batch.readings()) {
      ids[n++] = r.id();
    }
    Arrays.sort(ids);
    boolean[] listed = new boolean[ids.length];
    for (Rejection rejection : rejected) {
      int at = Arrays.binarySearch(ids, rejection.readingId());
      if (at < 0 || listed[at]) {
        throw malformed("rejected reading " + rejection.readingId()
            + ", which is not in batch " + batch.batchId() + " or was listed twice");
      }
      listed[at] = true;
    }
    return rejected.size();
  }

  private static TransientGatewayException malformed(String detail) {
    return new TransientGatewayException("malformed answer: the server " + detail, 0, null, null, null);
  }
}

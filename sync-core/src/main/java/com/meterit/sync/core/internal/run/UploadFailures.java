package com.meterit.sync.core.internal.run;

import com.meterit.sync.api.GatewayException;
import com.meterit.sync.api.GatewayTimeoutException;
import com.meterit.sync.api.TransientGatewayException;
import java.time.Duration;

/** What a failed upload says about when, and how hard, to try again. */
final class UploadFailures {
  /** A server's Retry-After longer than this is capped, so one bad header cannot park a run. */
  static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);

  private UploadFailures() {}

  /** The server's Retry-After, capped at {@link #MAX_RETRY_AFTER}; zero when it gave none. */
  static Duration retryAfter(GatewayException failure) {
    Duration retryAfter = failure instanceof TransientGatewayException
        ? ((TransientGatewayException) failure).retryAfter().orElse(Duration.ZERO)
        : Duration.ZERO;
    return retryAfter.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : retryAfter;
  }

  /**
   * A 409: a request with this batch's Idempotency-Key is still being processed (the IETF
   * Idempotency-Key draft), such as the attempt this one retries after a deadline.
   */
  static boolean isInProgress(GatewayException failure) {
    return failure.statusCode().orElse(0) == 409;
  }

  /** A 429 or 503 without a Retry-After: the server is full and leaves the pace to us. */
  static boolean isRefusedWithoutPace(GatewayException failure) {
    int status = failure.statusCode().orElse(0);
    return (status == 429 || status == 503)
        && !(failure instanceof TransientGatewayException
            && ((TransientGatewayException) failure).retryAfter().isPresent());
  }

  /** 429, 503 and timeouts say the link or the server takes less than is being sent. */
  static boolean isOverload(GatewayException failure) {
    int status = failure.statusCode().orElse(0);
    return status == 429 || status == 503 || failure instanceof GatewayTimeoutException;
  }
}

package com.meterit.sync.core;

import com.meterit.sync.api.AuthenticationExpiredException;
import com.meterit.sync.api.AuthenticationFailedException;
import com.meterit.sync.api.BackoffPolicy;
import com.meterit.sync.api.BatchRejectedException;
import com.meterit.sync.api.ClientSystemGateway;
import com.meterit.sync.api.GatewayException;
import com.meterit.sync.api.PayloadTooLargeException;
import com.meterit.sync.api.Reading;
import com.meterit.sync.api.Rejection;
import com.meterit.sync.api.SyncException;
import com.meterit.sync.api.TransientGatewayException;
import com.meterit.sync.api.UploadBatch;
import com.meterit.sync.api.UploadResult;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets one claimed batch through the gateway: retries transient failures under the backoff
 * policy, refreshes expired credentials once, halves a batch the server finds too large, and
 * bisects a batch it refuses whole so that only the offending readings are quarantined.
 *
 * <p>It never touches the source; every outcome goes to the {@link Sink}, so the caller decides
 * what is acknowledged, quarantined or released.
 */
final class BatchUploader {
  private static final Logger log = LoggerFactory.getLogger(BatchUploader.class);

  /** A server's Retry-After longer than this is capped, so one bad header cannot park a run. */
  static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);

  /** Receives what the server decided. */
  interface Sink {
    /** The server answered for a batch: every reading not rejected was accepted. */
    void answered(UploadBatch batch, UploadResult result);

    /** Readings refused for good without a per-reading answer (bisected down to one). */
    void quarantined(List<Rejection> rejections);
  }

  /** Told when the run starts and stops waiting, so the status can say BACKING_OFF. */
  interface BackoffObserver {
    void backingOff(Duration delay, GatewayException cause);

    void resumed();
  }

  private final ClientSystemGateway gateway;
  private final BackoffPolicy backoff;
  private final DoubleSupplier random;
  private final Sleeper sleeper;
  private final BooleanSupplier stopRequested;
  private final BackoffObserver observer;

  /** The largest batch the server took after a 413; shared by later runs. */
  private volatile int learnedMaxBatch = Integer.MAX_VALUE;

  BatchUploader(
      ClientSystemGateway gateway,
      BackoffPolicy backoff,
      DoubleSupplier random,
      Sleeper sleeper,
      BooleanSupplier stopRequested,
      BackoffObserver observer) {
    this.gateway = gateway;
    this.backoff = backoff;
    this.random = random;
    this.sleeper = sleeper;
    this.stopRequested = stopRequested;
    this.observer = observer;
  }

  /** The claim size to use: the configured one, unless the server taught us a smaller one. */
  int batchSizeFor(int configured) {
    return Math.min(configured, learnedMaxBatch);
  }

  /** Forgets the size learned from 413s, for example when a new configuration arrives. */
  void resetLearnedBatchSize() {
    learnedMaxBatch = Integer.MAX_VALUE;
  }

  /**
   * Uploads {@code readings}, splitting as the server demands, until each has an outcome.
   *
   * @throws StopRequestedException when stop() was called; the unsent rest stays unsettled
   * @throws SyncException when retries ran out or the server refuses this gateway; the unsent
   *     rest stays unsettled
   */
  void upload(List<Reading> readings, int maxRetries, Sink sink) {
    Deque<List<Reading>> parts = new ArrayDeque<>();
    parts.push(readings);
    while (!parts.isEmpty()) {
      checkStop();
      List<Reading> part = parts.pop();
      int limit = learnedMaxBatch;
      if (part.size() > limit) {
        pushHalves(parts, part, limit);
        continue;
      }
      UploadBatch batch = UploadBatch.of(part);
      try {
        sink.answered(batch, sendWithRetries(batch, maxRetries));
      } catch (PayloadTooLargeException e) {
        if (part.size() == 1) {
          sink.quarantined(List.of(new Rejection(part.get(0).id(),
              "payload too large even alone: " + e.getMessage())));
        } else {
          learnedMaxBatch = Math.max(1, part.size() / 2);
          log.info("Server refused {} readings as too large; batches are now at most {}",
              part.size(), learnedMaxBatch);
          pushHalves(parts, part, learnedMaxBatch);
        }
      } catch (BatchRejectedException e) {
        if (part.size() == 1) {
          sink.quarantined(List.of(new Rejection(part.get(0).id(), e.getMessage())));
        } else {
          log.debug("Server refused batch {} of {} whole; bisecting", batch.batchId(), part.size());
          pushHalves(parts, part, (part.size() + 1) / 2);
        }
      }
    }
  }

  /** Pushes {@code part} back as consecutive slices of at most {@code size}, oldest on top. */
  private static void pushHalves(Deque<List<Reading>> parts, List<Reading> part, int size) {
    int slices = (part.size() + size - 1) / size;
    for (int i = slices - 1; i >= 0; i--) {
      parts.push(part.subList(i * size, Math.min(part.size(), (i + 1) * size)));
    }
  }

  private UploadResult sendWithRetries(UploadBatch batch, int maxRetries) {
    int retries = 0;
    boolean refreshedCredentials = false;
    boolean mustAuthenticate = false;
    Duration previousDelay = Duration.ZERO;
    while (true) {
      GatewayException failure;
      try {
        if (mustAuthenticate) {
          gateway.authenticate();
          mustAuthenticate = false;
        }
        UploadResult result = gateway.uploadBatch(batch);
        checkAnswer(batch, result);
        return result;
      } catch (AuthenticationExpiredException e) {
        if (refreshedCredentials) {
          throw new AuthenticationFailedException(
              "credentials expired again right after a refresh", 0, null);
        }
        refreshedCredentials = true;
        mustAuthenticate = true;
        log.info("Credentials expired; authenticating again");
        continue;
      } catch (PayloadTooLargeException | BatchRejectedException | AuthenticationFailedException e) {
        throw e;
      } catch (TransientGatewayException e) {
        failure = e;
      } catch (GatewayException e) {
        if (!e.isTransient()) {
          throw e;
        }
        failure = e;
      } catch (RuntimeException e) {
        // A host's gateway may throw anything; the readings are still ours, so treat it as passing.
        failure = new TransientGatewayException("gateway failed: " + e, e);
      }
      retries++;
      if (retries > maxRetries) {
        throw new SyncException("upload of batch " + batch.batchId() + " failed after "
            + maxRetries + " retries: " + failure.getMessage(), failure);
      }
      Duration delay = backoff.delay(retries, previousDelay, random.getAsDouble());
      previousDelay = delay;
      Duration retryAfter = failure instanceof TransientGatewayException
          ? ((TransientGatewayException) failure).retryAfter().orElse(Duration.ZERO)
          : Duration.ZERO;
      if (retryAfter.compareTo(MAX_RETRY_AFTER) > 0) {
        retryAfter = MAX_RETRY_AFTER;
      }
      if (retryAfter.compareTo(delay) > 0) {
        delay = retryAfter;
      }
      log.debug("Upload of batch {} failed ({}); retry {} of {} in {}",
          batch.batchId(), failure.getMessage(), retries, maxRetries, delay);
      pause(delay, failure);
    }
  }

  private void pause(Duration delay, GatewayException cause) {
    checkStop();
    observer.backingOff(delay, cause);
    try {
      sleeper.sleep(delay);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StopRequestedException();
    } finally {
      observer.resumed();
    }
    checkStop();
  }

  private void checkStop() {
    if (stopRequested.getAsBoolean()) {
      throw new StopRequestedException();
    }
  }

  /**
   * Refuses an answer that does not add up, so that nothing is acknowledged on the word of a
   * confused server. It counts as a transient failure: the readings stay queued.
   */
  private static void checkAnswer(UploadBatch batch, UploadResult result) {
    if (!batch.batchId().equals(result.batchId())) {
      throw malformed("answered for batch " + result.batchId() + " instead of " + batch.batchId());
    }
    Set<Long> ids = new HashSet<>();
    for (Reading r : batch.readings()) {
      ids.add(r.id());
    }
    for (Rejection rejection : result.rejected()) {
      if (!ids.remove(rejection.readingId())) {
        throw malformed("rejected reading " + rejection.readingId()
            + ", which is not in batch " + batch.batchId() + " or was listed twice");
      }
    }
    if (result.acceptedCount() != ids.size()) {
      throw malformed("accepted " + result.acceptedCount() + " readings of batch "
          + batch.batchId() + " but " + ids.size() + " were not rejected");
    }
  }

  private static TransientGatewayException malformed(String detail) {
    return new TransientGatewayException("malformed answer: the server " + detail, 0, null, null, null);
  }
}

package com.meterit.sync.core.internal.run;

import com.meterit.sync.api.AuthenticationExpiredException;
import com.meterit.sync.api.AuthenticationFailedException;
import com.meterit.sync.api.BackoffPolicy;
import com.meterit.sync.api.BatchRejectedException;
import com.meterit.sync.api.Claim;
import com.meterit.sync.api.ClientSystemGateway;
import com.meterit.sync.api.GatewayException;
import com.meterit.sync.api.LeaseLostException;
import com.meterit.sync.api.PayloadTooLargeException;
import com.meterit.sync.api.Reading;
import com.meterit.sync.api.Rejection;
import com.meterit.sync.api.SyncException;
import com.meterit.sync.api.TransientGatewayException;
import com.meterit.sync.api.UploadBatch;
import com.meterit.sync.api.UploadResult;
import com.meterit.sync.api.UploadsRefusedException;
import com.meterit.sync.core.time.Sleeper;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets one claimed batch through the gateway: retries transient failures under the backoff
 * policy, refreshes expired credentials (a bounded burst, then a backoff), halves a batch the server finds too large, and
 * bisects a batch it refuses whole so that only the offending readings are quarantined.
 *
 * <p>A batch is sent only as it was journaled. Splitting and bisecting happen only after the
 * server refused a batch outright (413, whole-batch 400/422), which means it recorded nothing:
 * the parts are journaled as batches of their own ({@link Sink#reform}) before they are sent. A
 * single reading refused alone is quarantined only on evidence that the server takes other
 * uploads (see {@link Refusals}). A 409 is no refusal: it says a request with the batch's key is
 * still being processed, so the same batch is sent again, under the same key, after a backoff;
 * after {@code maxInProgressRetries} such answers it is set aside, still journaled, for a later
 * run ({@link Refusals#setAsideInProgress}).
 *
 * <p>It never touches the source; every outcome goes to the {@link Sink}, so the caller decides
 * how it is applied.
 */
public final class BatchUploader {
  private static final Logger log = LoggerFactory.getLogger(BatchUploader.class);

  /**
   * The most credential refreshes in a row for one batch before a backoff: {@value}. Enough for
   * credentials revoked twice while the batch was in flight.
   */
  static final int MAX_REFRESHES_PER_BURST = 3;

  /**
   * The longest a run waits, in all, for the server to finish a batch it answers 409 for: 1
   * minute. The run cannot end while one of its batches waits, so a longer wait (a large
   * Retry-After on a 409) would hold back every reading written meanwhile; past it the batch is
   * set aside at once, and a later run asks again.
   */
  static final Duration MAX_IN_PROGRESS_WAIT = Duration.ofMinutes(1);

  /** Applies what the server decided to the held batches. */
  interface Sink {
    /**
     * Called before every send of a batch.
     *
     * @throws LeaseLostException when the batch was taken over, so it must not be sent from here
     */
    void beforeSend(Claim batch);

    /** The server answered for a batch: every reading not rejected was accepted. */
    void answered(Claim batch, UploadResult result);

    /** Replaces a batch the server refused outright by journaled parts, held from now on. */
    List<Claim> reform(Claim batch, List<List<Reading>> parts);

    /** A single-reading batch refused whole, now known to be poisoned: quarantined. */
    void quarantined(Claim batch, Rejection rejection);

    /** A batch that stays unsettled: given back, still journaled. */
    void unsent(Claim batch);
  }

  private final ClientSystemGateway gateway;
  private final BackoffPolicy backoff;
  private final DoubleSupplier random;
  private final Sleeper sleeper;
  private final StopSignal stop;
  private final BackoffObserver observer;
  private final UploadWindow window;
  private final int maxInProgressRetries;
  private final LearnedBatchSize learnedBatchSize;

  public BatchUploader(
      ClientSystemGateway gateway,
      BackoffPolicy backoff,
      DoubleSupplier random,
      Sleeper sleeper,
      StopSignal stop,
      BackoffObserver observer,
      UploadWindow window,
      int maxInProgressRetries,
      LearnedBatchSize learnedBatchSize) {
    this.gateway = gateway;
    this.backoff = backoff;
    this.random = random;
    this.sleeper = sleeper;
    this.stop = stop;
    this.observer = observer;
    this.window = window;
    this.maxInProgressRetries = maxInProgressRetries;
    this.learnedBatchSize = learnedBatchSize;
  }

  /** The claim size to use: the configured one, unless the server taught us a smaller one. */
  int batchSizeFor(int configured) {
    return learnedBatchSize.limit(configured);
  }

  /**
   * Ends a run's refusals ({@link Refusals#finish}). A run that ends refused forgets the size
   * learned from 413s, as one refused during an upload does: in a refusal of everything they
   * prove nothing.
   */
  void finish(Refusals refusals, Sink sink) {
    try {
      refusals.finish(sink);
    } catch (UploadsRefusedException e) {
      learnedBatchSize.forget();
      throw e;
    }
  }

  /**
   * Uploads the claimed batch, splitting as the server demands, until each part has an outcome.
   * Whatever is left unsettled when it throws has been given to {@link Sink#unsent}.
   *
   * @throws StopRequestedException when stop() was called
   * @throws SyncException when retries ran out, the server refuses this gateway, or it refuses
   *     everything ({@link com.meterit.sync.api.UploadsRefusedException})
   */
  void upload(Claim claim, int maxRetries, Refusals refusals, Sink sink) {
    Deque<Claim> parts = new ArrayDeque<>();
    parts.push(claim);
    try {
      while (!parts.isEmpty()) {
        stop.check();
        Claim part = parts.peek();
        int learned = learnedBatchSize.current();
        if (!part.resumed() && part.size() > learned) {
          // Formed by this hold and never sent, so it can still be cut to the size learned from
          // a 413 meanwhile, sparing a request that would be refused.
          split(parts, learned, sink);
          continue;
        }
        UploadResult result;
        try {
          result = sendWithRetries(part, maxRetries, refusals, sink);
          sink.answered(part, result);
        } catch (PayloadTooLargeException e) {
          refusals.refused(e);
          if (part.size() == 1) {
            refusedAlone(parts, "payload too large even alone: " + e.getMessage(), refusals, sink);
          } else {
            int smaller = learnedBatchSize.tooLarge(part.size());
            log.info("Server refused {} readings as too large; batches are now at most {}",
                part.size(), smaller);
            split(parts, smaller, sink);
          }
          setAsideIfOverBudget(parts, refusals);
          continue;
        } catch (BatchRejectedException e) {
          refusals.refused(e);
          if (part.size() == 1) {
            refusedAlone(parts, e.getMessage(), refusals, sink);
          } else {
            log.debug("Server refused batch {} of {} whole; bisecting",
                part.batch().batchId(), part.size());
            split(parts, (part.size() + 1) / 2, sink);
          }
          setAsideIfOverBudget(parts, refusals);
          continue;
        } catch (LeaseLostException e) {
          lost(e);
          parts.pop();
          continue;
        } catch (StillInProgressException e) {
          // Its readings may be recorded under its key any moment: it waits, whole and held,
          // while the run goes on with the batches behind it.
          log.info("{}; set aside, still journaled, for a later run under the same key",
              e.getMessage());
          parts.pop();
          refusals.setAsideInProgress(part);
          continue;
        }
        parts.pop();
        if (result.acceptedCount() > 0 && !part.resumed()) {
          // The server takes uploads now: each suspect goes out alone once more.
          for (Claim suspect : refusals.acceptedFresh()) {
            parts.push(suspect);
          }
        } else if (result.acceptedCount() > 0) {
          refusals.acceptedResumed();
        }
      }
    } catch (UploadsRefusedException e) {
      // The sizes learned from 413s in a refusal of everything prove nothing.
      learnedBatchSize.forget();
      throw e;
    } finally {
      for (Claim left : parts) {
        sink.unsent(left);
      }
    }
  }

  /** A bisection out of budget: the rest of the batch waits while the run looks further on. */
  private static void setAsideIfOverBudget(Deque<Claim> parts, Refusals refusals) {
    if (refusals.overBudget() && !parts.isEmpty()) {
      log.info("{} part(s) of a batch refused again and again are set aside for a later run; "
          + "looking for an upload the server takes", parts.size());
      refusals.setAside(new ArrayList<>(parts));
      parts.clear();
    }
  }

  private static void lost(LeaseLostException e) {
    // Another claim holds the batch now, and sends and settles it.
    log.info("{}", e.getMessage());
  }

  /** A single reading refused whole: poisoned if refused again after an acceptance. */
  private static void refusedAlone(Deque<Claim> parts, String reason, Refusals refusals,
      Sink sink) {
    Claim part = parts.peek();
    Rejection poisoned = refusals.refusedAlone(part, reason);
    parts.pop();
    if (poisoned != null) {
      try {
        sink.quarantined(part, poisoned);
      } catch (LeaseLostException e) {
        lost(e);
      } catch (RuntimeException e) {
        sink.unsent(part);
        throw e;
      }
    }
  }

  /**
   * Replaces the head of {@code parts} by two journaled parts: its first {@code size} readings,
   * and the rest, which is cut again when it comes up. Two at a time, so that a run that ends
   * early leaves a few parts behind, not a thousand single readings.
   */
  private static void split(Deque<Claim> parts, int size, Sink sink) {
    List<Reading> readings = parts.peek().readings();
    List<List<Reading>> halves = List.of(readings.subList(0, size),
        readings.subList(size, readings.size()));
    List<Claim> formed;
    try {
      formed = sink.reform(parts.peek(), halves);
    } catch (LeaseLostException e) {
      lost(e);
      parts.pop();
      return;
    }
    parts.pop();
    for (int i = formed.size() - 1; i >= 0; i--) {
      parts.push(formed.get(i));
    }
  }

  private UploadResult sendWithRetries(Claim claim, int maxRetries, Refusals refusals,
      Sink sink) {
    UploadBatch batch = claim.batch();
    RetryDecisions decisions = new RetryDecisions(backoff, random, maxRetries,
        maxInProgressRetries, MAX_IN_PROGRESS_WAIT);
    int refreshes = 0;
    boolean mustAuthenticate = false;
    while (true) {
      GatewayException failure;
      // For an overload before the send (the credentials' exchange): the window counts it as of
      // this attempt.
      long sentAt = window.now();
      try {
        if (mustAuthenticate) {
          gateway.authenticate();
          mustAuthenticate = false;
        }
        window.awaitPause();
        sink.beforeSend(claim);
        sentAt = window.sending();
        UploadResult result = gateway.uploadBatch(batch);
        UploadAnswers.check(batch, result);
        window.answered(sentAt);
        return result;
      } catch (AuthenticationExpiredException e) {
        // Only these credentials are no good (expired, revoked while in flight): the gateway's
        // own authenticate() says whether the key is. Bounded per burst, then a backoff, so that
        // a server refusing every token cannot make this loop.
        if (refreshes < MAX_REFRESHES_PER_BURST) {
          refreshes++;
          mustAuthenticate = true;
          log.info("Credentials expired; authenticating again");
          continue;
        }
        refreshes = 0;
        failure = e;
      } catch (BatchRejectedException e) {
        if (!UploadFailures.isInProgress(e)) {
          throw e;
        }
        // A host's gateway may map a 409 as a refusal; it is none, and must not free readings.
        failure = e;
      } catch (PayloadTooLargeException | AuthenticationFailedException
          | UploadsRefusedException | LeaseLostException | StopRequestedException e) {
        // Neither a lost lease (the batch is another claim's now) nor a stop is the gateway's
        // failure.
        throw e;
      } catch (TransientGatewayException e) {
        failure = e;
      } catch (GatewayException e) {
        if (!e.isTransient()) {
          throw e;
        }
        failure = e;
      } catch (Exception e) {
        // A host's gateway may throw anything, a checked exception it did not declare included;
        // the readings are still ours, so treat it as passing. Only the type is quoted: its
        // message may carry a secret into the logs and the history.
        failure = new TransientGatewayException("gateway failed: " + e.getClass().getName(), e);
      }
      RetryDecisions.Decision decision = decisions.after(failure, refusals.acceptedAny());
      switch (decision.kind) {
        case SET_ASIDE_IN_PROGRESS:
          throw new StillInProgressException(batch.batchId(), decision.count);
        case END_RUN_OVERLOADED:
          // The run ends; OverloadPacing times the next.
          window.overloaded(sentAt);
          throw new ServerOverloadedException(batch.batchId(), failure);
        case GIVE_UP:
          throw new SyncException("upload of batch " + batch.batchId() + " failed after "
              + decision.count + " retries: " + withoutBatch(failure.getMessage(),
              batch.batchId()), failure);
        case ASK_AGAIN:
          log.debug("Batch {} is still being processed by the server; asking again in {} "
              + "({} of {})", batch.batchId(), decision.delay, decision.count,
              maxInProgressRetries);
          break;
        default:
          if (!decision.pauseEverySend.isZero()) {
            window.pauseFor(decision.pauseEverySend);
          }
          if (decision.overload) {
            window.overloaded(sentAt);
          }
          log.debug("Upload of batch {} failed ({}); retry {} of {} in {}",
              batch.batchId(), failure.getMessage(), decision.count, maxRetries, decision.delay);
      }
      pause(decision.delay, failure);
    }
  }

  /**
   * The gateway's reason without the batch it names again: its HTTP gateway says "upload of batch
   * 5f49... failed: why", and the run's error already begins so.
   */
  static String withoutBatch(String reason, String batchId) {
    String named = "upload of batch " + batchId;
    if (reason == null || !reason.startsWith(named)) {
      return reason;
    }
    String rest = reason.substring(named.length());
    return rest.startsWith(" failed: ") ? rest.substring(" failed: ".length())
        : rest.startsWith(": ") ? rest.substring(2) : reason;
  }

  private void pause(Duration delay, GatewayException cause) {
    stop.check();
    observer.backingOff(delay, cause);
    try {
      sleeper.sleep(delay);
    } catch (InterruptedException e) {
      throw StopSignal.interrupted();
    } finally {
      observer.resumed();
    }
    stop.check();
  }


  /** The server kept answering 409 for a batch: it is set aside, still journaled. */
  static final class StillInProgressException extends SyncException {
    private static final long serialVersionUID = 1L;

    StillInProgressException(String batchId, int answers) {
      super("the Client System answered " + answers + " times that batch " + batchId
          + " is still being processed (HTTP 409)");
    }
  }
}

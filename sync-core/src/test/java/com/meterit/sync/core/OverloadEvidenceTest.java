package com.meterit.sync.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.api.BackoffPolicy;
import com.meterit.sync.api.Claim;
import com.meterit.sync.api.ClientSystemGateway;
import com.meterit.sync.api.Heartbeat;
import com.meterit.sync.api.HeartbeatReply;
import com.meterit.sync.api.Reading;
import com.meterit.sync.api.RemoteConfig;
import com.meterit.sync.api.SyncState;
import com.meterit.sync.api.TransientGatewayException;
import com.meterit.sync.api.UploadBatch;
import com.meterit.sync.api.UploadResult;
import com.meterit.sync.core.testing.Harness;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The edges of "a 429 or 503 without Retry-After ends the run; the next comes 0.9 to 1.2
 * intervals later" ({@link OverloadPacingTest}): what is and is not taken as overload, or as a
 * refusal of everything, and what may not bring the next run sooner.
 */
class OverloadEvidenceTest {
  private static final Duration INTERVAL = SyncManager.DEFAULT_SYNC_INTERVAL;

  private final Harness h = new Harness();

  private static TransientGatewayException full() {
    return new TransientGatewayException("busy", 503, null, null, null);
  }

  /**
   * Bisection isolated reading 3; the server accepted [4], so 3 goes out alone once more, and
   * that retrial meets a bare 503. The run has had an upload accepted, so this is a burst, not a
   * full server: it is retried within the run, and 3, refused again, is quarantined. (Ending the
   * run here, as the first version did, left 3 to a run of resumed batches only.)
   */
  @Test
  void aBareOverloadAfterAnAcceptanceInTheRunIsRetriedAsABurst() {
    h.source().addSample(8);
    h.gateway().rejectBatchesContaining(r -> r.id() == 3);
    AtomicInteger sendsOfThree = new AtomicInteger();
    h.gateway().beforeUpload(batch -> {
      if (batch.size() == 1 && batch.readings().get(0).id() == 3
          && sendsOfThree.incrementAndGet() == 2) {
        throw full();
      }
    });
    SyncManager manager = h.builder().setBatchSize(8).build();
    manager.start();

    assertEquals(List.of(Duration.ofSeconds(10)), h.sleeps(), "one backoff, within the run");
    assertEquals(7, h.source().syncedIds().size());
    assertEquals(Set.of(3L), h.source().quarantined().keySet(), "the poisoned reading");
    assertEquals(Map.of(), h.gateway().readingsInTwoBatches());
    assertNotEquals(SyncState.REFUSED, manager.getStatus().state());
  }

  /**
   * A run of resumed batches only (an earlier run, or process, journaled them): the server
   * refuses [3] alone and takes the rest. An acceptance of a resumed batch may be a replay, so no
   * evidence against 3; but the server takes uploads, so the run is no "refusal of everything".
   */
  @Test
  void aRunOfResumedBatchesThatTheServerTakesIsNotARefusalOfEverything() {
    List<Reading> readings = h.source().addSample(8);
    Claim all = h.source().claim(8);
    List<Reading> rest = new ArrayList<>(readings);
    Reading three = rest.remove(2);
    for (Claim part : h.source().reform(all, List.of(List.of(three), rest))) {
      h.source().release(part);
    }
    h.gateway().rejectBatchesContaining(r -> r.id() == three.id());
    SyncManager manager = h.builder().build();
    manager.start();

    assertEquals(7, h.source().syncedIds().size(), "the resumed rest was accepted");
    assertNotEquals(SyncState.REFUSED, manager.getStatus().state(),
        String.valueOf(manager.getStatus().lastError().orElse(null)));
    assertEquals(Map.of(), h.source().quarantined(), "a replay proves nothing against 3");
    assertEquals(1, h.source().pendingCount());

    h.source().addSample(1);
    manager.triggerSync().join();
    assertEquals(Set.of(three.id()), h.source().quarantined().keySet(), "after a fresh acceptance");
    assertEquals(8, h.source().syncedIds().size());
  }

  /** The fake behind a load balancer whose health answer the test sets. */
  private static final class Fronted implements ClientSystemGateway {
    private final ClientSystemGateway delegate;
    final AtomicBoolean healthy = new AtomicBoolean(true);

    Fronted(ClientSystemGateway delegate) {
      this.delegate = delegate;
    }

    @Override
    public boolean testConnection() {
      return healthy.get() && delegate.testConnection();
    }

    @Override
    public void authenticate() {
      delegate.authenticate();
    }

    @Override
    public UploadResult uploadBatch(UploadBatch batch) {
      return delegate.uploadBatch(batch);
    }

    @Override
    public Optional<RemoteConfig> downloadConfig() {
      return delegate.downloadConfig();
    }

    @Override
    public HeartbeatReply sendHeartbeat(Heartbeat heartbeat) {
      return delegate.sendHeartbeat(heartbeat);
    }
  }

  /**
   * A full server (or its load balancer) answers the health probe with a 503 too, which
   * HttpClientSystemGateway.testConnection reads as unreachable. The failed run asks for a probe
   * at once (probeSoon); it fails; the next one passes a few seconds later, and the reconnection
   * replaces the paced run by one at a random point of the reconnect spread: 0 to 1 interval,
   * the very spread docs/fleet.md measured as doubling the offered rate.
   */
  @Test
  void aFullServerWhoseHealthCheckAlsoSays503DoesNotBringTheNextRunSooner() {
    h.source().addSample(5);
    Fronted fronted = new Fronted(h.gateway());
    h.gateway().failNextUploads(full());
    SyncManager manager = h.builder().setGateway(fronted)
        .setConnectivityBackoff(BackoffPolicy.fixed(Duration.ofSeconds(5))).build();
    fronted.healthy.set(false); // full: the first probe has not run yet; the next says 503
    manager.start();
    Instant refusedAt = h.clock().instant();
    assertEquals(1, h.gateway().uploads().size());
    h.scheduler().advance(Duration.ofSeconds(1)); // the probe after the failed run: 503
    assertFalse(manager.getStatus().isConnected());
    fronted.healthy.set(true);
    h.scheduler().advance(Duration.ofSeconds(5)); // the next probe passes

    Instant next = manager.getStatus().nextScheduledRun().orElseThrow();
    assertTrue(!next.isBefore(refusedAt.plus(INTERVAL.multipliedBy(9).dividedBy(10))),
        "documented: the next run 0.9 to 1.2 intervals after the bare 503; it is "
            + Duration.between(refusedAt, next) + " after it");
  }
}

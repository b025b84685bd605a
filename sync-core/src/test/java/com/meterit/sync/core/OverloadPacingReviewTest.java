package com.meterit.sync.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.api.BackoffPolicy;
import com.meterit.sync.api.ClientSystemGateway;
import com.meterit.sync.api.Heartbeat;
import com.meterit.sync.api.HeartbeatReply;
import com.meterit.sync.api.RemoteConfig;
import com.meterit.sync.api.SyncState;
import com.meterit.sync.api.TransientGatewayException;
import com.meterit.sync.api.UploadBatch;
import com.meterit.sync.api.UploadResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Review of "a 429 or 503 without Retry-After ends the run; the next comes 0.9 to 1.2 intervals
 * later" (OverloadPacing). Both tests fail on the change as committed.
 */
class OverloadPacingReviewTest {
  private static final Duration INTERVAL = SyncManager.DEFAULT_SYNC_INTERVAL;

  private final Harness h = new Harness();

  private static TransientGatewayException full() {
    return new TransientGatewayException("busy", 503, null, null, null);
  }

  /**
   * Bisection isolated reading 3; the server accepted [4], so 3 goes out alone once more, and
   * that retrial meets a full server (bare 503). Before the change it was retried and
   * quarantined in the same run. Now the run ends; the next run holds only resumed batches, and
   * an acceptance of a resumed batch proves nothing to Refusals, so the lone refusal of 3 ends
   * that run as "the Client System refused every upload" (state REFUSED, health FAILING), though
   * the server accepted [5..8] in it, and 3 is never quarantined while no fresh reading arrives.
   */
  @Test
  void aBareOverloadOnASuspectsRetrialDoesNotTurnIntoARefusalOfEverything() {
    h.source.addSample(8);
    h.gateway.rejectBatchesContaining(r -> r.id() == 3);
    AtomicInteger sendsOfThree = new AtomicInteger();
    h.gateway.beforeUpload(batch -> {
      if (batch.size() == 1 && batch.readings().get(0).id() == 3
          && sendsOfThree.incrementAndGet() == 2) {
        throw full();
      }
    });
    SyncManager manager = h.builder().setBatchSize(8).build();
    manager.start();
    assertEquals(List.of(1L, 2L, 4L), h.source.syncedIds());
    assertEquals(Map.of(), h.source.quarantined());

    h.scheduler.advance(INTERVAL.multipliedBy(2)); // the paced run, and one more
    assertEquals(7, h.source.syncedIds().size(), "[5..8] was accepted");
    assertEquals(Map.of(), h.gateway.readingsInTwoBatches());
    // The server takes uploads: it does not refuse everything.
    assertNotEquals(SyncState.REFUSED, manager.getStatus().state(),
        String.valueOf(manager.getStatus().lastError().orElse(null)));
    // An acceptance of a resumed batch may be a replay: no evidence against 3 yet. It waits,
    // queued, for a fresh acceptance.
    assertEquals(Map.of(), h.source.quarantined());
    assertEquals(1, h.source.pendingCount());

    h.source.addSample(1);
    manager.triggerSync().join();
    assertEquals(Set.of(3L), h.source.quarantined().keySet(), "the poisoned reading");
    assertEquals(8, h.source.syncedIds().size());
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
    h.source.addSample(5);
    Fronted fronted = new Fronted(h.gateway);
    h.gateway.failNextUploads(full());
    SyncManager manager = h.builder().setGateway(fronted)
        .setConnectivityBackoff(BackoffPolicy.fixed(Duration.ofSeconds(5))).build();
    fronted.healthy.set(false); // full: the first probe has not run yet; the next says 503
    manager.start();
    Instant refusedAt = h.clock.instant();
    assertEquals(1, h.gateway.uploads().size());
    h.scheduler.advance(Duration.ofSeconds(1)); // the probe after the failed run: 503
    assertFalse(manager.getStatus().isConnected());
    fronted.healthy.set(true);
    h.scheduler.advance(Duration.ofSeconds(5)); // the next probe passes

    Instant next = manager.getStatus().nextScheduledRun().orElseThrow();
    assertTrue(!next.isBefore(refusedAt.plus(INTERVAL.multipliedBy(9).dividedBy(10))),
        "documented: the next run 0.9 to 1.2 intervals after the bare 503; it is "
            + Duration.between(refusedAt, next) + " after it");
  }
}

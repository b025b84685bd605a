package com.meterit.sync.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.api.ClientSystemGateway;
import com.meterit.sync.api.Heartbeat;
import com.meterit.sync.api.HeartbeatReply;
import com.meterit.sync.api.SyncState;
import com.meterit.sync.api.UploadBatch;
import com.meterit.sync.api.UploadResult;
import com.meterit.sync.core.testing.ForwardingReadingSource;
import com.meterit.sync.core.testing.Harness;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** start(), stop() and the background work around runs. */
class LifecycleTest {
  private final Harness h = new Harness();

  @Test
  void aStopRacingStartDoesNotThrowOutOfStart() {
    AtomicReference<SyncManager> manager = new AtomicReference<>();
    ForwardingReadingSource stopsDuringStart = new ForwardingReadingSource(h.source()) {
      @Override
      public int recoverClaims() {
        manager.get().stop();
        return super.recoverClaims();
      }
    };
    manager.set(SyncManager.builder().setSource(stopsDuringStart).setGateway(h.gateway()).setClock(h.clock())
        .setScheduler(h.scheduler()).setExecutor(Runnable::run)
        .setBackgroundExecutor(Runnable::run).build());
    h.source().addSample(3);

    manager.get().start();
    manager.get().stop().join();
    h.scheduler().advance(Duration.ofHours(1));
    assertEquals(SyncState.STOPPED, manager.get().getStatus().state());
    assertEquals(0, h.gateway().probes());
    assertEquals(0, h.gateway().uploads().size());
    assertEquals(0, h.gateway().heartbeats().size());
  }

  @Test
  void aStalledHeartbeatHoldsUpNeitherTheTimersNorTheRuns() {
    Deque<Runnable> background = new ArrayDeque<>();
    ClientSystemGateway neverAnswersHeartbeats = new ClientSystemGateway() {
      @Override
      public boolean testConnection() {
        return true;
      }

      @Override
      public UploadResult uploadBatch(UploadBatch batch) {
        return h.gateway().uploadBatch(batch);
      }

      @Override
      public HeartbeatReply sendHeartbeat(Heartbeat heartbeat) {
        throw new AssertionError("a heartbeat must not run on the scheduler's thread");
      }
    };
    SyncManager manager = SyncManager.builder().setSource(h.source()).setGateway(neverAnswersHeartbeats)
        .setClock(h.clock()).setScheduler(h.scheduler()).setExecutor(Runnable::run)
        .setBackgroundExecutor(background::add)
        .setSyncInterval(Duration.ofMinutes(1)).build();
    manager.start();
    h.source().addSample(10);
    h.scheduler().advance(Duration.ofMinutes(5));

    assertEquals(10, h.source().syncedIds().size(), "the sync timer fired");
    assertTrue(background.size() >= 2, "the first heartbeat and the first probe, handed over");
    manager.stop().join();
  }

  @Test
  void theHeartbeatFollowsAConfigurationsNewInterval() {
    SyncManager manager = h.builder().build();
    manager.start();
    h.scheduler().runDueTasks();
    assertEquals(1, h.gateway().heartbeats().size());
    h.gateway().setRemoteConfig(new com.meterit.sync.api.RemoteConfig(
        "v2", null, null, null, Duration.ofSeconds(10)));
    h.scheduler().advance(SyncManager.DEFAULT_HEARTBEAT_INTERVAL);
    int afterApply = h.gateway().heartbeats().size();
    h.scheduler().advance(Duration.ofSeconds(30));
    assertEquals(afterApply + 3, h.gateway().heartbeats().size(), "every 10 s now");
    assertTrue(manager.getStatus().appliedConfigVersion().isPresent());
  }
}

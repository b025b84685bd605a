package com.meterit.sync.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.api.Heartbeat;
import com.meterit.sync.api.RemoteConfig;
import com.meterit.sync.api.SyncListener;
import com.meterit.sync.api.SyncRun;
import com.meterit.sync.api.SyncState;
import com.meterit.sync.api.TransientGatewayException;
import com.meterit.sync.core.testing.Harness;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Every listener hook and every state transition the engine promises, asserted in order. */
class ListenerHooksTest {
  private final Harness h = new Harness();
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final SyncListener recorder = new SyncListener() {
    @Override
    public void onSyncStarted() {
      events.add("started");
    }

    @Override
    public void onSyncCompleted(SyncRun run) {
      events.add("completed " + run.readingsSynced());
    }

    @Override
    public void onSyncFailed(SyncRun run, Throwable cause) {
      events.add("failed " + run.outcome());
    }

    @Override
    public void onStateChanged(SyncState previous, SyncState current) {
      events.add(previous + "->" + current);
    }

    @Override
    public void onConnectivityChanged(boolean connected) {
      events.add(connected ? "online" : "offline");
    }

    @Override
    public void onHeartbeatSent(Heartbeat heartbeat) {
      events.add("heartbeat " + heartbeat.pendingReadings().getAsLong());
    }

    @Override
    public void onHeartbeatFailed(Throwable cause) {
      events.add("heartbeat failed");
    }

    @Override
    public void onConfigurationRefused(RemoteConfig config, String reason) {
      events.add("refused " + config.version());
    }
  };

  private static TransientGatewayException reset() {
    return new TransientGatewayException("connection reset", new IOException("reset"));
  }

  @Test
  void aRetriedRunGoesThroughBackingOffAndBack() {
    h.source().addSample(5);
    h.gateway().failNextUploads(reset());
    SyncManager manager = h.builder().addListener(recorder).build();
    manager.start();
    events.removeIf(e -> e.startsWith("heartbeat"));
    assertEquals(List.of("STOPPED->IDLE", "IDLE->SYNCING", "started", "SYNCING->BACKING_OFF",
        "BACKING_OFF->SYNCING", "SYNCING->IDLE", "completed 5"), events);
  }

  @Test
  void aFailedRunIsToldAndLeavesTheStateIdleWhileOnline() {
    h.source().addSample(5);
    h.gateway().failNextUploads(reset(), reset());
    SyncManager manager = h.builder().setMaxRetries(1).addListener(recorder).build();
    manager.start();
    assertEquals("failed FAILED", events.get(events.size() - 1));
    assertEquals(SyncState.IDLE, manager.getStatus().state());
  }

  @Test
  void heartbeatsAndConnectivityAreToldOnEachChange() {
    h.source().addSample(2);
    h.gateway().failNextUploads(reset());
    // The run right after the reconnection, so the events come in one sequence with no heartbeat
    // between; the spread itself is the fleet simulator's subject.
    SyncManager manager = h.builder().setMaxRetries(0).setReconnectSpread(Duration.ZERO)
        .addListener(recorder).build();
    manager.start();
    h.scheduler().runDueTasks();
    assertTrue(events.contains("heartbeat 2"), events.toString());

    events.clear();
    h.gateway().setReachable(false);
    h.scheduler().advance(SyncManager.DEFAULT_HEARTBEAT_INTERVAL);
    assertTrue(events.contains("offline"), events.toString());
    assertTrue(events.contains("IDLE->OFFLINE"), events.toString());
    assertEquals(SyncState.OFFLINE, manager.getStatus().state());

    events.clear();
    h.gateway().setReachable(true);
    h.scheduler().advance(Duration.ofMinutes(5));
    assertEquals(List.of("online", "OFFLINE->IDLE", "IDLE->SYNCING", "started", "SYNCING->IDLE",
        "completed 2"), events.subList(0, 6));
  }

  @Test
  void aHeartbeatThatFailsIsToldAndRetriedOnItsInterval() {
    SyncManager manager = h.builder().addListener(recorder).build();
    manager.start();
    h.gateway().setHeartbeatsFailing(true);
    h.scheduler().runDueTasks();
    assertEquals(List.of("heartbeat failed"), heartbeats());
    h.gateway().setHeartbeatsFailing(false);
    h.scheduler().advance(SyncManager.DEFAULT_HEARTBEAT_INTERVAL);
    assertEquals(List.of("heartbeat failed", "heartbeat 0"), heartbeats());
    manager.stop().join();
  }

  private List<String> heartbeats() {
    return events.stream().filter(e -> e.startsWith("heartbeat")).collect(Collectors.toList());
  }

  @Test
  void aRefusedConfigurationVersionIsNotDownloadedAgain() {
    h.gateway().setRemoteConfig(new RemoteConfig("v9", null, 0, null, null));
    SyncManager manager = h.builder().addListener(recorder).build();
    manager.start();
    h.scheduler().advance(SyncManager.DEFAULT_HEARTBEAT_INTERVAL.multipliedBy(3));
    assertEquals(1, h.gateway().configDownloads());
    assertEquals(1, events.stream().filter("refused v9"::equals).count());
    assertTrue(manager.getStatus().appliedConfigVersion().isEmpty());
  }
}

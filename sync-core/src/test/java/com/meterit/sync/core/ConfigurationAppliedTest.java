package com.meterit.sync.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.api.RemoteConfig;
import com.meterit.sync.api.UploadBatch;
import com.meterit.sync.core.testing.Harness;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What an applied configuration changes at once: the next run's time, the learned batch size. */
class ConfigurationAppliedTest {
  private final Harness h = new Harness();

  private List<UploadBatch> uploadsSince(int before) {
    return h.gateway().uploads().subList(before, h.gateway().uploads().size());
  }

  @Test
  void aShorterSyncIntervalMovesTheNextRunAtOnce() {
    SyncManager manager = h.builder().build();
    manager.start();
    Instant now = h.clock().instant();
    assertEquals(Optional.of(now.plus(SyncManager.DEFAULT_SYNC_INTERVAL)),
        manager.getStatus().nextScheduledRun());

    h.gateway().setRemoteConfig(new RemoteConfig("v2", Duration.ofMinutes(1), 1000, 5,
        SyncManager.DEFAULT_HEARTBEAT_INTERVAL));
    assertEquals(ConfigUpdate.APPLIED, manager.downloadConfiguration());

    assertEquals(Optional.of(now.plus(Duration.ofMinutes(1))),
        manager.getStatus().nextScheduledRun());
  }

  @Test
  void aShorterHeartbeatIntervalMovesTheNextHeartbeatAtOnce() {
    SyncManager manager = h.builder().build();
    manager.start();
    h.scheduler().runDueTasks();
    int beats = h.gateway().heartbeats().size();

    h.gateway().setRemoteConfig(new RemoteConfig("v2", SyncManager.DEFAULT_SYNC_INTERVAL, 1000, 5,
        Duration.ofSeconds(30)));
    assertEquals(ConfigUpdate.APPLIED, manager.downloadConfiguration());
    h.scheduler().advance(Duration.ofSeconds(30));

    assertEquals(beats + 1, h.gateway().heartbeats().size());
  }

  @Test
  void aNewBatchSizeForgetsTheSizeLearnedFrom413sAndTheSameOneKeepsIt() {
    h.source().addSample(8);
    h.gateway().setMaxBatchSize(2);
    SyncManager manager = h.builder().setBatchSize(4).build();
    manager.start();
    assertEquals(8, h.source().syncedIds().size());

    // Another interval, the same batch size: still 2 at a time, without a 413 to relearn it.
    h.gateway().setRemoteConfig(new RemoteConfig("v2", Duration.ofMinutes(2), 4, 5,
        SyncManager.DEFAULT_HEARTBEAT_INTERVAL));
    assertEquals(ConfigUpdate.APPLIED, manager.downloadConfiguration());
    h.source().addSample(8);
    int before = h.gateway().uploads().size();
    manager.triggerSync().join();
    assertTrue(uploadsSince(before).stream().allMatch(b -> b.size() == 2),
        "sizes " + uploadsSince(before).stream().map(UploadBatch::size).collect(Collectors.toList()));

    // A new batch size: the server may take it now.
    h.gateway().setMaxBatchSize(Integer.MAX_VALUE);
    h.gateway().setRemoteConfig(new RemoteConfig("v3", Duration.ofMinutes(2), 8, 5,
        SyncManager.DEFAULT_HEARTBEAT_INTERVAL));
    assertEquals(ConfigUpdate.APPLIED, manager.downloadConfiguration());
    h.source().addSample(8);
    before = h.gateway().uploads().size();
    manager.triggerSync().join();
    assertEquals(1, uploadsSince(before).size());
    assertEquals(8, uploadsSince(before).get(0).size());
  }
}

package com.meterit.sync.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The engine's duration limits are inclusive at both ends. */
class SettingBoundsTest {
  @Test
  void aSyncIntervalAtEitherLimitIsTaken() {
    SyncManagerBuilder builder = SyncManager.builder();
    builder.setSyncInterval(Duration.ofSeconds(1));
    assertEquals(Duration.ofSeconds(1), builder.syncInterval);
    builder.setSyncInterval(Duration.ofHours(24));
    assertEquals(Duration.ofHours(24), builder.syncInterval);
    assertEquals("syncInterval must be between PT1S and PT24H: PT0.999S",
        assertThrows(IllegalArgumentException.class,
            () -> builder.setSyncInterval(Duration.ofMillis(999))).getMessage());
  }

  @Test
  void aProbeIntervalOfExactlyTheMinimumIsTaken() {
    SyncManagerBuilder builder = SyncManager.builder();
    builder.setConnectivityProbeInterval(Duration.ofSeconds(1));
    assertEquals(Duration.ofSeconds(1), builder.probeInterval);
    assertEquals("probeInterval must be at least PT1S: PT0.999S",
        assertThrows(IllegalArgumentException.class,
            () -> builder.setConnectivityProbeInterval(Duration.ofMillis(999))).getMessage());
  }
}

package com.meterit.sync.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.stream.DoubleStream;
import org.junit.jupiter.api.Test;

/** Builder setters that chain, and what they take over from a configuration. */
class SyncManagerBuilderSettersTest {
  @Test
  void takesTheEngineSettingsOfAConfigurationAndChains() {
    SyncConfig config = SyncConfig.fromEnv(Map.of(
        SyncConfig.CLIENT_API_URL, "https://client.meterit.com/api",
        SyncConfig.CLIENT_API_KEY, "s3cr3t",
        SyncConfig.GATEWAY_ID, "gw-17",
        SyncConfig.SYNC_INTERVAL_MINUTES, "2",
        SyncConfig.BATCH_SIZE, "250",
        SyncConfig.MAX_RETRIES, "7",
        SyncConfig.HEARTBEAT_INTERVAL_SECONDS, "45"));
    SyncManagerBuilder builder = SyncManager.builder();

    assertSame(builder, builder.setConfig(config));
    assertEquals(Duration.ofMinutes(2), builder.syncInterval);
    assertEquals(250, builder.batchSize);
    assertEquals(7, builder.maxRetries);
    assertEquals(Duration.ofSeconds(45), builder.heartbeatInterval);
  }

  @Test
  void settersReturnTheBuilder() {
    SyncManagerBuilder builder = SyncManager.builder();
    InMemorySyncHistory history = new InMemorySyncHistory();

    assertSame(builder, builder.setHeartbeatInterval(Duration.ofSeconds(30)));
    assertSame(builder, builder.setHistory(history));
    assertSame(history, builder.history);
  }

  @Test
  void takesAReconnectSpreadOfExactlyADay() {
    SyncManagerBuilder builder = SyncManager.builder();
    assertSame(builder, builder.setReconnectSpread(Duration.ofDays(1)));
    assertEquals("reconnectSpread must be between 0 and 24 hours: PT24H0.001S",
        assertThrows(IllegalArgumentException.class,
            () -> builder.setReconnectSpread(Duration.ofDays(1).plusMillis(1))).getMessage());
  }

  @Test
  void theDefaultJitterSourceIsRandom() {
    double[] draws = DoubleStream.generate(SyncManager.builder().random::getAsDouble)
        .limit(20).toArray();
    assertTrue(DoubleStream.of(draws).allMatch(d -> d >= 0 && d < 1));
    assertTrue(DoubleStream.of(draws).distinct().count() > 1, "not one constant value");
  }
}

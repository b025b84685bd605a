package com.meterit.sync.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.meterit.sync.api.ConfigurationException;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The variables' limits are inclusive, and the masked dump names every setting made. */
class SyncConfigLimitsTest {
  private static Map<String, String> env(String... pairs) {
    Map<String, String> env = new HashMap<>();
    env.put(SyncConfig.CLIENT_API_URL, "https://client.meterit.com/api");
    env.put(SyncConfig.CLIENT_API_KEY, "s3cr3t");
    env.put(SyncConfig.GATEWAY_ID, "gw-17");
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  @Test
  void takesTheHeartbeatIntervalAtEitherLimit() {
    assertEquals(Duration.ofSeconds(5), SyncConfig.fromEnv(
        env(SyncConfig.HEARTBEAT_INTERVAL_SECONDS, "5")).heartbeatInterval());
    assertEquals(Duration.ofHours(24), SyncConfig.fromEnv(
        env(SyncConfig.HEARTBEAT_INTERVAL_SECONDS, "86400")).heartbeatInterval());
    assertEquals("HEARTBEAT_INTERVAL_SECONDS must be between 5 and 86400 seconds: 86401",
        assertThrows(ConfigurationException.class, () -> SyncConfig.fromEnv(
            env(SyncConfig.HEARTBEAT_INTERVAL_SECONDS, "86401"))).getMessage());
  }

  @Test
  void takesASyncIntervalOfExactlyADay() {
    assertEquals(Duration.ofHours(24), SyncConfig.fromEnv(
        env(SyncConfig.SYNC_INTERVAL_MINUTES, "1440")).syncInterval());
    assertEquals(SyncConfig.SYNC_INTERVAL_MINUTES, assertThrows(ConfigurationException.class,
        () -> SyncConfig.fromEnv(env(SyncConfig.SYNC_INTERVAL_MINUTES, "1440.001"))).setting());
  }

  @Test
  void keepsTheApiUrlItWasGiven() {
    assertEquals(URI.create("https://client.meterit.com/api"),
        SyncConfig.fromEnv(env()).clientApiUrl());
    assertEquals(URI.create("https://client.meterit.com/api"),
        SyncConfig.parseUrl("https://client.meterit.com/api"));
  }

  @Test
  void dumpsEveryTlsSettingWithTheKeyMasked() {
    SyncConfig replacing = SyncConfig.fromEnv(env(SyncConfig.CLIENT_API_CA_FILE, "/etc/ca.pem",
        SyncConfig.CLIENT_API_CA_MODE, "replace",
        SyncConfig.CLIENT_API_CERT_FILE, "/etc/gw.pem",
        SyncConfig.CLIENT_API_CERT_KEY_FILE, "/etc/gw.key"));
    assertEquals("SyncConfig{clientApiUrl=https://client.meterit.com/api, apiKey=****, "
        + "gatewayId=gw-17, syncInterval=PT5M, batchSize=1000, maxRetries=5, "
        + "heartbeatInterval=PT1M, allowInsecureHttp=false, clientApiCaFile=/etc/ca.pem (replace), "
        + "clientApiCertFile=/etc/gw.pem, clientApiCertKeyFile=/etc/gw.key}", replacing.toString());

    SyncConfig adding = SyncConfig.fromEnv(env(SyncConfig.CLIENT_API_CA_FILE, "/etc/ca.pem"));
    assertEquals("SyncConfig{clientApiUrl=https://client.meterit.com/api, apiKey=****, "
        + "gatewayId=gw-17, syncInterval=PT5M, batchSize=1000, maxRetries=5, "
        + "heartbeatInterval=PT1M, allowInsecureHttp=false, clientApiCaFile=/etc/ca.pem (add)}",
        adding.toString());
  }
}

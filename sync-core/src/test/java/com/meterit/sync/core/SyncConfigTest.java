package com.meterit.sync.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.api.ConfigurationException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SyncConfigTest {
  private static Map<String, String> env(String... pairs) {
    Map<String, String> env = new HashMap<>();
    env.put("CLIENT_API_URL", "https://client.meterit.com/api");
    env.put("CLIENT_API_KEY", "s3cr3t-key");
    env.put("GATEWAY_ID", "gw-17");
    for (int i = 0; i < pairs.length; i += 2) {
      if (pairs[i + 1] == null) {
        env.remove(pairs[i]);
      } else {
        env.put(pairs[i], pairs[i + 1]);
      }
    }
    return env;
  }

  private static ConfigurationException refused(Map<String, String> env) {
    return assertThrows(ConfigurationException.class, () -> SyncConfig.fromEnv(env));
  }

  @Test
  void defaultsAreTheOriginalServicesOwn() {
    SyncConfig config = SyncConfig.fromEnv(env());
    assertEquals(Duration.ofMinutes(5), config.syncInterval());
    assertEquals(1000, config.batchSize());
    assertEquals(5, config.maxRetries());
    assertEquals(Duration.ofSeconds(60), config.heartbeatInterval());
    assertEquals("gw-17", config.gatewayId());
  }

  @Test
  void readsEveryVariable() {
    SyncConfig config = SyncConfig.fromEnv(env("SYNC_INTERVAL_MINUTES", "0.5", "BATCH_SIZE", "250",
        "MAX_RETRIES", "9", "HEARTBEAT_INTERVAL_SECONDS", "15"));
    assertEquals(Duration.ofSeconds(30), config.syncInterval());
    assertEquals(250, config.batchSize());
    assertEquals(9, config.maxRetries());
    assertEquals(Duration.ofSeconds(15), config.heartbeatInterval());
  }

  @Test
  void aMissingOrMalformedVariableIsNamed() {
    ConfigurationException missing = refused(env("CLIENT_API_KEY", null));
    assertEquals("CLIENT_API_KEY", missing.setting());
    assertEquals("CLIENT_API_KEY is required but not set", missing.getMessage());
    assertEquals("BATCH_SIZE must be a whole number: 'lots'",
        refused(env("BATCH_SIZE", "lots")).getMessage());
    assertEquals("BATCH_SIZE must be between 1 and 100000: 0",
        refused(env("BATCH_SIZE", "0")).getMessage());
    assertEquals("SYNC_INTERVAL_MINUTES must be a number of minutes: '5m'",
        refused(env("SYNC_INTERVAL_MINUTES", "5m")).getMessage());
    assertEquals("MAX_RETRIES", refused(env("MAX_RETRIES", "101")).setting());
    assertEquals("HEARTBEAT_INTERVAL_SECONDS", refused(env("HEARTBEAT_INTERVAL_SECONDS", "1")).setting());
    assertEquals("CLIENT_API_URL must be an http(s) URL: 'ftp://x'",
        refused(env("CLIENT_API_URL", "ftp://x")).getMessage());
    assertEquals("GATEWAY_ID", refused(env("GATEWAY_ID", " ")).setting());
    ConfigurationException credentials =
        refused(env("CLIENT_API_URL", "https://gw:hunter2@client.meterit.com/api"));
    assertEquals("CLIENT_API_URL must not carry credentials; set CLIENT_API_KEY instead",
        credentials.getMessage());
  }

  @Test
  void neverShowsTheApiKey() {
    SyncConfig config = SyncConfig.fromEnv(env());
    assertFalse(config.toString().contains("s3cr3t"), config.toString());
  }

  @Test
  void aMalformedUrlIsEchoedWithItsCredentialsAndQueryMasked() {
    ConfigurationException typo =
        refused(env("CLIENT_API_URL", "htps://svc:Hunter2Pass@client.meterit.com/api"));
    assertEquals("CLIENT_API_URL must be an http(s) URL: 'htps://****@client.meterit.com/api'",
        typo.getMessage());
    ConfigurationException unparseable =
        refused(env("CLIENT_API_URL", "https://svc:Hunter 2Pass@client.meterit.com/api"));
    assertEquals("CLIENT_API_URL must be an http(s) URL: 'https://****@client.meterit.com/api'",
        unparseable.getMessage());
    ConfigurationException query =
        refused(env("CLIENT_API_URL", "https://client.meterit.com/api?token=Hunter2Pass"));
    assertEquals("CLIENT_API_URL must not have a query or a fragment: "
        + "'https://client.meterit.com/api?****'", query.getMessage());
  }

  @Test
  void anApiKeyThatCannotGoInAHeaderIsNamedNotQuoted() {
    ConfigurationException smartQuote = refused(env("CLIENT_API_KEY", "key\u201Csecret\u201D"));
    assertEquals("CLIENT_API_KEY", smartQuote.setting());
    assertEquals("CLIENT_API_KEY holds a character that cannot be sent in an HTTP header (U+201C "
        + "at position 4); only printable ASCII without spaces is allowed", smartQuote.getMessage());
    ConfigurationException newline = refused(env("CLIENT_API_KEY", "key-line\nbreak-secret"));
    assertFalse(newline.getMessage().contains("break-secret"), newline.getMessage());
    assertFalse(newline.getMessage().contains("\n"), newline.getMessage());
  }

  @Test
  void aGatewayIdThatIsADotSegmentIsRefused() {
    ConfigurationException e = refused(env("GATEWAY_ID", ".."));
    assertEquals("GATEWAY_ID", e.setting());
    assertEquals("GATEWAY_ID must be an id, not the path segment '..'", e.getMessage());
  }

  @Test
  void readsWhetherPlainHttpIsAllowed() {
    assertFalse(SyncConfig.fromEnv(env()).allowInsecureHttp());
    assertTrue(SyncConfig.fromEnv(env("CLIENT_API_ALLOW_INSECURE_HTTP", "true")).allowInsecureHttp());
    assertEquals("CLIENT_API_ALLOW_INSECURE_HTTP must be true or false: 'yes'",
        refused(env("CLIENT_API_ALLOW_INSECURE_HTTP", "yes")).getMessage());
  }

  @Test
  void aMalformedValueIsEchoedOnOneLine() {
    assertEquals("BATCH_SIZE must be a whole number: '1\\n2'",
        refused(env("BATCH_SIZE", "1\n2")).getMessage());
  }
}

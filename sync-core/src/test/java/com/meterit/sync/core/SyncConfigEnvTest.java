package com.meterit.sync.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.meterit.sync.api.ConfigurationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API key from a file, and messages in the unit each variable is given in. */
class SyncConfigEnvTest {
  @TempDir
  Path dir;

  private static Map<String, String> env(String... pairs) {
    Map<String, String> env = new HashMap<>();
    env.put("CLIENT_API_URL", "https://client.meterit.com/api");
    env.put("GATEWAY_ID", "gw-17");
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  private static ConfigurationException refused(Map<String, String> env) {
    return assertThrows(ConfigurationException.class, () -> SyncConfig.fromEnv(env));
  }

  @Test
  void readsTheApiKeyFromTheFileWithoutItsTrailingNewline() throws Exception {
    Path key = Files.writeString(dir.resolve("api-key"), "s3cr3t-from-file\n");
    SyncConfig config = SyncConfig.fromEnv(env("CLIENT_API_KEY_FILE", key.toString()));
    assertEquals("s3cr3t-from-file", config.apiKey());
  }

  @Test
  void refusesTheKeyAndTheKeyFileTogetherNamingBoth() throws Exception {
    Path key = Files.writeString(dir.resolve("api-key"), "s3cr3t-from-file\n");
    ConfigurationException both = refused(env("CLIENT_API_KEY_FILE", key.toString(),
        "CLIENT_API_KEY", "s3cr3t-inline"));
    assertEquals("CLIENT_API_KEY_FILE", both.setting());
    assertEquals("CLIENT_API_KEY and CLIENT_API_KEY_FILE are both set; set only one of them",
        both.getMessage());
  }

  @Test
  void aMissingOrEmptyKeyFileIsNamedWithoutItsContent() throws Exception {
    Path missing = dir.resolve("nope");
    assertEquals("CLIENT_API_KEY_FILE names a file that cannot be read: " + missing
        + " (NoSuchFileException)", refused(env("CLIENT_API_KEY_FILE", missing.toString())).getMessage());
    Path empty = Files.writeString(dir.resolve("empty"), "\n");
    assertEquals("CLIENT_API_KEY_FILE names an empty file: " + empty,
        refused(env("CLIENT_API_KEY_FILE", empty.toString())).getMessage());
    Path key = Files.writeString(dir.resolve("api-key"), "s3cr3t-from-file\n");
    assertFalse(SyncConfig.fromEnv(env("CLIENT_API_KEY_FILE", key.toString())).toString()
        .contains("s3cr3t"));
  }

  @Test
  void intervalsAreRefusedInTheUnitsTheirVariablesUse() {
    assertEquals("HEARTBEAT_INTERVAL_SECONDS must be between 5 and 86400 seconds: 1",
        refused(env("CLIENT_API_KEY", "k", "HEARTBEAT_INTERVAL_SECONDS", "1")).getMessage());
    assertEquals("SYNC_INTERVAL_MINUTES must be between 0.017 (1 s) and 1440 minutes: 0.001",
        refused(env("CLIENT_API_KEY", "k", "SYNC_INTERVAL_MINUTES", "0.001")).getMessage());
    assertEquals("SYNC_INTERVAL_MINUTES must be between 0.017 (1 s) and 1440 minutes: 2000",
        refused(env("CLIENT_API_KEY", "k", "SYNC_INTERVAL_MINUTES", "2000")).getMessage());
  }
}

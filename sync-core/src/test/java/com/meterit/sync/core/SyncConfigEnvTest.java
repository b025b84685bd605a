package com.meterit.sync.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.meterit.sync.api.ConfigurationException;
import com.meterit.sync.core.testing.Harness;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Collectors;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

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
  void maxInFlightCapsTheWindowOnlyWhenSetAndIsRefusedOutOfRangeByName() {
    assertEquals(OptionalInt.empty(), SyncConfig.fromEnv(env("CLIENT_API_KEY", "k")).maxInFlight());
    SyncConfig capped = SyncConfig.fromEnv(env("CLIENT_API_KEY", "k", "MAX_IN_FLIGHT", "1"));
    assertEquals(OptionalInt.of(1), capped.maxInFlight());
    assertTrue(capped.toString().contains("maxInFlight=1"), capped::toString);

    // The window starts at two batches unless its cap is lower: the builder took the cap.
    Harness h = new Harness();
    assertEquals(2, h.builder().setConfig(SyncConfig.fromEnv(env("CLIENT_API_KEY", "k")))
        .build().getStatus().uploadWindow());
    assertEquals(1, h.builder().setConfig(capped).build().getStatus().uploadWindow());

    assertEquals("MAX_IN_FLIGHT must be between 1 and 64: 0",
        refused(env("CLIENT_API_KEY", "k", "MAX_IN_FLIGHT", "0")).getMessage());
    assertEquals("MAX_IN_FLIGHT must be a whole number: 'many'",
        refused(env("CLIENT_API_KEY", "k", "MAX_IN_FLIGHT", "many")).getMessage());
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

  @Test
  void aKeyFileOthersCanReadIsUsedWithAWarningNamingItsMode() throws Exception {
    assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"),
        "file permissions are checked on a POSIX file system only");
    Path key = Files.writeString(dir.resolve("api-key"), "s3cr3t-from-file\n");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
    List<String> warnings = warnings(() -> SyncConfig.fromEnv(env("CLIENT_API_KEY_FILE",
        key.toString())));
    assertEquals(List.of("CLIENT_API_KEY_FILE " + key + " is readable or writable by others "
        + "(mode 0644); make it private to the agent's user: chmod 600 " + key), warnings);

    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r-----"));
    assertTrue(warnings(() -> SyncConfig.fromEnv(env("CLIENT_API_KEY_FILE", key.toString())))
        .get(0).contains("(mode 0640)"));
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    assertEquals(List.of(), warnings(() -> SyncConfig.fromEnv(env("CLIENT_API_KEY_FILE",
        key.toString()))));
  }

  @Test
  void aHugeKeyFileIsRefusedAfterReadingOnlyItsCap() throws Exception {
    Path huge = dir.resolve("huge");
    try (RandomAccessFile file = new RandomAccessFile(huge.toFile(), "rw")) {
      file.setLength(300L << 20); // sparse: 300 MB that cost no disk
    }
    ConfigurationException e = refused(env("CLIENT_API_KEY_FILE", huge.toString()));
    assertEquals("CLIENT_API_KEY_FILE", e.setting());
    assertEquals("CLIENT_API_KEY_FILE names a file larger than 4096 bytes: " + huge,
        e.getMessage());
    Path zero = Path.of("/dev/zero");
    assumeTrue(Files.isReadable(zero), zero + " is not readable here");
    assertEquals("CLIENT_API_KEY_FILE names a file larger than 4096 bytes: /dev/zero",
        refused(env("CLIENT_API_KEY_FILE", "/dev/zero")).getMessage());
  }

  @Test
  void aKeyFileWithASecondLineIsRefusedNamingTheFileVariable() throws Exception {
    Path key = Files.writeString(dir.resolve("api-key"), "s3cr3t-line-1\nsecond-line\n");
    ConfigurationException e = refused(env("CLIENT_API_KEY_FILE", key.toString()));
    assertEquals("CLIENT_API_KEY_FILE", e.setting());
    assertEquals("CLIENT_API_KEY_FILE names a file whose key holds a character that cannot be "
        + "sent in an HTTP header (U+000A at position 14); only printable ASCII without spaces "
        + "is allowed: " + key, e.getMessage());
    assertFalse(e.getMessage().contains("s3cr3t"));
  }

  @Test
  void aKeyFileThatIsNotUtf8IsRefusedNamingTheFileVariable() throws Exception {
    Path key = Files.write(dir.resolve("api-key"), new byte[] {'k', (byte) 0xff, 'y'});
    ConfigurationException e = refused(env("CLIENT_API_KEY_FILE", key.toString()));
    assertEquals("CLIENT_API_KEY_FILE", e.setting());
    assertEquals("CLIENT_API_KEY_FILE names a file that is not UTF-8 text: " + key,
        e.getMessage());
  }

  @Test
  void aKeyFilePathIsEscapedInTheMessageSoThatItStaysOneLine() {
    Path forged = dir.resolve("nope\n12:00:00 [INFO] all clear");
    assertEquals("CLIENT_API_KEY_FILE names a file that cannot be read: " + dir
        + "/nope\\n12:00:00 [INFO] all clear (NoSuchFileException)",
        refused(env("CLIENT_API_KEY_FILE", forged.toString())).getMessage());
  }

  private static List<String> warnings(Runnable action) {
    Logger logger = (Logger) LoggerFactory.getLogger("com.meterit.sync");
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    try {
      action.run();
    } finally {
      logger.detachAppender(appender);
    }
    return appender.list.stream().filter(e -> e.getLevel().toString().equals("WARN"))
        .map(ILoggingEvent::getFormattedMessage).collect(Collectors.toList());
  }
}

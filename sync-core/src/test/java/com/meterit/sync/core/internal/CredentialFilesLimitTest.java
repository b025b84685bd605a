package com.meterit.sync.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.meterit.sync.api.ConfigurationException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The size limit of a secret file is inclusive: a file of exactly the limit is read whole. */
class CredentialFilesLimitTest {
  @TempDir
  Path dir;

  @Test
  void readsAFileOfExactlyTheLimitAndRefusesOneByteMore() throws Exception {
    Path atLimit = Files.writeString(dir.resolve("at-limit"), "k".repeat(16));
    Path over = Files.writeString(dir.resolve("over"), "k".repeat(17));

    assertEquals("k".repeat(16), CredentialFiles.readSecretText(atLimit, "SOME_KEY_FILE", 16));
    ConfigurationException refused = assertThrows(ConfigurationException.class,
        () -> CredentialFiles.readSecretText(over, "SOME_KEY_FILE", 16));
    assertEquals("SOME_KEY_FILE", refused.setting());
    assertEquals("SOME_KEY_FILE names a file larger than 16 bytes: " + over, refused.getMessage());
  }
}

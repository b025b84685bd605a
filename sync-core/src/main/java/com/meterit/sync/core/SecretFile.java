package com.meterit.sync.core;

import com.meterit.sync.api.ConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a file that holds a secret (the API key, a private key), named by a configuration
 * variable: at most a few KiB, so that a wrong path such as a huge log or {@code /dev/zero}
 * is a configuration error, not an {@code OutOfMemoryError}; strict UTF-8; and, as ssh does for
 * its keys, a warning when users other than the owner may read or write it. Errors name the
 * variable and the path, never the content.
 */
final class SecretFile {
  private static final Logger log = LoggerFactory.getLogger(SecretFile.class);

  /** The largest API key file read: {@value} bytes. */
  static final int MAX_KEY_BYTES = 4096;

  private static final Set<PosixFilePermission> NOT_THE_OWNERS = Set.of(
      PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
      PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
      PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

  private SecretFile() {}

  /**
   * The whole content of the file {@code file}, as given in {@code variable}.
   *
   * @param maxBytes the largest file accepted; at most {@code maxBytes + 1} bytes are ever read
   * @throws ConfigurationException naming {@code variable} when the file cannot be read, is
   *     larger than {@code maxBytes}, is empty or is not UTF-8 text
   */
  static String read(String file, String variable, int maxBytes) {
    Path path;
    byte[] bytes;
    try {
      path = Path.of(file);
      try (InputStream in = Files.newInputStream(path)) {
        bytes = in.readNBytes(maxBytes + 1);
      }
    } catch (IOException | InvalidPathException e) {
      throw refused(variable, "names a file that cannot be read: " + file + " ("
          + e.getClass().getSimpleName() + ")");
    }
    if (bytes.length > maxBytes) {
      throw refused(variable, "names a file larger than " + maxBytes + " bytes: " + file);
    }
    if (bytes.length == 0) {
      throw refused(variable, "names an empty file: " + file);
    }
    warnIfOthersMayAccess(path, variable);
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw refused(variable, "names a file that is not UTF-8 text: " + file);
    }
  }

  private static void warnIfOthersMayAccess(Path path, String variable) {
    Set<PosixFilePermission> permissions;
    try {
      permissions = Files.getPosixFilePermissions(path);
    } catch (IOException | UnsupportedOperationException e) {
      return; // not a POSIX file system: nothing to say
    }
    if (permissions.stream().anyMatch(NOT_THE_OWNERS::contains)) {
      log.warn("{} {} is readable or writable by others (mode {}); make it private to the "
          + "agent's user: chmod 600 {}", variable, path, mode(permissions), path);
    }
  }

  /** The permissions as an octal mode, such as {@code 0644}. */
  private static String mode(Set<PosixFilePermission> permissions) {
    int mode = 0;
    for (PosixFilePermission p : permissions) {
      mode |= 0400 >> p.ordinal();
    }
    return String.format("%04o", mode);
  }

  private static ConfigurationException refused(String variable, String problem) {
    return new ConfigurationException(variable, variable + " " + problem);
  }
}

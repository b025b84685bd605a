package com.meterit.sync.core.internal;

import com.meterit.sync.api.ConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one reader of files that hold secrets or certificates, each named by a setting (an
 * environment variable such as {@code CLIENT_API_KEY_FILE}, or a builder setter): the API key,
 * CA certificates, a client certificate and its private key.
 *
 * <ul>
 *   <li>A read is bounded: at most {@code maxBytes + 1} bytes are ever read, so that a wrong path
 *       such as a huge log or {@code /dev/zero} is a configuration error, not an
 *       {@code OutOfMemoryError}.
 *   <li>A secret file that users other than its owner may read, write or execute is used with a
 *       warning naming its octal mode, as ssh does for its keys.
 *   <li>Every refusal is a {@link ConfigurationException} whose setting is the one given, and
 *       whose message names the setting and the path (escaped, so that it stays one line), never
 *       the content.
 * </ul>
 *
 * <p>Bytes of a refused file are zeroed before they are dropped; the caller zeroes the bytes it
 * is handed once it has used them. Thread-safe (stateless).
 *
 * <p>Not public API: it is public so that {@code SyncConfig} and the HTTP gateway read their
 * files through this one path.
 */
public final class CredentialFiles {
  private static final Logger log = LoggerFactory.getLogger(CredentialFiles.class);

  private CredentialFiles() {}

  /**
   * The bytes of {@code file}, which {@code setting} names.
   *
   * @throws ConfigurationException when the file cannot be read or is larger than
   *     {@code maxBytes}
   */
  public static byte[] read(Path file, String setting, int maxBytes) {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(maxBytes + 1);
    } catch (IOException e) {
      throw refused(setting, "names a file that cannot be read: " + name(file) + " ("
          + e.getClass().getSimpleName() + ")");
    }
    if (bytes.length > maxBytes) {
      Arrays.fill(bytes, (byte) 0);
      throw refused(setting, "names a file larger than " + maxBytes + " bytes: " + name(file));
    }
    return bytes;
  }

  /**
   * The bytes of the secret {@code file}, read as {@link #read} does, with a warning when users
   * other than its owner may access it.
   *
   * @throws ConfigurationException as {@link #read} does
   */
  public static byte[] readSecret(Path file, String setting, int maxBytes) {
    byte[] bytes = read(file, setting, maxBytes);
    warnIfOthersMayAccess(file, setting);
    return bytes;
  }

  /**
   * The text of the secret {@code file}, read as {@link #readSecret} does, as strict UTF-8.
   *
   * @throws ConfigurationException as {@link #read} does, and when the file is not UTF-8 text
   */
  public static String readSecretText(Path file, String setting, int maxBytes) {
    byte[] bytes = readSecret(file, setting, maxBytes);
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw refused(setting, "names a file that is not UTF-8 text: " + name(file));
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  /**
   * A refusal of the file {@code setting} names: {@code problem} follows the setting's name, and
   * names the file with {@link #name}.
   */
  public static ConfigurationException refused(String setting, String problem) {
    return new ConfigurationException(setting, setting + " " + problem);
  }

  /** A path for a message: an operator's text, so escaped to stay on one line. */
  public static String name(Path file) {
    return Redaction.escape(file.toString());
  }

  private static void warnIfOthersMayAccess(Path file, String setting) {
    Set<PosixFilePermission> permissions;
    try {
      permissions = Files.getPosixFilePermissions(file);
    } catch (IOException | UnsupportedOperationException e) {
      return; // not a POSIX file system: nothing to say
    }
    if (permissions.stream().anyMatch(p -> p != PosixFilePermission.OWNER_READ
        && p != PosixFilePermission.OWNER_WRITE && p != PosixFilePermission.OWNER_EXECUTE)) {
      log.warn("{} {} is readable or writable by others (mode {}); make it private to the "
          + "agent's user: chmod 600 {}", setting, name(file), mode(permissions), name(file));
    }
  }

  /** The permissions as an octal mode, such as {@code 0644}. */
  static String mode(Set<PosixFilePermission> permissions) {
    int mode = 0;
    for (PosixFilePermission p : permissions) {
      // The enum runs from OWNER_READ (0400) to OTHERS_EXECUTE (0001).
      mode |= 0400 >> p.ordinal();
    }
    return String.format("%04o", mode);
  }
}

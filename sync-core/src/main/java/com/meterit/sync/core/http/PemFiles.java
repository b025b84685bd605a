package com.meterit.sync.core.http;

import com.meterit.sync.core.http.internal.Redaction;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the PEM files of {@link ClientTls}: certificates, and an unencrypted PKCS#8 private key
 * (RSA or EC). Each file is read once, and at most {@link #MAX_FILE_BYTES}: a larger file (or a
 * device that never ends) is refused instead of filling the heap. A key file that group or
 * others may read or write is warned about, naming its mode, as ssh does. Every refusal names the setting
 * and the file, never the content. Thread-safe (stateless).
 */
final class PemFiles {
  private static final Logger log = LoggerFactory.getLogger(HttpClientSystemGateway.class);

  /**
   * The largest file read: {@value} bytes. A key is under 4 KiB and a chain of a few
   * certificates under 10 KiB; a CA bundle of a private PKI fits with room to spare.
   */
  static final int MAX_FILE_BYTES = 64 * 1024;

  /** The key algorithms a client certificate may use. */
  static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC");

  private static final Pattern BLOCK = Pattern.compile(
      "-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);

  private PemFiles() {}

  /** A file refused; {@link #setting} names the setter or variable that gave it. */
  static final class FileRefused extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    final String setting;

    FileRefused(String setting, String message) {
      super(message);
      this.setting = setting;
    }
  }

  /** The certificates of a PEM file, in file order; at least one. */
  static List<X509Certificate> certificates(Path file, String setting) {
    String text = new String(read(file, setting), StandardCharsets.US_ASCII);
    List<X509Certificate> certificates = new ArrayList<>();
    Matcher block = BLOCK.matcher(text);
    CertificateFactory factory;
    try {
      factory = CertificateFactory.getInstance("X.509");
    } catch (CertificateException e) {
      throw new IllegalStateException("the JDK has no X.509 certificate factory", e);
    }
    while (block.find()) {
      if (!block.group(1).equals("CERTIFICATE")) {
        continue;
      }
      int number = certificates.size() + 1;
      try {
        byte[] der = Base64.getMimeDecoder().decode(block.group(2));
        certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
      } catch (CertificateException | IllegalArgumentException e) {
        throw new FileRefused(setting, setting + " names a file whose certificate " + number
            + " cannot be read: " + name(file) + " (" + Redaction.bounded(Redaction.escape(
                String.valueOf(e.getMessage())), 120) + ")");
      }
    }
    if (certificates.isEmpty()) {
      throw new FileRefused(setting, setting + " names a file without a PEM certificate: "
          + name(file));
    }
    return certificates;
  }

  /**
   * The unencrypted PKCS#8 private key of a PEM file, RSA or EC, tried as {@code likely} first.
   * A key in another form is refused with the command that converts it.
   */
  static PrivateKey privateKey(Path file, String setting, String likely) {
    List<String> algorithms = new ArrayList<>(KEY_ALGORITHMS);
    if (algorithms.remove(likely)) {
      algorithms.add(0, likely);
    }
    warnIfOthersCanRead(file, setting);
    byte[] bytes = read(file, setting);
    byte[] der = null;
    try {
      Matcher block = BLOCK.matcher(new String(bytes, StandardCharsets.US_ASCII));
      while (block.find() && der == null) {
        String type = block.group(1);
        if (type.equals("ENCRYPTED PRIVATE KEY")) {
          throw new FileRefused(setting, setting + " names an encrypted private key: "
              + name(file) + "; store it unencrypted as PKCS#8 (openssl pkcs8 -topk8 -nocrypt), "
              + "readable by the agent only");
        }
        if (type.endsWith(" PRIVATE KEY")) {
          throw new FileRefused(setting, setting + " names an " + type + ", not PKCS#8: "
              + name(file) + "; convert it with openssl pkcs8 -topk8 -nocrypt");
        }
        if (type.equals("PRIVATE KEY")) {
          der = Base64.getMimeDecoder().decode(block.group(2));
        }
      }
      if (der == null) {
        throw new FileRefused(setting, setting + " names a file without a PEM private key: "
            + name(file));
      }
      String lastFailure = "no key algorithm";
      for (String algorithm : algorithms) {
        try {
          return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
          // Only the type: a key parser's message may quote the bytes it choked on.
          lastFailure = e.getClass().getSimpleName();
        }
      }
      throw new FileRefused(setting, setting + " names a file whose private key cannot be read as an "
          + String.join(" or ", KEY_ALGORITHMS) + " key: " + name(file) + " (" + lastFailure + ")");
    } catch (IllegalArgumentException e) {
      if (e instanceof FileRefused) {
        throw e;
      }
      throw new FileRefused(setting, setting + " names a file whose private key is not valid "
          + "Base64: " + name(file));
    } finally {
      Arrays.fill(bytes, (byte) 0);
      if (der != null) {
        Arrays.fill(der, (byte) 0);
      }
    }
  }

  /** The file's bytes, refused past {@link #MAX_FILE_BYTES} without reading further. */
  static byte[] read(Path file, String setting) {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes(MAX_FILE_BYTES + 1);
      if (bytes.length > MAX_FILE_BYTES) {
        Arrays.fill(bytes, (byte) 0);
        throw new FileRefused(setting, setting + " names a file larger than " + MAX_FILE_BYTES
            + " bytes: " + name(file));
      }
      return bytes;
    } catch (IOException e) {
      throw new FileRefused(setting, setting + " names a file that cannot be read: " + name(file)
          + " (" + e.getClass().getSimpleName() + ")");
    }
  }

  private static void warnIfOthersCanRead(Path file, String setting) {
    Set<PosixFilePermission> permissions;
    try {
      permissions = Files.getPosixFilePermissions(file);
    } catch (IOException | UnsupportedOperationException e) {
      // Not POSIX, or not readable: the read that follows says so.
      return;
    }
    // As ssh and SecretFile (the API key's reader) do: any access but the owner's is warned about.
    if (permissions.stream().anyMatch(p ->
        p != PosixFilePermission.OWNER_READ && p != PosixFilePermission.OWNER_WRITE
            && p != PosixFilePermission.OWNER_EXECUTE)) {
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

  /** A path for a message: an operator's text, so escaped to stay on one line. */
  static String name(Path file) {
    return Redaction.escape(file.toString());
  }
}

package com.meterit.sync.core.http;

import com.meterit.sync.api.ConfigurationException;
import com.meterit.sync.core.internal.CredentialFiles;
import com.meterit.sync.core.internal.Redaction;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the PEM files of {@link ClientTls}: certificates, and an unencrypted PKCS#8 private key
 * (RSA or EC). Each file is read once through {@link CredentialFiles}, at most
 * {@link #MAX_FILE_BYTES}, the key file as a secret (a warning naming its mode when others may
 * access it). Every refusal is a {@link ConfigurationException} naming the setting and the file,
 * never the content. Thread-safe (stateless).
 */
final class PemFiles {
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

  /** The certificates of a PEM file, in file order; at least one. */
  static List<X509Certificate> certificates(Path file, String setting) {
    String text = new String(CredentialFiles.read(file, setting, MAX_FILE_BYTES),
        StandardCharsets.US_ASCII);
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
        throw CredentialFiles.refused(setting, "names a file whose certificate " + number
            + " cannot be read: " + name(file) + " (" + Redaction.bounded(Redaction.escape(
                String.valueOf(e.getMessage())), 120) + ")");
      }
    }
    if (certificates.isEmpty()) {
      throw CredentialFiles.refused(setting, "names a file without a PEM certificate: "
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
    byte[] bytes = CredentialFiles.readSecret(file, setting, MAX_FILE_BYTES);
    byte[] der = null;
    try {
      Matcher block = BLOCK.matcher(new String(bytes, StandardCharsets.US_ASCII));
      while (block.find() && der == null) {
        String type = block.group(1);
        if (type.equals("ENCRYPTED PRIVATE KEY")) {
          throw CredentialFiles.refused(setting, "names an encrypted private key: "
              + name(file) + "; store it unencrypted as PKCS#8 (openssl pkcs8 -topk8 -nocrypt), "
              + "readable by the agent only");
        }
        if (type.endsWith(" PRIVATE KEY")) {
          throw CredentialFiles.refused(setting, "names an " + type + ", not PKCS#8: "
              + name(file) + "; convert it with openssl pkcs8 -topk8 -nocrypt");
        }
        if (type.equals("PRIVATE KEY")) {
          der = Base64.getMimeDecoder().decode(block.group(2));
        }
      }
      if (der == null) {
        throw CredentialFiles.refused(setting, "names a file without a PEM private key: "
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
      throw CredentialFiles.refused(setting, "names a file whose private key cannot be read as an "
          + String.join(" or ", KEY_ALGORITHMS) + " key: " + name(file) + " (" + lastFailure + ")");
    } catch (IllegalArgumentException e) {
      // Only the MIME decoder throws this: the refusals above are ConfigurationExceptions.
      throw CredentialFiles.refused(setting, "names a file whose private key is not valid "
          + "Base64: " + name(file));
    } finally {
      Arrays.fill(bytes, (byte) 0);
      if (der != null) {
        Arrays.fill(der, (byte) 0);
      }
    }
  }

  private static String name(Path file) {
    return CredentialFiles.name(file);
  }
}

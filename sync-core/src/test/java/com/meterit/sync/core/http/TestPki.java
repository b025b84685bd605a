package com.meterit.sync.core.http;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates made for the TLS tests: a CA, and leaves it signs for a server or a client, as
 * PEM files and as the server's {@link SSLContext}. Bouncy Castle only builds the certificates;
 * everything else is the JDK's, as in production.
 */
final class TestPki {
  private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime());
  private static final char[] PASSWORD = "test".toCharArray();

  /** A key pair and its certificate chain, leaf first. */
  static final class Identity {
    final KeyPair keys;
    final List<X509Certificate> chain;

    Identity(KeyPair keys, List<X509Certificate> chain) {
      this.keys = keys;
      this.chain = chain;
    }

    X509Certificate certificate() {
      return chain.get(0);
    }
  }

  private TestPki() {}

  static KeyPair rsa() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return generator.generateKeyPair();
  }

  static KeyPair ec() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  /** A self-signed CA, valid from a day ago for a year. */
  static Identity ca(String name) throws Exception {
    KeyPair keys = rsa();
    Instant now = Instant.now();
    X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name("CN=" + name),
        BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(now.minus(Duration.ofDays(1))),
        Date.from(now.plus(Duration.ofDays(365))), new X500Name("CN=" + name), keys.getPublic());
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    builder.addExtension(Extension.keyUsage, true,
        new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    return new Identity(keys, List.of(sign(builder, keys.getPrivate())));
  }

  /** A leaf for {@code localhost} and {@code 127.0.0.1}, valid now. */
  static Identity server(Identity ca) throws Exception {
    Instant now = Instant.now();
    return leaf(ca, rsa(), "localhost", now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)),
        new GeneralName(GeneralName.dNSName, "localhost"),
        new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
  }

  /** A leaf for another host only. */
  static Identity serverNamed(Identity ca, String host) throws Exception {
    Instant now = Instant.now();
    return leaf(ca, rsa(), host, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)),
        new GeneralName(GeneralName.dNSName, host));
  }

  /** A leaf for {@code localhost} whose validity ended yesterday. */
  static Identity expiredServer(Identity ca) throws Exception {
    Instant now = Instant.now();
    return leaf(ca, rsa(), "localhost", now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)),
        new GeneralName(GeneralName.dNSName, "localhost"),
        new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
  }

  /** A client leaf with the given keys. */
  static Identity client(Identity ca, KeyPair keys, String name) throws Exception {
    Instant now = Instant.now();
    return leaf(ca, keys, name, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)),
        new GeneralName(GeneralName.dNSName, name));
  }

  private static Identity leaf(Identity ca, KeyPair keys, String name, Instant from, Instant to,
      GeneralName... names) throws Exception {
    X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca.certificate(),
        BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(from), Date.from(to),
        new X500Name("CN=" + name), keys.getPublic());
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
    List<X509Certificate> chain = new ArrayList<>();
    chain.add(sign(builder, ca.keys.getPrivate()));
    chain.addAll(ca.chain);
    return new Identity(keys, chain);
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey)
      throws Exception {
    String algorithm = issuerKey.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
    return new JcaX509CertificateConverter().getCertificate(
        builder.build(new JcaContentSignerBuilder(algorithm).build(issuerKey)));
  }

  static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  static String pem(List<X509Certificate> certificates) throws Exception {
    StringBuilder out = new StringBuilder();
    for (X509Certificate c : certificates) {
      out.append(pem("CERTIFICATE", c.getEncoded()));
    }
    return out.toString();
  }

  /** Writes the certificates as one PEM file. */
  static Path writeCertificates(Path file, List<X509Certificate> certificates) throws Exception {
    return Files.writeString(file, pem(certificates));
  }

  /** Writes the private key as unencrypted PKCS#8 PEM, readable by its owner only. */
  static Path writeKey(Path file, PrivateKey key) throws IOException {
    Files.writeString(file, pem("PRIVATE KEY", key.getEncoded()));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }

  /**
   * The server's context: its identity, and when {@code clientCa} is not null, trust in the
   * client certificates that CA signs.
   */
  static SSLContext serverContext(Identity server, Identity clientCa) throws Exception {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry("server", server.keys.getPrivate(), PASSWORD,
        server.chain.toArray(new X509Certificate[0]));
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, PASSWORD);
    TrustManagerFactory tmf = null;
    if (clientCa != null) {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("client-ca", clientCa.certificate());
      tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
    }
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
    return context;
  }
}

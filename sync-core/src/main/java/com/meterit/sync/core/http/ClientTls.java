package com.meterit.sync.core.http;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The {@link SSLContext} of the gateway's own client, made with the JDK's APIs only: trust
 * anchors from a PEM file, added to the JVM's or replacing them, and a client certificate chain
 * with its private key, held in PKCS#12 key stores in memory. It changes what is trusted and what
 * is presented, never how: the JDK client checks the server's name against its certificate
 * whatever the trust, and nothing here can turn that off.
 */
final class ClientTls {
  // Protects the in-memory key store only; it never leaves this class.
  private static final char[] IN_MEMORY = "in-memory".toCharArray();

  private ClientTls() {}

  /**
   * A context for the given files, each null when unset (the key with the chain); null when all
   * are unset, so that the client keeps the JVM's default.
   *
   * @throws PemFiles.FileRefused naming the setting of the file refused
   */
  static SSLContext context(Path caFile, TrustMode mode, Path chainFile, Path keyFile,
      String caSetting, String chainSetting, String keySetting,
      Supplier<List<X509Certificate>> systemTrust) {
    if (caFile == null && chainFile == null) {
      return null;
    }
    try {
      TrustManager[] trust = null;
      if (caFile != null) {
        KeyStore anchors = emptyStore();
        List<X509Certificate> certificates = trustAnchors(caFile, mode, caSetting, systemTrust);
        for (int i = 0; i < certificates.size(); i++) {
          anchors.setCertificateEntry("anchor-" + i, certificates.get(i));
        }
        TrustManagerFactory tmf =
            TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(anchors);
        trust = tmf.getTrustManagers();
      }
      KeyManager[] keys = null;
      if (chainFile != null) {
        List<X509Certificate> chain = PemFiles.certificates(chainFile, chainSetting);
        PrivateKey key = matchingKey(chain.get(0), keyFile, keySetting, chainSetting);
        KeyStore store = emptyStore();
        store.setKeyEntry("client", key, IN_MEMORY, chain.toArray(new X509Certificate[0]));
        KeyManagerFactory kmf =
            KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, IN_MEMORY);
        keys = kmf.getKeyManagers();
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys, trust, null);
      return context;
    } catch (GeneralSecurityException e) {
      // The files were read and parsed; what is left is the JDK's own providers.
      throw new IllegalStateException("the JDK cannot build a TLS context: "
          + e.getClass().getSimpleName(), e);
    }
  }

  /** The anchors a CA file gives: its certificates, then the JVM's unless they are replaced. */
  static List<X509Certificate> trustAnchors(Path caFile, TrustMode mode, String setting,
      Supplier<List<X509Certificate>> systemTrust) {
    List<X509Certificate> anchors = new ArrayList<>(PemFiles.certificates(caFile, setting));
    if (mode == TrustMode.ADD) {
      anchors.addAll(systemTrust.get());
    }
    return anchors;
  }

  /**
   * The JVM's trust anchors: the JDK's {@code cacerts}, or the store that
   * {@code -Djavax.net.ssl.trustStore} names.
   */
  static List<X509Certificate> jvmTrust() {
    try {
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init((KeyStore) null);
      for (TrustManager manager : tmf.getTrustManagers()) {
        if (manager instanceof X509TrustManager) {
          return List.of(((X509TrustManager) manager).getAcceptedIssuers());
        }
      }
      return List.of();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JVM's trust store cannot be read: "
          + e.getClass().getSimpleName(), e);
    }
  }

  /**
   * The key of the file, refused unless it signs what the certificate's public key verifies: a
   * key for another certificate would only fail later, in every handshake, far less clearly.
   */
  private static PrivateKey matchingKey(X509Certificate leaf, Path keyFile, String keySetting,
      String chainSetting) {
    String algorithm = leaf.getPublicKey().getAlgorithm();
    if (!PemFiles.KEY_ALGORITHMS.contains(algorithm)) {
      throw new PemFiles.FileRefused(chainSetting, chainSetting + " holds a certificate for a "
          + algorithm + " key; only RSA and EC keys are supported");
    }
    PrivateKey key = PemFiles.privateKey(keyFile, keySetting, algorithm);
    if (!key.getAlgorithm().equals(algorithm) || !signsFor(key, leaf)) {
      throw new PemFiles.FileRefused(keySetting, keySetting + " does not hold the private key of "
          + "the first certificate in " + chainSetting + ": " + PemFiles.name(keyFile));
    }
    return key;
  }

  private static boolean signsFor(PrivateKey key, X509Certificate leaf) {
    byte[] probe = "meter-sync client certificate check".getBytes(StandardCharsets.US_ASCII);
    try {
      Signature signer = Signature.getInstance(
          key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA");
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      signer.initVerify(leaf.getPublicKey());
      signer.update(probe);
      return signer.verify(signature);
    } catch (GeneralSecurityException e) {
      // A key on another curve than the certificate's fails here rather than in verify.
      return false;
    }
  }

  private static KeyStore emptyStore() throws GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try {
      store.load(null, null);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("an empty key store cannot fail to load", e);
    }
    return store;
  }
}

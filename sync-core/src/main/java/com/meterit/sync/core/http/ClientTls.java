package com.meterit.sync.core.http;

import com.meterit.sync.api.ConfigurationException;
import com.meterit.sync.core.internal.CredentialFiles;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509TrustManager;

/**
 * The {@link SSLContext} of the gateway's own client, made with the JDK's APIs only: trust
 * anchors from a PEM file, added to the JVM's or replacing them, and a client certificate chain
 * with its private key, held in PKCS#12 key stores in memory. It changes what is trusted and what
 * is presented, never how: the JDK client checks the server's name against its certificate
 * whatever the trust, and nothing here can turn that off.
 *
 * <p>It also notes whether a server asked for a client certificate. Under TLS 1.3 a server that
 * wanted one and got none closes the connection after the handshake, and the JDK client reports
 * only a connection reset; the note lets that failure be told for what it is. Thread-safe.
 */
final class ClientTls {
  // Protects the in-memory key store only; it never leaves this class.
  private static final char[] IN_MEMORY = "in-memory".toCharArray();

  /** The context for the client; null keeps the JVM's default. */
  final SSLContext context;
  private final CertificateRequests requests;

  private ClientTls(SSLContext context, CertificateRequests requests) {
    this.context = context;
    this.requests = requests;
  }

  /** No context of ours: the host's client, or the JVM's default. */
  static ClientTls none() {
    return new ClientTls(null, null);
  }

  /**
   * Whether a server asked this client for a certificate while none is set: the cause of a
   * connection it then closes.
   */
  boolean askedForAMissingCertificate() {
    return requests != null && requests.asked && !requests.presents();
  }

  /** Whether a server asked this client for a certificate, and it presented the one set. */
  boolean askedForThePresentedCertificate() {
    return requests != null && requests.asked && requests.presents();
  }

  /**
   * The TLS of the gateway's own client, for the given files, each null when unset (the key
   * with the chain). With no files it keeps the JVM's trust and presents no certificate, as the
   * JVM's default would; if {@code -Djavax.net.ssl.keyStore} gives the JVM a client key, the
   * default context itself is kept so that it still applies.
   *
   * @throws ConfigurationException naming the setting of the file refused
   */
  static ClientTls of(Path caFile, TrustMode mode, Path chainFile, Path keyFile,
      String caSetting, String chainSetting, String keySetting,
      Supplier<List<X509Certificate>> systemTrust) {
    if (caFile == null && chainFile == null && System.getProperty("javax.net.ssl.keyStore") != null) {
      return none();
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
      X509ExtendedKeyManager keys = null;
      if (chainFile != null) {
        List<X509Certificate> chain = PemFiles.certificates(chainFile, chainSetting);
        PrivateKey key = matchingKey(chain.get(0), keyFile, keySetting, chainSetting);
        KeyStore store = emptyStore();
        store.setKeyEntry("client", key, IN_MEMORY, chain.toArray(new X509Certificate[0]));
        KeyManagerFactory kmf =
            KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, IN_MEMORY);
        for (KeyManager manager : kmf.getKeyManagers()) {
          if (manager instanceof X509ExtendedKeyManager) {
            keys = (X509ExtendedKeyManager) manager;
          }
        }
      }
      CertificateRequests requests = new CertificateRequests(keys);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(new KeyManager[] {requests}, trust, null);
      return new ClientTls(context, requests);
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
      throw CredentialFiles.refused(chainSetting, "holds a certificate for a "
          + algorithm + " key; only RSA and EC keys are supported");
    }
    PrivateKey key = PemFiles.privateKey(keyFile, keySetting, algorithm);
    if (!key.getAlgorithm().equals(algorithm) || !signsFor(key, leaf)) {
      throw CredentialFiles.refused(keySetting, "does not hold the private key of the first "
          + "certificate in " + chainSetting + ": " + CredentialFiles.name(keyFile));
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

  /**
   * The client's key manager: the configured certificate's, or none; notes when a server asks
   * for a certificate. Only the client side is used.
   */
  private static final class CertificateRequests extends X509ExtendedKeyManager {
    private final X509ExtendedKeyManager keys;
    volatile boolean asked;

    CertificateRequests(X509ExtendedKeyManager keys) {
      this.keys = keys;
    }

    boolean presents() {
      return keys != null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      asked = true;
      return keys == null ? null : keys.chooseClientAlias(keyType, issuers, socket);
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
      asked = true;
      return keys == null ? null : keys.chooseEngineClientAlias(keyType, issuers, engine);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return keys == null ? null : keys.getClientAliases(keyType, issuers);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return keys == null ? null : keys.getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return keys == null ? null : keys.getPrivateKey(alias);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return null;
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

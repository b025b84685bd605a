package com.meterit.sync.examples.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.meterit.sync.core.SyncConfig;
import com.meterit.sync.core.http.HttpClientSystemGateway;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's diagnosis of an unreachable Client System meets the server as the gateway does:
 * with the gateway's private CA and client certificate, so that it never blames a TLS handshake
 * the gateway itself completes. The server is a real HTTPS server on loopback whose health check
 * answers 503; the gateway trusts it only through {@code CLIENT_API_CA_FILE}.
 */
class ReachabilityTest {
  private static final char[] PASSWORD = "test".toCharArray();
  private static KeyPair caKeys;
  private static X509Certificate ca;
  private static KeyPair serverKeys;
  private static X509Certificate server;
  private static KeyPair clientKeys;
  private static X509Certificate client;

  @TempDir
  Path dir;
  private HttpsServer https;

  @BeforeAll
  static void privatePki() throws Exception {
    caKeys = ec();
    ca = certificate("Utility Private Root", caKeys, "Utility Private Root", caKeys, true, null);
    serverKeys = ec();
    server = certificate("localhost", serverKeys, "Utility Private Root", caKeys, false,
        new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
    clientKeys = ec();
    client = certificate("gw-1", clientKeys, "Utility Private Root", caKeys, false,
        new GeneralName(GeneralName.dNSName, "gw-1"));
  }

  @AfterEach
  void stopServer() {
    if (https != null) {
      https.stop(0);
    }
  }

  @Test
  void aServerTrustedThroughThePrivateCaIsNotBlamedOnTls() throws Exception {
    Map<String, String> env = env(serve(false));
    env.put("CLIENT_API_CA_FILE", writeCa().toString());
    assertEquals("the health check answered HTTP 503", diagnose(env));
  }

  @Test
  void aServerThatRequiresTheClientCertificateIsNotBlamedOnTls() throws Exception {
    Map<String, String> env = env(serve(true));
    env.put("CLIENT_API_CA_FILE", writeCa().toString());
    env.put("CLIENT_API_CERT_FILE", Files.writeString(dir.resolve("client.pem"),
        pem("CERTIFICATE", client.getEncoded())).toString());
    Path key = Files.writeString(dir.resolve("client.key"),
        pem("PRIVATE KEY", clientKeys.getPrivate().getEncoded()));
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    env.put("CLIENT_API_CERT_KEY_FILE", key.toString());
    assertEquals("the health check answered HTTP 503", diagnose(env));
  }

  /** What the agent says, made as the agent makes it. */
  private static String diagnose(Map<String, String> env) {
    SyncConfig config = SyncConfig.fromEnv(env);
    HttpClientSystemGateway gateway = HttpClientSystemGateway.fromConfig(config);
    return new Reachability(config.clientApiUrl(), gateway.sslContext(),
        Reachability.DEFAULT_TIMEOUT).diagnose();
  }

  private static Map<String, String> env(int port) {
    Map<String, String> env = new HashMap<>();
    env.put("CLIENT_API_URL", "https://127.0.0.1:" + port + "/api");
    env.put("CLIENT_API_KEY", "api-key");
    env.put("GATEWAY_ID", "gw-1");
    return env;
  }

  /** Starts the HTTPS server on loopback; its health check answers 503. */
  private int serve(boolean requireClientCertificate) throws Exception {
    https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    https.setHttpsConfigurator(new HttpsConfigurator(serverContext()) {
      @Override
      public void configure(HttpsParameters parameters) {
        parameters.setNeedClientAuth(requireClientCertificate);
      }
    });
    https.createContext("/api/v1/health", exchange -> {
      exchange.sendResponseHeaders(503, -1);
      exchange.close();
    });
    https.start();
    return https.getAddress().getPort();
  }

  private Path writeCa() throws Exception {
    return Files.writeString(dir.resolve("ca.pem"), pem("CERTIFICATE", ca.getEncoded()));
  }

  /** The server's identity, trusting client certificates the private CA signs. */
  private static SSLContext serverContext() throws Exception {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry("server", serverKeys.getPrivate(), PASSWORD,
        new X509Certificate[] {server, ca});
    KeyManagerFactory kmf =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, PASSWORD);
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", ca);
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return context;
  }

  private static KeyPair ec() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  private static X509Certificate certificate(String subject, KeyPair keys, String issuer,
      KeyPair issuerKeys, boolean isCa, GeneralName name) throws Exception {
    Instant now = Instant.now();
    X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name("CN=" + issuer),
        BigInteger.valueOf(now.toEpochMilli()).add(BigInteger.valueOf(subject.hashCode())),
        Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(30))),
        new X500Name("CN=" + subject), keys.getPublic());
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
    if (name != null) {
      builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(name));
    }
    return new JcaX509CertificateConverter().getCertificate(builder.build(
        new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}

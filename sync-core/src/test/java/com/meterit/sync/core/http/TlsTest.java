package com.meterit.sync.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.api.GatewayException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Custom CAs and client certificates against a real TLS server on loopback: each case proves
 * what works, and that the failure without it says what failed, without key material.
 */
class TlsTest {
  private static TestPki.Identity privateCa;
  private static TestPki.Identity clientCa;
  private static TestPki.Identity server;

  @TempDir
  Path dir;

  @BeforeAll
  static void pki() throws Exception {
    privateCa = TestPki.ca("Utility Private Root");
    clientCa = TestPki.ca("Utility Gateway CA");
    server = TestPki.server(privateCa);
  }

  private Path caFile(TestPki.Identity ca) throws Exception {
    return TestPki.writeCertificates(dir.resolve("ca-" + System.nanoTime() + ".pem"), ca.chain);
  }

  private static HttpClientSystemGatewayBuilder builder(TlsServer tls) {
    return HttpClientSystemGateway.builder(tls.url(), "api-key", "gw-1");
  }

  private static GatewayException failsToAuthenticate(HttpClientSystemGateway gateway) {
    return assertThrows(GatewayException.class, gateway::authenticate);
  }

  @Test
  void aServerOfAPrivateCaIsTrustedWithTheCaFileAndRefusedWithout() throws Exception {
    try (TlsServer tls = new TlsServer(TestPki.serverContext(server, null), false)) {
      GatewayException refused = failsToAuthenticate(builder(tls).build());
      assertEquals("authentication failed: TLS handshake with localhost:" + tls.port()
          + " failed: the server's certificate does not lead to a trusted CA; for a private CA, "
          + "setTrustedCertificates", refused.getMessage());
      assertTrue(refused.isTransient());

      HttpClientSystemGateway trusting = builder(tls)
          .setTrustedCertificates(caFile(privateCa), TrustMode.ADD).build();
      trusting.authenticate();
      assertTrue(trusting.testConnection());
      assertEquals(1, tls.tokensIssued.get());
    }
  }

  @Test
  void replaceTrustsOnlyTheFileWhileAddKeepsTheSystemTrust() throws Exception {
    TestPki.Identity systemCa = TestPki.ca("Public Root");
    TestPki.Identity publicServer = TestPki.server(systemCa);
    try (TlsServer publicTls = new TlsServer(TestPki.serverContext(publicServer, null), false);
        TlsServer privateTls = new TlsServer(TestPki.serverContext(server, null), false)) {
      Path ca = caFile(privateCa);
      for (TlsServer tls : List.of(publicTls, privateTls)) {
        HttpClientSystemGatewayBuilder adding = builder(tls)
            .setTrustedCertificates(ca, TrustMode.ADD);
        adding.systemTrust = () -> systemCa.chain;
        adding.build().authenticate();
      }

      HttpClientSystemGatewayBuilder replacing = builder(publicTls)
          .setTrustedCertificates(ca, TrustMode.REPLACE);
      replacing.systemTrust = () -> systemCa.chain;
      GatewayException refused = failsToAuthenticate(replacing.build());
      assertTrue(refused.getMessage().contains("does not lead to a trusted CA"), refused.getMessage());

      HttpClientSystemGatewayBuilder replacingForPrivate = builder(privateTls)
          .setTrustedCertificates(ca, TrustMode.REPLACE);
      replacingForPrivate.systemTrust = () -> systemCa.chain;
      replacingForPrivate.build().authenticate();
    }
  }

  @Test
  void addKeepsTheJvmDefaultTrustAnchors() throws Exception {
    List<java.security.cert.X509Certificate> system = ClientTls.jvmTrust();
    assertFalse(system.isEmpty(), "the JDK's cacerts (or javax.net.ssl.trustStore) are read");
    Path ca = caFile(privateCa);
    assertEquals(system.size() + 1,
        ClientTls.trustAnchors(ca, TrustMode.ADD, "ca", ClientTls::jvmTrust).size());
    assertEquals(List.of(privateCa.certificate()),
        ClientTls.trustAnchors(ca, TrustMode.REPLACE, "ca", ClientTls::jvmTrust));
  }

  @Test
  void aServerThatRequiresAClientCertificateAcceptsOursAndSaysSoWithout() throws Exception {
    for (KeyPair keys : List.of(TestPki.rsa(), TestPki.ec())) {
      TestPki.Identity client = TestPki.client(clientCa, keys, "gw-1");
      try (TlsServer tls = new TlsServer(TestPki.serverContext(server, clientCa), true)) {
        Path ca = caFile(privateCa);
        GatewayException refused = failsToAuthenticate(builder(tls)
            .setTrustedCertificates(ca, TrustMode.ADD).build());
        // TLS 1.3: the server's refusal reaches the client as a closed connection.
        assertTrue(refused.getMessage().startsWith("authentication failed: TLS handshake with "
            + "localhost:" + tls.port() + " failed: the server asked for a client certificate "
            + "and none is set (setClientCertificate); it then closed the connection"),
            refused.getMessage());

        Path chain = TestPki.writeCertificates(dir.resolve("client-" + keys.getPublic().getAlgorithm()
            + ".pem"), client.chain);
        Path key = TestPki.writeKey(dir.resolve("client-" + keys.getPublic().getAlgorithm()
            + ".key"), keys.getPrivate());
        HttpClientSystemGateway gateway = builder(tls)
            .setTrustedCertificates(ca, TrustMode.ADD)
            .setClientCertificate(chain, key)
            .build();
        gateway.authenticate();
        assertTrue(gateway.testConnection(), keys.getPublic().getAlgorithm());
        String keyText = Base64.getEncoder().encodeToString(keys.getPrivate().getEncoded());
        assertFalse(gateway.toString().contains(keyText.substring(0, 20)));
      }
    }
  }

  @Test
  void underTls12TooAMissingClientCertificateIsNamed() throws Exception {
    try (TlsServer tls = new TlsServer(TestPki.serverContext(server, clientCa), true,
        "TLSv1.2")) {
      GatewayException refused = failsToAuthenticate(builder(tls)
          .setTrustedCertificates(caFile(privateCa), TrustMode.ADD).build());
      assertTrue(refused.getMessage().startsWith("authentication failed: TLS handshake with "
          + "localhost:" + tls.port() + " failed: the server asked for a client certificate "
          + "and none is set (setClientCertificate); it then closed the connection"),
          refused.getMessage());
    }
  }

  @Test
  void aClientCertificateOfAnotherCaIsSaidToBeRefused() throws Exception {
    KeyPair keys = TestPki.ec();
    TestPki.Identity stranger = TestPki.client(TestPki.ca("Some Other CA"), keys, "gw-1");
    Path chain = TestPki.writeCertificates(dir.resolve("stranger.pem"), stranger.chain);
    Path key = TestPki.writeKey(dir.resolve("stranger.key"), keys.getPrivate());
    for (String protocol : List.of("TLSv1.3", "TLSv1.2")) {
      try (TlsServer tls = new TlsServer(TestPki.serverContext(server, clientCa), true,
          protocol)) {
        GatewayException refused = failsToAuthenticate(builder(tls)
            .setTrustedCertificates(caFile(privateCa), TrustMode.ADD)
            .setClientCertificate(chain, key).build());
        String message = refused.getMessage();
        assertTrue(message.contains("the server refused this gateway's client certificate")
            || message.contains("it may not accept that certificate"), protocol + ": " + message);
      }
    }
  }

  @Test
  void aCertificateForAnotherNameIsRefusedEvenWithItsCaTrusted() throws Exception {
    TestPki.Identity other = TestPki.serverNamed(privateCa, "client.utility.example");
    try (TlsServer tls = new TlsServer(TestPki.serverContext(other, null), false)) {
      GatewayException refused = failsToAuthenticate(builder(tls)
          .setTrustedCertificates(caFile(privateCa), TrustMode.ADD).build());
      assertEquals("authentication failed: TLS handshake with localhost:" + tls.port()
          + " failed: the server's certificate is not issued for localhost "
          + "(hostname checks are always on)", refused.getMessage());
    }
  }

  @Test
  void anExpiredCertificateIsRefused() throws Exception {
    TestPki.Identity expired = TestPki.expiredServer(privateCa);
    try (TlsServer tls = new TlsServer(TestPki.serverContext(expired, null), false)) {
      GatewayException refused = failsToAuthenticate(builder(tls)
          .setTrustedCertificates(caFile(privateCa), TrustMode.ADD).build());
      assertEquals("authentication failed: TLS handshake with localhost:" + tls.port()
          + " failed: a certificate of the server's chain has expired", refused.getMessage());
    }
  }

  @Test
  void aTrustFailureIsLoggedAsAWarningByTheHealthProbeOncePerCause() throws Exception {
    try (TlsServer tls = new TlsServer(TestPki.serverContext(server, null), false);
        LogCapture logs = new LogCapture()) {
      HttpClientSystemGateway gateway = builder(tls).build();
      assertFalse(gateway.testConnection());
      assertFalse(gateway.testConnection());
      long warnings = logs.warnings().stream()
          .filter(line -> line.contains("does not lead to a trusted CA")).count();
      assertEquals(1, warnings, String.valueOf(logs.lines()));
    }
  }
}

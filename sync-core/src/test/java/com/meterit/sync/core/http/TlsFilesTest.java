package com.meterit.sync.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.api.ConfigurationException;
import com.meterit.sync.core.SyncConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The certificate and key files are checked when the gateway is built: each refusal names the
 * setting (or the variable) and the file, never the key material.
 */
class TlsFilesTest {
  private static final URI URL = URI.create("https://client.utility.example/api");
  private static TestPki.Identity ca;
  private static KeyPair clientKeys;
  private static TestPki.Identity client;

  @TempDir
  Path dir;

  @BeforeAll
  static void pki() throws Exception {
    ca = TestPki.ca("Utility Private Root");
    clientKeys = TestPki.ec();
    client = TestPki.client(ca, clientKeys, "gw-1");
  }

  private static HttpClientSystemGatewayBuilder builder() {
    return HttpClientSystemGateway.builder(URL, "api-key", "gw-1");
  }

  private static String refusal(HttpClientSystemGatewayBuilder builder) {
    return refused(builder).getMessage();
  }

  private static ConfigurationException refused(HttpClientSystemGatewayBuilder builder) {
    return assertThrows(ConfigurationException.class, builder::build);
  }

  private Path chain() throws Exception {
    return TestPki.writeCertificates(dir.resolve("client.pem"), client.chain);
  }

  private Path key() throws Exception {
    return TestPki.writeKey(dir.resolve("client.key"), clientKeys.getPrivate());
  }

  private String keyText() {
    return Base64.getMimeEncoder().encodeToString(clientKeys.getPrivate().getEncoded())
        .substring(0, 40);
  }

  @Test
  void aMissingFileIsNamedWithItsSetting() {
    Path missing = dir.resolve("nope.pem");
    ConfigurationException e = refused(builder().setTrustedCertificates(missing, TrustMode.ADD));
    assertEquals("trustedCertificates", e.setting());
    assertEquals("trustedCertificates names a file that cannot be read: " + missing
        + " (NoSuchFileException)", e.getMessage());
  }

  @Test
  void aFilePathIsEscapedInTheMessageSoThatItStaysOneLine() {
    Path forged = dir.resolve("nope\n12:00:00 [INFO] all clear");
    assertEquals("trustedCertificates names a file that cannot be read: " + dir
        + "/nope\\n12:00:00 [INFO] all clear (NoSuchFileException)",
        refusal(builder().setTrustedCertificates(forged, TrustMode.ADD)));
  }

  @Test
  void aFileLargerThanTheCapIsRefusedWithoutReadingItAll() throws Exception {
    Path huge = dir.resolve("huge.pem");
    Files.write(huge, new byte[PemFiles.MAX_FILE_BYTES + 1]);
    assertEquals("trustedCertificates names a file larger than 65536 bytes: " + huge,
        refusal(builder().setTrustedCertificates(huge, TrustMode.ADD)));
    ConfigurationException key = refused(builder().setClientCertificate(chain(), huge));
    assertEquals("clientCertificate key", key.setting());
    assertEquals("clientCertificate key names a file larger than 65536 bytes: " + huge,
        key.getMessage());
  }

  @Test
  void aDeviceThatNeverEndsIsRefusedAsTooLarge() {
    Path zero = Path.of("/dev/zero");
    assertEquals("trustedCertificates names a file larger than 65536 bytes: /dev/zero",
        refusal(builder().setTrustedCertificates(zero, TrustMode.REPLACE)));
  }

  @Test
  void aFileWithoutCertificatesIsRefused() throws Exception {
    Path text = Files.writeString(dir.resolve("empty.pem"), "# nothing here\n");
    assertEquals("trustedCertificates names a file without a PEM certificate: " + text,
        refusal(builder().setTrustedCertificates(text, TrustMode.ADD)));
    Path broken = Files.writeString(dir.resolve("broken.pem"),
        "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
    assertTrue(refusal(builder().setTrustedCertificates(broken, TrustMode.ADD)).startsWith(
        "trustedCertificates names a file whose certificate 1 cannot be read: " + broken));
  }

  @Test
  void keysThatAreNotPlainPkcs8AreRefusedWithTheWayToConvertThem() throws Exception {
    Path encrypted = Files.writeString(dir.resolve("enc.key"),
        TestPki.pem("ENCRYPTED PRIVATE KEY", clientKeys.getPrivate().getEncoded()));
    String message = refusal(builder().setClientCertificate(chain(), encrypted));
    assertEquals("clientCertificate key names an encrypted private key: " + encrypted
        + "; store it unencrypted as PKCS#8 (openssl pkcs8 -topk8 -nocrypt), readable by the "
        + "agent only", message);
    Path pkcs1 = Files.writeString(dir.resolve("rsa.key"),
        TestPki.pem("RSA PRIVATE KEY", clientKeys.getPrivate().getEncoded()));
    assertEquals("clientCertificate key names an RSA PRIVATE KEY, not PKCS#8: " + pkcs1
        + "; convert it with openssl pkcs8 -topk8 -nocrypt",
        refusal(builder().setClientCertificate(chain(), pkcs1)));
    Path none = Files.writeString(dir.resolve("none.key"), "nothing\n");
    assertEquals("clientCertificate key names a file without a PEM private key: " + none,
        refusal(builder().setClientCertificate(chain(), none)));
    Path garbage = Files.writeString(dir.resolve("garbage.key"),
        TestPki.pem("PRIVATE KEY", new byte[] {1, 2, 3}));
    assertEquals("clientCertificate key names a file whose private key cannot be read as an RSA "
        + "or EC key: " + garbage + " (InvalidKeySpecException)",
        refusal(builder().setClientCertificate(chain(), garbage)));
  }

  @Test
  void aKeyThatDoesNotMatchTheCertificateIsRefused() throws Exception {
    Path other = TestPki.writeKey(dir.resolve("other.key"), TestPki.ec().getPrivate());
    String message = refusal(builder().setClientCertificate(chain(), other));
    assertEquals("clientCertificate key does not hold the private key of the first certificate "
        + "in clientCertificate chain: " + other, message);
  }

  @Test
  void aKeyFileOthersCanReadIsWarnedAboutNamingItsMode() throws Exception {
    Path key = key();
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
    try (LogCapture logs = new LogCapture()) {
      builder().setClientCertificate(chain(), key).build();
      assertEquals(List.of("clientCertificate key " + key + " is readable or writable by others "
          + "(mode 0644); make it private to the agent's user: chmod 600 " + key),
          logs.warnings());
    }
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw----rw-"));
    try (LogCapture logs = new LogCapture()) {
      builder().setClientCertificate(chain(), key).build();
      assertTrue(logs.warnings().get(0).contains("(mode 0606)"), String.valueOf(logs.warnings()));
    }
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    try (LogCapture logs = new LogCapture()) {
      builder().setClientCertificate(chain(), key).build();
      assertEquals(List.of(), logs.warnings());
    }
  }

  @Test
  void noRefusalOrToStringCarriesTheKey() throws Exception {
    Path chainAsKey = chain();
    String message = refusal(builder().setClientCertificate(key(), chainAsKey));
    assertFalse(message.contains(keyText()), message);
    HttpClientSystemGateway gateway = builder().setClientCertificate(chain(), key()).build();
    assertFalse(gateway.toString().contains(keyText()));
  }

  @Test
  void certificatesGoWithTheGatewaysOwnClientOnlyAndWithHttpsOnly() throws Exception {
    HttpClient own = HttpClient.newHttpClient();
    assertEquals("trustedCertificates and clientCertificate configure the gateway's own HTTP "
        + "client; with setHttpClient, give that client an SSLContext instead",
        assertThrows(IllegalArgumentException.class,
            builder().setHttpClient(own).setClientCertificate(chain(), key())::build)
            .getMessage());
    HttpClientSystemGatewayBuilder plain = HttpClientSystemGateway.builder(
        URI.create("http://127.0.0.1:8080"), "api-key", "gw-1")
        .setTrustedCertificates(TestPki.writeCertificates(dir.resolve("ca.pem"), ca.chain),
            TrustMode.ADD);
    ConfigurationException e = refused(plain);
    assertEquals("trustedCertificates", e.setting());
    assertEquals("trustedCertificates is set but baseUrl uses plain http, which has no TLS",
        e.getMessage());
  }

  @Test
  void theGatewayHandsOutTheTlsContextItsConnectionsUse() throws Exception {
    SSLContext hosts = SSLContext.getInstance("TLS");
    hosts.init(null, null, null);
    HttpClient own = HttpClient.newBuilder().sslContext(hosts).build();
    assertSame(hosts, builder().setHttpClient(own).build().sslContext());
    HttpClientSystemGateway withCa = builder().setTrustedCertificates(
        TestPki.writeCertificates(dir.resolve("ca.pem"), ca.chain), TrustMode.ADD).build();
    assertNotSame(SSLContext.getDefault(), withCa.sslContext());
  }

  @Test
  void fromConfigNamesTheVariableOfTheFileItRefuses() throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("CLIENT_API_URL", URL.toString());
    env.put("CLIENT_API_KEY", "api-key");
    env.put("GATEWAY_ID", "gw-1");
    env.put("CLIENT_API_CERT_FILE", chain().toString());
    Path other = TestPki.writeKey(dir.resolve("other.key"), TestPki.rsa().getPrivate());
    env.put("CLIENT_API_CERT_KEY_FILE", other.toString());
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> HttpClientSystemGateway.fromConfig(SyncConfig.fromEnv(env)));
    assertEquals("CLIENT_API_CERT_KEY_FILE", e.setting());
    assertEquals("CLIENT_API_CERT_KEY_FILE does not hold the private key of the first "
        + "certificate in CLIENT_API_CERT_FILE: " + other, e.getMessage());

    env.put("CLIENT_API_CERT_KEY_FILE", key().toString());
    Path missing = dir.resolve("missing-ca.pem");
    env.put("CLIENT_API_CA_FILE", missing.toString());
    e = assertThrows(ConfigurationException.class,
        () -> HttpClientSystemGateway.fromConfig(SyncConfig.fromEnv(env)));
    assertEquals("CLIENT_API_CA_FILE", e.setting());
    assertEquals("CLIENT_API_CA_FILE names a file that cannot be read: " + missing
        + " (NoSuchFileException)", e.getMessage());

    TestPki.writeCertificates(missing, ca.chain);
    HttpClientSystemGateway.fromConfig(SyncConfig.fromEnv(env));
  }
}

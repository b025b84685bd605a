package com.meterit.sync.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.api.ConfigurationException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The TLS variables: a CA file and its mode, a client certificate and its key. */
class SyncConfigTlsTest {
  private static Map<String, String> env(String... pairs) {
    Map<String, String> env = new HashMap<>();
    env.put("CLIENT_API_URL", "https://client.meterit.com/api");
    env.put("CLIENT_API_KEY", "k");
    env.put("GATEWAY_ID", "gw-17");
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  private static ConfigurationException refused(Map<String, String> env) {
    return assertThrows(ConfigurationException.class, () -> SyncConfig.fromEnv(env));
  }

  @Test
  void withoutTheVariablesTheJvmTrustAloneAppliesAndNoCertificateIsSent() {
    SyncConfig config = SyncConfig.fromEnv(env());
    assertEquals(Optional.empty(), config.clientApiCaFile());
    assertFalse(config.clientApiCaReplacesSystemTrust());
    assertEquals(Optional.empty(), config.clientApiCertFile());
    assertEquals(Optional.empty(), config.clientApiCertKeyFile());
  }

  @Test
  void readsTheCaFileItsModeAndTheClientCertificate() {
    SyncConfig config = SyncConfig.fromEnv(env("CLIENT_API_CA_FILE", "/etc/meter-sync/ca.pem",
        "CLIENT_API_CERT_FILE", "/etc/meter-sync/gw.pem",
        "CLIENT_API_CERT_KEY_FILE", "/run/credentials/meter-sync/gw.key"));
    assertEquals(Optional.of(Path.of("/etc/meter-sync/ca.pem")), config.clientApiCaFile());
    assertFalse(config.clientApiCaReplacesSystemTrust());
    assertEquals(Optional.of(Path.of("/etc/meter-sync/gw.pem")), config.clientApiCertFile());
    assertEquals(Optional.of(Path.of("/run/credentials/meter-sync/gw.key")),
        config.clientApiCertKeyFile());
    assertTrue(SyncConfig.fromEnv(env("CLIENT_API_CA_FILE", "/etc/ca.pem",
        "CLIENT_API_CA_MODE", "replace")).clientApiCaReplacesSystemTrust());
    assertFalse(SyncConfig.fromEnv(env("CLIENT_API_CA_FILE", "/etc/ca.pem",
        "CLIENT_API_CA_MODE", "add")).clientApiCaReplacesSystemTrust());
    assertTrue(config.toString().contains("clientApiCaFile=/etc/meter-sync/ca.pem"),
        config.toString());
  }

  @Test
  void refusesAModeOtherThanAddOrReplaceAndAModeWithoutAFile() {
    ConfigurationException bad = refused(env("CLIENT_API_CA_FILE", "/etc/ca.pem",
        "CLIENT_API_CA_MODE", "only"));
    assertEquals("CLIENT_API_CA_MODE", bad.setting());
    assertEquals("CLIENT_API_CA_MODE must be add or replace: 'only'", bad.getMessage());
    ConfigurationException alone = refused(env("CLIENT_API_CA_MODE", "replace"));
    assertEquals("CLIENT_API_CA_MODE", alone.setting());
    assertEquals("CLIENT_API_CA_MODE is set but CLIENT_API_CA_FILE is not", alone.getMessage());
  }

  @Test
  void theClientCertificateAndItsKeyGoTogether() {
    ConfigurationException noKey = refused(env("CLIENT_API_CERT_FILE", "/etc/gw.pem"));
    assertEquals("CLIENT_API_CERT_KEY_FILE", noKey.setting());
    assertEquals("CLIENT_API_CERT_FILE is set but CLIENT_API_CERT_KEY_FILE is not; set both",
        noKey.getMessage());
    ConfigurationException noCert = refused(env("CLIENT_API_CERT_KEY_FILE", "/etc/gw.key"));
    assertEquals("CLIENT_API_CERT_FILE", noCert.setting());
    assertEquals("CLIENT_API_CERT_KEY_FILE is set but CLIENT_API_CERT_FILE is not; set both",
        noCert.getMessage());
  }
}

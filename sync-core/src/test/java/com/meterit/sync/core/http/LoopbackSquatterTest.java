package com.meterit.sync.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The gateway is shared with strangers, and any local user may listen on a loopback port above
 * 1023 whenever the process meant to (a local TLS proxy, a tunnel, the simulated Client System)
 * is down. Plain http to loopback stays allowed, as the quick start and existing deployments use
 * it, but a port a stranger may bind is named at build time, with the way out.
 */
class LoopbackSquatterTest {
  @Test
  void plainHttpToAnUnprivilegedLoopbackPortIsWarnedAboutNamingThePort() {
    try (LogCapture logs = new LogCapture()) {
      HttpClientSystemGateway.builder(URI.create("http://127.0.0.1:18099/api"), "the-real-api-key",
          "gw-1").build();

      List<String> warnings = logs.warnings();
      assertEquals(1, warnings.size(), warnings.toString());
      assertTrue(warnings.get(0).contains("port 18099"), warnings.get(0));
      assertTrue(warnings.get(0).contains("any local user"), warnings.get(0));
      assertFalse(warnings.get(0).contains("the-real-api-key"), warnings.get(0));
    }
  }

  @Test
  void aPrivilegedLoopbackPortOrAnExplicitAllowanceIsNotWarnedAbout() {
    try (LogCapture logs = new LogCapture()) {
      HttpClientSystemGateway.builder(URI.create("http://127.0.0.1/api"), "k", "gw-1").build();
      HttpClientSystemGateway.builder(URI.create("http://localhost:443/api"), "k", "gw-1").build();
      HttpClientSystemGateway.builder(URI.create("http://127.0.0.1:18099/api"), "k", "gw-1")
          .setAllowInsecureHttp(true).build();

      assertEquals(List.of(), logs.warnings());
    }
  }
}

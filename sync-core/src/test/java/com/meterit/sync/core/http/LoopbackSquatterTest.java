package com.meterit.sync.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.meterit.sync.api.ConfigurationException;
import com.meterit.sync.core.SyncConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * The gateway is shared with strangers, and any local user may listen on a loopback port above
 * 1023 whenever the process meant to (a local TLS proxy or tunnel to the Client System) is down
 * or restarting. Plain http to such a port hands that user the API key, and yet it is accepted
 * without {@code CLIENT_API_ALLOW_INSECURE_HTTP}, as if loopback were private.
 */
class LoopbackSquatterTest {
  private static final String KEY = "the-real-api-key";

  @Test
  @Disabled("finding: plain http to an unprivileged loopback port is accepted without "
      + "CLIENT_API_ALLOW_INSECURE_HTTP, and a local user listening there receives X-Api-Key")
  void plainHttpToALoopbackPortAnyLocalUserMayBindIsRefusedUnlessAllowed() throws Exception {
    try (ServerSocket stranger = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      AtomicReference<String> received = new AtomicReference<>("");
      Thread listen = new Thread(() -> {
        try (Socket s = stranger.accept()) {
          s.setSoTimeout(10_000);
          received.set(readHead(s.getInputStream()));
          s.getOutputStream().write("HTTP/1.1 500 x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII));
        } catch (IOException ignored) {
          // nobody came: what the test wants
        }
      });
      listen.setDaemon(true);
      listen.start();
      Map<String, String> env = Map.of(
          "CLIENT_API_URL", "http://127.0.0.1:" + stranger.getLocalPort() + "/api",
          "CLIENT_API_KEY", KEY, "GATEWAY_ID", "gw-1");
      try {
        ConfigurationException e = assertThrows(ConfigurationException.class,
            () -> HttpClientSystemGateway.fromConfig(SyncConfig.fromEnv(env)).authenticate());
        assertEquals("CLIENT_API_URL", e.setting());
      } finally {
        stranger.close();
        listen.join();
        assertFalse(received.get().contains(KEY), "the local listener received the key");
      }
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      head.write(b);
      if (head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
        break;
      }
    }
    return head.toString(StandardCharsets.US_ASCII);
  }
}

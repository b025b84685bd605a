package com.meterit.sync.examples.tools.simulator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.examples.tools.simulator.SimulatedClientSystem;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code SimulatedClientSystem}'s main, as the README runs it. */
class SimulatorMainTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static int health(URI api) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(api + "/v1/health"))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Test
  void printsItsUrlAndKeyAndSwitchesFaultsFromStdin() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process simulator = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
        SimulatedClientSystem.class.getName(), "--port=0", "--key=readme-key"))
        .redirectErrorStream(true).start();
    try (BufferedReader out = new BufferedReader(
            new InputStreamReader(simulator.getInputStream(), StandardCharsets.UTF_8));
        OutputStream in = simulator.getOutputStream()) {
      assertEquals("Simulated Client System (API v1) listening on loopback", out.readLine());
      String url = out.readLine().trim();
      assertTrue(url.startsWith("CLIENT_API_URL=http://127.0.0.1:"), url);
      assertEquals("CLIENT_API_KEY=readme-key", out.readLine().trim());
      URI api = URI.create(url.substring("CLIENT_API_URL=".length()));
      assertEquals(200, health(api));

      in.write("down\n".getBytes(StandardCharsets.UTF_8));
      in.flush();
      await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
        try {
          health(api);
          return false;
        } catch (IOException dropped) {
          return true;
        }
      });
      assertThrows(IOException.class, () -> health(api));
    } finally {
      simulator.destroy();
      simulator.waitFor(30, TimeUnit.SECONDS);
    }
  }
}

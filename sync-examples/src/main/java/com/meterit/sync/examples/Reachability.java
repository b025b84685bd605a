package com.meterit.sync.examples;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/**
 * Finds out why the Client System cannot be reached, with one health request of its own: the
 * engine's connectivity monitor knows only that its probe failed. The request uses the gateway's
 * TLS context, so that it trusts the same CAs and presents the same client certificate: a
 * handshake the gateway completes is never blamed. Blocks up to the timeout, so it runs on the
 * agent's own thread, never on the engine's scheduler.
 */
final class Reachability {
  /** How long the diagnosis waits for each step of the health request. */
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  private final URI health;
  private final Duration timeout;
  private final HttpClient client;

  /** @param tls the gateway's TLS context ({@code HttpClientSystemGateway.sslContext()}) */
  Reachability(URI clientApiUrl, SSLContext tls, Duration timeout) {
    String base = clientApiUrl.toString();
    this.health = URI.create((base.endsWith("/") ? base : base + "/") + "v1/health");
    this.timeout = timeout;
    this.client = HttpClient.newBuilder().sslContext(tls).connectTimeout(timeout).build();
  }

  /** Why a health request to the Client System fails now, or that it answers after all. */
  String diagnose() {
    try {
      HttpResponse<Void> response = client.send(
          HttpRequest.newBuilder(health).timeout(timeout).GET().build(),
          HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200 ? "the health check answers again"
          : "the health check answered HTTP " + response.statusCode();
    } catch (IOException e) {
      return Failures.why(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "the diagnosis was interrupted";
    }
  }
}

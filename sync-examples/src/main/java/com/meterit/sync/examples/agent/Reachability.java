package com.meterit.sync.examples.agent;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;

/**
 * Finds out why the Client System cannot be reached, with one health request of its own: the
 * engine's connectivity monitor knows only that its probe failed. The request uses the gateway's
 * TLS context, so that it trusts the same CAs and presents the same client certificate: a
 * handshake the gateway completes is never blamed. Blocks up to a few times the timeout, so it
 * runs on the agent's own thread, never on the engine's scheduler.
 *
 * <p>Only the status is read: the body is dropped unread, since a server whose body never ends
 * would otherwise hold the agent's thread (and the purge that shares it) for good.
 */
final class Reachability {
  /** How long the diagnosis waits for each step of the health request. */
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  private final URI health;
  private final Duration timeout;
  private final SSLContext tls;

  /** @param tls the gateway's TLS context ({@code HttpClientSystemGateway.sslContext()}) */
  Reachability(URI clientApiUrl, SSLContext tls, Duration timeout) {
    String base = clientApiUrl.toString();
    this.health = URI.create((base.endsWith("/") ? base : base + "/") + "v1/health");
    this.timeout = timeout;
    this.tls = tls;
  }

  /** Why a health request to the Client System fails now, or that it answers after all. */
  String diagnose() {
    // A client per diagnosis, which happens when the link is lost: one kept for it would hold a
    // selector thread and its buffers for the agent's whole life.
    HttpClient client = HttpClient.newBuilder().sslContext(tls).connectTimeout(timeout).build();
    CompletableFuture<HttpResponse<Void>> answer = client.sendAsync(
        HttpRequest.newBuilder(health).timeout(timeout).GET().build(), info -> new StatusOnly());
    try {
      // Connecting and the headers each have the timeout; this bounds the whole, TLS included.
      HttpResponse<Void> response = answer.get(timeout.multipliedBy(3).toNanos(),
          TimeUnit.NANOSECONDS);
      return response.statusCode() == 200 ? "the health check answers again"
          : "the health check answered HTTP " + response.statusCode();
    } catch (ExecutionException e) {
      return Failures.why(e.getCause() == null ? e : e.getCause());
    } catch (TimeoutException e) {
      answer.cancel(true);
      return "timed out waiting for an answer";
    } catch (InterruptedException e) {
      answer.cancel(true);
      Thread.currentThread().interrupt();
      return "the diagnosis was interrupted";
    }
  }

  /** Completes with the headers and cancels the body, which closes the connection. */
  private static final class StatusOnly implements HttpResponse.BodySubscriber<Void> {
    @Override
    public CompletionStage<Void> getBody() {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      subscription.cancel();
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
      // cancelled on subscription: nothing is read
    }

    @Override
    public void onError(Throwable throwable) {
      // the status is all that was wanted
    }

    @Override
    public void onComplete() {
      // the status is all that was wanted
    }
  }
}

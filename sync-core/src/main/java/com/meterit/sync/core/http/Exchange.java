package com.meterit.sync.core.http;

import com.meterit.sync.api.GatewayTimeoutException;
import com.meterit.sync.api.TransientGatewayException;
import com.meterit.sync.core.internal.Redaction;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One request and its whole answer, within deadlines.
 *
 * <p>The JDK's request timeout stops counting once the headers arrive; a link that drops after
 * them would leave the body read waiting forever. So every exchange is sent asynchronously and
 * its answer, headers and complete body, is awaited for at most the exchange deadline. When that
 * passes, the body subscription is cancelled (which closes the connection) and the call fails as
 * transient. This holds for a host's own {@link HttpClient} too, since it needs nothing from the
 * client's configuration.
 *
 * <p>Every failure message names the deadline or the cause, and goes through {@link Redaction}.
 * Thread-safe.
 */
final class Exchange {
  /** The largest response body read, in bytes. */
  private final int maxResponseBytes;
  private final HttpClient client;
  private final Duration requestTimeout;
  private final Duration exchangeTimeout;
  private final String userAgent;
  private final String basePath;
  private final Redaction redaction;
  private final TlsFailures tlsFailures;

  Exchange(HttpClient client, Duration requestTimeout, Duration exchangeTimeout, String userAgent,
      URI baseUrl, int maxResponseBytes, Redaction redaction, TlsFailures tlsFailures) {
    this.client = client;
    this.requestTimeout = requestTimeout;
    this.exchangeTimeout = exchangeTimeout;
    this.userAgent = userAgent;
    this.basePath = baseUrl.getRawPath() == null ? "" : baseUrl.getRawPath().replaceAll("/+$", "");
    this.maxResponseBytes = maxResponseBytes;
    this.redaction = redaction;
    this.tlsFailures = tlsFailures;
  }

  /** An answer: status, headers, and the complete body (at most the configured size). */
  static final class Response {
    final int status;
    final HttpHeaders headers;
    final byte[] body;

    Response(int status, HttpHeaders headers, byte[] body) {
      this.status = status;
      this.headers = headers;
      this.body = body;
    }
  }

  /**
   * Sends the request and reads the whole answer.
   *
   * @param what the operation, for messages, such as "upload of batch 5b0c..."
   * @throws TransientGatewayException when no complete answer came within the deadlines, the
   *     link failed, the answer is too large, or it came from another origin after a redirect
   */
  Response send(HttpRequest.Builder builder, String what) {
    HttpRequest request;
    try {
      request = builder.timeout(requestTimeout).header("User-Agent", userAgent).build();
    } catch (IllegalArgumentException | IllegalStateException e) {
      // The JDK quotes a refused header value in its message; it is cleaned, never attached.
      throw transientFailure(what + ": the request could not be built: "
          + redaction.describe(e, 200), null);
    }
    String target = request.method() + " " + relativePath(request.uri());
    AtomicReference<BoundedBody> body = new AtomicReference<>();
    CompletableFuture<HttpResponse<byte[]>> future;
    try {
      future = client.sendAsync(request, info -> {
        BoundedBody subscriber = new BoundedBody(maxResponseBytes);
        body.set(subscriber);
        return subscriber;
      });
    } catch (RuntimeException e) {
      throw transientFailure(what + " failed: " + redaction.describe(e, 300), e);
    }
    HttpResponse<byte[]> response;
    try {
      response = future.get(exchangeTimeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      abort(future, body.get());
      throw timeout(what + ": no complete answer within the exchange deadline ("
          + exchangeTimeout + ") from " + target, null);
    } catch (InterruptedException e) {
      abort(future, body.get());
      Thread.currentThread().interrupt();
      throw transientFailure(what + " was interrupted", null);
    } catch (ExecutionException e) {
      abort(future, body.get());
      throw failed(what, target, request.uri(), e.getCause());
    }
    if (!sameOrigin(response.uri(), request.uri())) {
      // Only a host's client follows redirects; the builder refuses those, so this is a client
      // that claims not to. The credentials may have gone along; at least its answer does not.
      throw transientFailure(what + ": the answer came from another origin after a redirect ("
          + Redaction.maskUrl(origin(response.uri())) + "); refused", null);
    }
    return new Response(response.statusCode(), response.headers(), response.body());
  }

  private TransientGatewayException failed(String what, String target, URI uri,
      Throwable cause) {
    if (cause instanceof HttpConnectTimeoutException) {
      String deadline = client.connectTimeout().map(Duration::toString).orElse("the client's");
      return timeout(what + ": no connection within the connect deadline (" + deadline
          + ") for " + target, cause);
    }
    if (cause instanceof HttpTimeoutException) {
      return timeout(what + ": no answer headers within the request deadline ("
          + requestTimeout + ") from " + target, cause);
    }
    if (cause instanceof TooLargeException) {
      return transientFailure(what + ": the answer from " + target + " is larger than "
          + maxResponseBytes + " bytes", null);
    }
    String tls = tlsFailures.describe(cause, uri.getHost());
    if (tls != null) {
      return new TlsFailures.HandshakeFailed(what + " failed: TLS handshake with "
          + Redaction.escape(uri.getHost()) + ":" + port(uri) + " failed: " + tls,
          redaction.sanitize(cause));
    }
    String link = LinkFailures.describe(cause, uri);
    return transientFailure(what + " failed: "
        + (link != null ? link : redaction.describe(cause, 300)), cause);
  }

  private GatewayTimeoutException timeout(String message, Throwable cause) {
    return new GatewayTimeoutException(message, cause == null ? null : redaction.sanitize(cause));
  }

  private TransientGatewayException transientFailure(String message, Throwable cause) {
    return new TransientGatewayException(
        message, 0, null, null, cause == null ? null : redaction.sanitize(cause));
  }

  private static void abort(CompletableFuture<?> future, BoundedBody body) {
    if (body != null) {
      body.abort();
    }
    // Before the headers, only cancelling the future stops the exchange (JDK 16 and later).
    future.cancel(true);
  }

  private String relativePath(URI uri) {
    String path = Objects.requireNonNullElse(uri.getRawPath(), "");
    return Redaction.bounded(path.startsWith(basePath) ? path.substring(basePath.length()) : path,
        200);
  }

  /** Scheme, host and port: a different port is a different server as far as secrets go. */
  static boolean sameOrigin(URI a, URI b) {
    return a.getScheme().equalsIgnoreCase(b.getScheme())
        && a.getHost().equalsIgnoreCase(b.getHost())
        && port(a) == port(b);
  }

  static int port(URI uri) {
    if (uri.getPort() != -1) {
      return uri.getPort();
    }
    return uri.getScheme().toLowerCase(Locale.ROOT).equals("https") ? 443 : 80;
  }

  private static String origin(URI uri) {
    return uri.getScheme() + "://" + uri.getRawAuthority();
  }

  /** The body reached the size limit; the subscription was cancelled. */
  static final class TooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    TooLargeException(int limit) {
      super("the answer is larger than " + limit + " bytes", null);
    }
  }

  /**
   * Collects the body up to a size limit. Past the limit, or when the caller gives up, it cancels
   * its subscription, which makes the JDK close the connection instead of reading on.
   */
  static final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {
    private final int limit;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();
    private volatile boolean aborted;

    BoundedBody(int limit) {
      this.limit = limit;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      if (!subscription.compareAndSet(null, s) || aborted) {
        s.cancel();
        return;
      }
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      for (ByteBuffer item : items) {
        if (result.isDone()) {
          return;
        }
        if (bytes.size() + (long) item.remaining() > limit) {
          cancel();
          result.completeExceptionally(new TooLargeException(limit));
          return;
        }
        byte[] chunk = new byte[item.remaining()];
        item.get(chunk);
        bytes.write(chunk, 0, chunk.length);
      }
    }

    @Override
    public void onError(Throwable t) {
      result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      result.complete(bytes.toByteArray());
    }

    /** Stops reading: the deadline passed or the caller was interrupted. */
    void abort() {
      aborted = true;
      cancel();
      result.cancel(false);
    }

    private void cancel() {
      Flow.Subscription s = subscription.get();
      if (s != null) {
        s.cancel();
      }
    }
  }
}

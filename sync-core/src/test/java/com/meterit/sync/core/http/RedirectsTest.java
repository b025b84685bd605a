package com.meterit.sync.core.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.meterit.sync.core.http.WireMockSupport.API_KEY;
import static com.meterit.sync.core.http.WireMockSupport.GATEWAY;
import static com.meterit.sync.core.http.WireMockSupport.TOKEN;
import static com.meterit.sync.core.http.WireMockSupport.base;
import static com.meterit.sync.core.http.WireMockSupport.stubToken;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.meterit.sync.api.Reading;
import com.meterit.sync.api.TransientGatewayException;
import com.meterit.sync.api.UploadBatch;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Server A redirects to server B (both loopback, different ports, so different origins). The API
 * key and the token must never reach B, and B's answer must never be taken for A's.
 */
class RedirectsTest {
  @RegisterExtension
  static final WireMockExtension a = WireMockExtension.newInstance()
      .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")).build();
  @RegisterExtension
  static final WireMockExtension b = WireMockExtension.newInstance()
      .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")).build();

  private final UploadBatch batch = UploadBatch.of(List.of(
      Reading.of(1, "m-1", Instant.parse("2026-01-01T00:15:00Z"), BigDecimal.ONE, "kWh")));

  private void redirectEverythingFromAToB() {
    a.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(307)
        .withHeader("Location", base(b) + "/v1/readings/batches")));
    stubToken(b, TOKEN, 3600);
    b.stubFor(post(urlEqualTo("/api/v1/readings/batches")).willReturn(aResponse().withStatus(200)
        .withBody("{\"batchId\":\"" + batch.batchId() + "\",\"accepted\":1}")));
  }

  @Test
  void aRedirectIsNeverFollowedSoTheKeyNeverReachesAnotherServer() {
    redirectEverythingFromAToB();
    // A host's client with Redirect.ALWAYS cannot be used at all (see the builder test); our
    // own client and a host's client with Redirect.NEVER both stop at A.
    HttpClient hostClient = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    for (HttpClientSystemGateway gateway : List.of(
        HttpClientSystemGateway.builder(base(a), API_KEY, GATEWAY).build(),
        HttpClientSystemGateway.builder(base(a), API_KEY, GATEWAY).setHttpClient(hostClient).build())) {
      TransientGatewayException e =
          assertThrows(TransientGatewayException.class, () -> gateway.uploadBatch(batch));
      assertTrue(e.getMessage().startsWith("authentication was redirected (HTTP 307); redirects are "
          + "never followed"), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> HttpClientSystemGateway
        .builder(base(a), API_KEY, GATEWAY)
        .setHttpClient(HttpClient.newBuilder().followRedirects(HttpClient.Redirect.ALWAYS).build()));
    assertEquals(0, b.findAll(anyRequestedFor(anyUrl())).size(), "B was reached");
  }

  @Test
  void anAnswerFromAnotherOriginIsRefusedEvenFromAClientThatFollowedTheRedirect() {
    redirectEverythingFromAToB();
    stubToken(a, TOKEN, 3600);
    HttpClient lying = new ClaimsNeverToRedirect(
        HttpClient.newBuilder().followRedirects(HttpClient.Redirect.ALWAYS).build());
    HttpClientSystemGateway gateway =
        HttpClientSystemGateway.builder(base(a), API_KEY, GATEWAY).setHttpClient(lying).build();

    TransientGatewayException e =
        assertThrows(TransientGatewayException.class, () -> gateway.uploadBatch(batch));

    assertEquals("upload of batch " + batch.batchId() + ": the answer came from another origin "
        + "after a redirect (http://127.0.0.1:" + b.getPort() + "); refused", e.getMessage());
  }

  /** A host client that follows redirects but says it does not, so the builder accepts it. */
  private static final class ClaimsNeverToRedirect extends HttpClient {
    private final HttpClient delegate;

    ClaimsNeverToRedirect(HttpClient delegate) {
      this.delegate = delegate;
    }

    @Override
    public Redirect followRedirects() {
      return Redirect.NEVER;
    }

    @Override
    public Optional<CookieHandler> cookieHandler() {
      return delegate.cookieHandler();
    }

    @Override
    public Optional<Duration> connectTimeout() {
      return delegate.connectTimeout();
    }

    @Override
    public Optional<ProxySelector> proxy() {
      return delegate.proxy();
    }

    @Override
    public SSLContext sslContext() {
      return delegate.sslContext();
    }

    @Override
    public SSLParameters sslParameters() {
      return delegate.sslParameters();
    }

    @Override
    public Optional<Authenticator> authenticator() {
      return delegate.authenticator();
    }

    @Override
    public Version version() {
      return delegate.version();
    }

    @Override
    public Optional<Executor> executor() {
      return delegate.executor();
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
        throws IOException, InterruptedException {
      return delegate.send(request, handler);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(
        HttpRequest request, HttpResponse.BodyHandler<T> handler) {
      return delegate.sendAsync(request, handler);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
        HttpResponse.BodyHandler<T> handler, HttpResponse.PushPromiseHandler<T> push) {
      return delegate.sendAsync(request, handler, push);
    }
  }
}

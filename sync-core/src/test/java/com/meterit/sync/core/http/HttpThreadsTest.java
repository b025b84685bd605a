package com.meterit.sync.core.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The gateway's own HTTP client hands its executor more than short steps: the JDK (17) resolves
 * the server's host name there, a blocking lookup that waits out a dead resolver for seconds
 * (seen with a security manager's {@code checkConnect}: the lookup runs on the client's executor,
 * not the caller's thread). A lookup stalled on a thread must not hold up the other exchanges'
 * steps, such as delivering the answer of a batch in flight before its deadline.
 */
class HttpThreadsTest {
  @RegisterExtension
  static final WireMockExtension wm = WireMockExtension.newInstance()
      .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
      .build();

  @Test
  void anExchangeCompletesWhileLookupsStallOtherThreadsOfTheClient() throws Exception {
    wm.stubFor(get(urlEqualTo("/health")).willReturn(aResponse().withStatus(200).withBody("ok")));
    Executor executor = HttpThreads.executor();
    HttpClient client = HttpClient.newBuilder().executor(executor).build();
    CountDownLatch resolverBack = new CountDownLatch(1);
    // Stand-ins for two lookups stalled on the resolver, as many as the client had threads.
    int stalled = 2;
    CountDownLatch allStalled = new CountDownLatch(stalled);
    try {
      for (int i = 0; i < stalled; i++) {
        executor.execute(() -> {
          allStalled.countDown();
          try {
            resolverBack.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
      }
      assertTrue(allStalled.await(10, TimeUnit.SECONDS),
          "every stalled lookup got a thread of its own");

      CompletableFuture<HttpResponse<String>> answer = client.sendAsync(
          HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + wm.getPort() + "/health")).build(),
          HttpResponse.BodyHandlers.ofString());

      HttpResponse<String> response = answer.get(10, TimeUnit.SECONDS);
      assertEquals(200, response.statusCode());
      assertEquals("ok", response.body());
    } finally {
      resolverBack.countDown();
      ((ExecutorService) executor).shutdown();
    }
  }
}

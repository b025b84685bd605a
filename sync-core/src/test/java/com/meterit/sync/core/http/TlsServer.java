package com.meterit.sync.core.http;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * A real TLS server on loopback (the JDK's {@link HttpsServer}), answering the health probe and
 * the token endpoint; optionally requiring a client certificate.
 */
final class TlsServer implements AutoCloseable {
  private final HttpsServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(2);
  final AtomicInteger tokensIssued = new AtomicInteger();

  TlsServer(SSLContext context, boolean needClientAuth, String... protocols) throws IOException {
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(context) {
      @Override
      public void configure(HttpsParameters params) {
        javax.net.ssl.SSLParameters p = context.getDefaultSSLParameters();
        p.setNeedClientAuth(needClientAuth);
        if (protocols.length > 0) {
          p.setProtocols(protocols);
        }
        params.setSSLParameters(p);
      }
    });
    server.createContext("/v1/health", exchange -> {
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    server.createContext("/v1/auth/token", exchange -> {
      exchange.getRequestBody().readAllBytes();
      byte[] body = ("{\"accessToken\":\"tok-" + tokensIssued.incrementAndGet()
          + "\",\"tokenType\":\"Bearer\",\"expiresIn\":3600}").getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.setExecutor(executor);
    server.start();
  }

  /** The base URL, by the name {@code localhost}. */
  URI url() {
    return URI.create("https://localhost:" + server.getAddress().getPort());
  }

  int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}

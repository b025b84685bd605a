package com.meterit.sync.examples.tools.bench;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.HTTP2Cipher;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.AbstractHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The {@link BenchServer}'s answers over TLS, on 127.0.0.1, speaking HTTP/2 or HTTP/1.1 alone:
 * what a gateway meets at a Client System behind https. With {@code http2}, the server offers
 * {@code h2} and {@code http/1.1} by ALPN and the JDK client picks {@code h2}; without it, the
 * server offers no ALPN and the client falls back to HTTP/1.1, so both are measured over the same
 * TLS. Jetty 11 (the harness's only use of it; the agent listens on no port).
 */
final class TlsBenchServer implements AutoCloseable {
  private final Server server;
  private final ServerConnector connector;
  private final boolean http2;

  /**
   * @param answers counts and answers the requests
   * @param certificate the server's key and self-signed certificate, for 127.0.0.1
   * @param http2 true to offer HTTP/2 by ALPN, false for HTTP/1.1 alone
   */
  TlsBenchServer(BenchServer answers, BenchCertificate certificate, boolean http2)
      throws Exception {
    this.http2 = http2;
    QueuedThreadPool threads = new QueuedThreadPool(32, 4);
    threads.setName("bench-tls-server");
    threads.setDaemon(true);
    server = new Server(threads);
    SslContextFactory.Server tls = new SslContextFactory.Server();
    tls.setKeyStorePath(certificate.keyStore.toString());
    tls.setKeyStoreType("PKCS12");
    tls.setKeyStorePassword(certificate.password);
    HttpConfiguration http = new HttpConfiguration();
    HttpConnectionFactory http11 = new HttpConnectionFactory(http);
    ConnectionFactory[] factories;
    if (http2) {
      // RFC 7540 forbids some TLS 1.2 ciphers for h2; the comparator puts the allowed ones first.
      tls.setCipherComparator(HTTP2Cipher.COMPARATOR);
      HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(http);
      ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory();
      alpn.setDefaultProtocol(http11.getProtocol());
      factories = new ConnectionFactory[] {
          new SslConnectionFactory(tls, alpn.getProtocol()), alpn, h2, http11};
    } else {
      factories = new ConnectionFactory[] {
          new SslConnectionFactory(tls, http11.getProtocol()), http11};
    }
    connector = new ServerConnector(server, factories);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    // A real Client System keeps connections for minutes; loading a backlog can take longer
    // than Jetty's default of 30 s.
    connector.setIdleTimeout(600_000);
    server.addConnector(connector);
    server.setHandler(new Answers(answers));
    server.start();
  }

  /** {@code https://127.0.0.1:<port>/api}. */
  URI url() {
    return URI.create("https://127.0.0.1:" + connector.getLocalPort() + "/api");
  }

  /** {@code HTTP/2} or {@code HTTP/1.1}: what a client that offers both gets here. */
  String protocol() {
    return http2 ? "HTTP/2" : "HTTP/1.1";
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }

  private static final class Answers extends AbstractHandler {
    private final BenchServer answers;

    Answers(BenchServer answers) {
      this.answers = answers;
    }

    @Override
    public void handle(String target, Request base, HttpServletRequest request,
        HttpServletResponse response) throws IOException {
      byte[] body;
      try (InputStream in = request.getInputStream()) {
        body = in.readAllBytes();
      }
      BenchServer.Answer answer = answers.answer(request.getRequestURI(),
          request.getHeader("Content-Encoding"), body);
      response.setStatus(answer.status);
      if (answer.body != null) {
        byte[] bytes = answer.body.getBytes(StandardCharsets.UTF_8);
        response.setContentType("application/json");
        response.setContentLength(bytes.length);
        try (OutputStream out = response.getOutputStream()) {
          out.write(bytes);
        }
      }
      base.setHandled(true);
    }
  }
}

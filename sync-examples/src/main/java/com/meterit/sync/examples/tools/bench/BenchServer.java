package com.meterit.sync.examples.tools.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;

/**
 * A Client System that does the minimum real work per upload: decompress, parse, count, answer.
 * It does not deduplicate or keep readings, so it measures the gateway, not a server.
 */
final class BenchServer implements AutoCloseable {
  static {
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private static final JsonFactory JSON = new JsonFactory();

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
    Thread t = new Thread(r, "bench-server");
    t.setDaemon(true);
    return t;
  });
  final AtomicLong readings = new AtomicLong();
  final AtomicLong bytes = new AtomicLong();
  final AtomicLong requests = new AtomicLong();

  BenchServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
    server.setExecutor(executor);
    server.createContext("/api/", this::handle);
    server.start();
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api");
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    Answer answer = answer(exchange.getRequestURI().getPath(),
        exchange.getRequestHeaders().getFirst("Content-Encoding"), body);
    if (answer.body == null) {
      exchange.sendResponseHeaders(answer.status, -1);
      exchange.close();
    } else {
      send(exchange, answer.status, answer.body);
    }
  }

  /** An answer: a status, and a JSON body or none. */
  static final class Answer {
    final int status;
    final String body;

    Answer(int status, String body) {
      this.status = status;
      this.body = body;
    }
  }

  /**
   * The answer to a request, whichever server received it: this one, or the TLS server in front
   * of the same counts ({@link TlsBenchServer}).
   */
  Answer answer(String path, String contentEncoding, byte[] body) throws IOException {
    if (path.endsWith("/v1/readings/batches")) {
      requests.incrementAndGet();
      bytes.addAndGet(body.length);
      boolean gzip = "gzip".equals(contentEncoding);
      String[] batchId = {""};
      long count = count(gzip ? new GZIPInputStream(new java.io.ByteArrayInputStream(body))
          : new java.io.ByteArrayInputStream(body), batchId);
      readings.addAndGet(count);
      return new Answer(200,
          "{\"batchId\":\"" + batchId[0] + "\",\"accepted\":" + count + ",\"rejected\":[]}");
    } else if (path.endsWith("/v1/auth/token")) {
      return new Answer(200,
          "{\"accessToken\":\"bench\",\"tokenType\":\"Bearer\",\"expiresIn\":86400}");
    } else if (path.endsWith("/heartbeat")) {
      return new Answer(204, null);
    } else if (path.endsWith("/config")) {
      return new Answer(304, null);
    }
    return new Answer(200, "{}");
  }

  /** Parses the batch with Jackson's streaming parser and counts the readings. */
  private static long count(InputStream in, String[] batchId) throws IOException {
    long n = 0;
    try (JsonParser parser = JSON.createParser(in)) {
      int depth = 0;
      JsonToken token;
      while ((token = parser.nextToken()) != null) {
        if (token == JsonToken.START_OBJECT) {
          depth++;
          if (depth == 2) {
            n++;
          }
        } else if (token == JsonToken.END_OBJECT) {
          depth--;
        } else if (token == JsonToken.FIELD_NAME && depth == 1 && "batchId".equals(parser.currentName())) {
          parser.nextToken();
          batchId[0] = parser.getText();
        } else if (token == JsonToken.VALUE_NUMBER_FLOAT) {
          parser.getDecimalValue();
        }
      }
    }
    return n;
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}

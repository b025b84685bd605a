package com.meterit.sync.jdbc;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.meterit.sync.core.http.HttpClientSystemGateway;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

/**
 * A Client System on loopback that accepts every upload and keeps each request as it arrived:
 * the {@code Idempotency-Key}, and the body's text, so that a test can read each value exactly as
 * it was written on the wire, not as a JSON library would parse it.
 */
final class LoopbackClientSystem implements AutoCloseable {
  private static final JsonFactory JSON = new JsonFactory();

  /** One upload request as received. */
  static final class Upload {
    final String idempotencyKey;
    final String batchId;
    /** The readings' fields in order, each value as its raw JSON text. */
    final List<Map<String, String>> readings;

    Upload(String idempotencyKey, String batchId, List<Map<String, String>> readings) {
      this.idempotencyKey = idempotencyKey;
      this.batchId = batchId;
      this.readings = readings;
    }
  }

  private final HttpServer server;
  final List<Upload> uploads = new CopyOnWriteArrayList<>();

  LoopbackClientSystem() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/api/v1/auth/token", fixed(200,
        "{\"accessToken\":\"tok-1\",\"tokenType\":\"Bearer\",\"expiresIn\":3600}"));
    server.createContext("/api/v1/readings/batches", this::upload);
    server.createContext("/api/v1/health", fixed(200, "{}"));
    server.createContext("/api/v1/gateways/", fixed(204, null));
    server.start();
  }

  HttpClientSystemGateway gateway(Clock clock) {
    URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api");
    return HttpClientSystemGateway.builder(base, "key-loopback", "gw-1").setClock(clock).build();
  }

  /** Every value received, by reading id, as its raw JSON text. */
  Map<Long, String> valuesById() {
    Map<Long, String> values = new LinkedHashMap<>();
    for (Upload u : uploads) {
      for (Map<String, String> r : u.readings) {
        values.put(Long.parseLong(r.get("id")), r.get("value"));
      }
    }
    return values;
  }

  /**
   * The batch id a body's readings must carry, computed from the text received as {@code
   * BatchDigest} documents it: per reading, the fields joined by U+001F, closed by U+001E.
   */
  static String digestOf(List<Map<String, String>> readings) throws Exception {
    MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
    for (Map<String, String> r : readings) {
      String line = r.get("id") + '\u001f' + r.get("meterId") + '\u001f' + r.get("timestamp")
          + '\u001f' + r.get("value") + '\u001f' + r.get("unit") + '\u001f'
          + r.getOrDefault("quality", "") + '\u001e';
      sha256.update(line.getBytes(StandardCharsets.UTF_8));
    }
    byte[] hash = sha256.digest();
    StringBuilder hex = new StringBuilder(32);
    for (int i = 0; i < 16; i++) {
      hex.append(Character.forDigit((hash[i] >> 4) & 0xf, 16)).append(Character.forDigit(hash[i] & 0xf, 16));
    }
    return hex.toString();
  }

  private void upload(HttpExchange ex) throws IOException {
    byte[] body;
    try (InputStream in = ex.getRequestBody()) {
      body = in.readAllBytes();
    }
    if ("gzip".equalsIgnoreCase(ex.getRequestHeaders().getFirst("Content-Encoding"))) {
      try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
        body = in.readAllBytes();
      }
    }
    String batchId = null;
    List<Map<String, String>> readings = new ArrayList<>();
    try (JsonParser p = JSON.createParser(body)) {
      p.nextToken();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.getCurrentName();
        p.nextToken();
        if (field.equals("batchId")) {
          batchId = p.getText();
        } else if (field.equals("readings")) {
          while (p.nextToken() == JsonToken.START_OBJECT) {
            Map<String, String> reading = new LinkedHashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String name = p.getCurrentName();
              p.nextToken();
              // getText() of a number token is its text as written, not a re-formatted value.
              reading.put(name, p.getText());
            }
            readings.add(reading);
          }
        } else {
          p.skipChildren();
        }
      }
    }
    uploads.add(new Upload(ex.getRequestHeaders().getFirst("Idempotency-Key"), batchId, readings));
    answer(ex, 200, "{\"batchId\":\"" + batchId + "\",\"accepted\":" + readings.size()
        + ",\"rejected\":[]}");
  }

  private static HttpHandler fixed(int status, String json) {
    return ex -> {
      ex.getRequestBody().readAllBytes();
      answer(ex, status, json);
    };
  }

  private static void answer(HttpExchange ex, int status, String json) {
    try {
      if (json == null) {
        ex.sendResponseHeaders(status, -1);
        return;
      }
      byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "application/json");
      ex.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      ex.close();
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

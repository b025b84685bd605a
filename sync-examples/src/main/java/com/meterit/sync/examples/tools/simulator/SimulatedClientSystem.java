package com.meterit.sync.examples.tools.simulator;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;

/**
 * A Client System that implements API v1 faithfully, in-process on loopback: API-key
 * authentication with expiring tokens, deduplication by {@code Idempotency-Key} and by reading
 * id, per-reading rejection of invalid readings, configuration with an ETag, heartbeats, and the
 * {@link Fault faults} a cellular link meets. Values are parsed as exact decimals.
 *
 * <p>As the IETF Idempotency-Key draft says, a request whose key is still being processed (a
 * retry that overtook a slow first attempt, see {@link #setProcessingTime}) is answered {@code
 * 409} with {@code Retry-After: 1}, and a key reused with a different body {@code 422}.
 *
 * <p>With {@link #setCompactUploads} it announces the compact upload encoding in its token
 * answers and reads it ({@link SimColumns}); otherwise it answers a compact upload 415.
 *
 * <p>It keeps everything it accepted, so a test or the demo can check that every reading arrived
 * exactly once. Thread-safe.
 */
public final class SimulatedClientSystem implements AutoCloseable {
  static {
    // Without it, Nagle's algorithm against delayed ACKs stalls each answer for ~40 ms.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  /** The units the simulated server accepts; others are rejected per reading. */
  public static final Set<String> UNITS = Set.of("kWh", "Wh", "m3", "l", "GJ");

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);

  private final String apiKey;
  private final HttpServer server;
  private final ExecutorService executor;
  private final Clock clock = Clock.systemUTC();
  private final SecureRandom random = new SecureRandom();
  private final AtomicInteger uploads = new AtomicInteger();

  // Guarded by this.
  private final Map<String, Instant> tokens = new HashMap<>();
  private final Set<String> inProcessing = new HashSet<>();
  private Duration processingTime = Duration.ZERO;
  private int inProgressAnswers;
  private final SimLedger ledger = new SimLedger();
  private final List<JsonNode> heartbeats = new ArrayList<>();
  private Fault fault = Fault.NONE;
  private Duration tokenLifetime = Duration.ofHours(1);
  private Map<String, Object> config = Map.of("version", "1");
  private int tokensIssued;
  private long bytesReceived;
  private boolean compactUploads;
  private int compactBatches;

  private SimulatedClientSystem(String apiKey, int port) throws IOException {
    this.apiKey = apiKey;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
    this.executor = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "simulated-client-system");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/api/", this::handle);
    server.start();
  }

  /** Starts a server on a free loopback port that accepts {@code apiKey}. */
  public static SimulatedClientSystem start(String apiKey) throws IOException {
    return new SimulatedClientSystem(apiKey, 0);
  }

  /**
   * Starts a server on {@code port} of the loopback interface (0: any free port) that accepts
   * {@code apiKey}.
   *
   * @throws IOException when the port is taken
   */
  public static SimulatedClientSystem start(String apiKey, int port) throws IOException {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be between 0 and 65535: " + port);
    }
    return new SimulatedClientSystem(apiKey, port);
  }

  /**
   * Runs a server until Ctrl-C, for trying the agent by hand: prints its {@code CLIENT_API_URL}
   * and API key, then what it accepts. Options: {@code --port=8080} (default), {@code --key=KEY}
   * (default: a random one), {@code --compact} (announce and accept the compact upload
   * encoding), {@code --fault=DOWN} (see {@link Fault}); typing a fault's name and
   * Enter switches to it.
   */
  public static void main(String[] args) throws Exception {
    System.exit(SimulatorCommand.run(args, System.in, System.out, System.err));
  }

  /** The {@code CLIENT_API_URL} of this server. */
  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api");
  }

  /** Switches the server into a fault, or back to {@link Fault#NONE}. */
  public synchronized void setFault(Fault fault) {
    this.fault = fault;
  }

  /**
   * How long the server works on a batch it has not recorded yet before it records and answers
   * it; zero (the default) answers at once. A request with the same key meanwhile is answered
   * 409.
   */
  public synchronized void setProcessingTime(Duration processingTime) {
    if (processingTime.isNegative()) {
      throw new IllegalArgumentException("processingTime must not be negative: " + processingTime);
    }
    this.processingTime = processingTime;
  }

  /** Requests answered 409 because a request with their key was still being processed. */
  public synchronized int inProgressAnswers() {
    return inProgressAnswers;
  }

  /**
   * Whether the server announces the compact upload encoding in its token answers and accepts
   * it; default false, and then a compact upload is answered 415. Tokens issued before a change
   * keep what their answer announced, as a gateway believes them.
   */
  public synchronized void setCompactUploads(boolean compactUploads) {
    this.compactUploads = compactUploads;
  }

  /** Uploads received in the compact encoding and decoded, replays included. */
  public synchronized int compactBatches() {
    return compactBatches;
  }

  /** How long new tokens live. */
  public synchronized void setTokenLifetime(Duration lifetime) {
    this.tokenLifetime = lifetime;
  }

  /** Expires every issued token at once, as a key rotation on the server would. */
  public synchronized void expireAllTokens() {
    tokens.clear();
  }

  /** Publishes a new configuration; heartbeats announce its version. */
  public synchronized void publishConfig(String version, int syncIntervalSeconds, int batchSize,
      int maxRetries, int heartbeatIntervalSeconds) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("version", version);
    c.put("syncIntervalSeconds", syncIntervalSeconds);
    c.put("batchSize", batchSize);
    c.put("maxRetries", maxRetries);
    c.put("heartbeatIntervalSeconds", heartbeatIntervalSeconds);
    this.config = c;
  }

  /** Each accepted reading's exact value, by the gateway's reading id. */
  public synchronized Map<Long, BigDecimal> accepted() {
    return ledger.accepted();
  }

  /** The number of readings accepted, each counted once. */
  public synchronized int acceptedCount() {
    return ledger.acceptedCount();
  }

  /** Readings this server rejected, with its reasons. */
  public synchronized Map<Long, String> rejected() {
    return ledger.rejected();
  }

  /** Readings accepted under more than one distinct batch: must stay empty. */
  public synchronized Set<Long> acceptedUnderSeveralBatches() {
    return ledger.acceptedUnderSeveralBatches();
  }

  /** Batch ids replayed with different content (answered 422): must stay 0. */
  public synchronized int conflicts() {
    return ledger.conflicts();
  }

  public synchronized int tokensIssued() {
    return tokensIssued;
  }

  public synchronized int heartbeatCount() {
    return heartbeats.size();
  }

  /** Upload requests received, retries and replays included. */
  public int uploadRequests() {
    return uploads.get();
  }

  /** Request body bytes of uploads, as received on the wire. */
  public synchronized long bytesReceived() {
    return bytesReceived;
  }

  /**
   * Waits until at least {@code count} readings were accepted.
   *
   * @return whether they were, before the timeout
   */
  public synchronized boolean awaitAccepted(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (ledger.acceptedCount() < count) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      Fault now;
      synchronized (this) {
        now = fault;
      }
      if (now == Fault.DOWN) {
        // No answer at all: the client sees the connection drop, as on a dead link.
        exchange.close();
        return;
      }
      if (now == Fault.SLOW) {
        TimeUnit.SECONDS.sleep(2);
      }
      String path = exchange.getRequestURI().getPath().substring("/api".length());
      String method = exchange.getRequestMethod();
      if (path.equals("/v1/health") && method.equals("GET")) {
        send(exchange, 200, "{\"status\":\"ok\"}");
      } else if (path.equals("/v1/auth/token") && method.equals("POST")) {
        token(exchange);
      } else if (path.equals("/v1/readings/batches") && method.equals("POST")) {
        upload(exchange, now);
      } else if (path.matches("/v1/gateways/[^/]+/config") && method.equals("GET")) {
        config(exchange);
      } else if (path.matches("/v1/gateways/[^/]+/heartbeat") && method.equals("POST")) {
        heartbeat(exchange);
      } else {
        send(exchange, 404, "{\"error\":\"no such endpoint\"}");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      exchange.close();
    } catch (RuntimeException e) {
      send(exchange, 500, "{\"error\":\"" + e.getClass().getSimpleName() + "\"}");
    }
  }

  private void token(HttpExchange exchange) throws IOException {
    readBody(exchange);
    if (!apiKey.equals(exchange.getRequestHeaders().getFirst("X-Api-Key"))) {
      send(exchange, 401, "{\"error\":\"invalid API key\"}");
      return;
    }
    byte[] bytes = new byte[18];
    random.nextBytes(bytes);
    String token = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    long lifetime;
    boolean compact;
    synchronized (this) {
      tokens.put(token, clock.instant().plus(tokenLifetime));
      tokensIssued++;
      lifetime = Math.max(1, tokenLifetime.getSeconds());
      compact = compactUploads;
    }
    send(exchange, 200, "{\"accessToken\":\"" + token + "\",\"tokenType\":\"Bearer\",\"expiresIn\":"
        + lifetime + (compact ? ",\"uploadEncodings\":[\"application/json\",\"" + SimColumns.MEDIA_TYPE
            + "\"]" : "") + "}");
  }

  private boolean authorized(HttpExchange exchange) {
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    if (header == null || !header.startsWith("Bearer ")) {
      return false;
    }
    synchronized (this) {
      Instant expiry = tokens.get(header.substring(7));
      return expiry != null && clock.instant().isBefore(expiry);
    }
  }

  private void upload(HttpExchange exchange, Fault now) throws IOException, InterruptedException {
    int n = uploads.incrementAndGet();
    byte[] raw = readBody(exchange);
    if (!authorized(exchange)) {
      send(exchange, 401, "{\"error\":\"token expired\"}");
      return;
    }
    if (now == Fault.UNAVAILABLE) {
      exchange.getResponseHeaders().set("Retry-After", "1");
      send(exchange, 503, "{\"error\":\"overloaded\"}");
      return;
    }
    byte[] body = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))
        ? gunzip(raw) : raw;
    String type = exchange.getRequestHeaders().getFirst("Content-Type");
    boolean compact = type != null
        && type.replace(" ", "").equalsIgnoreCase(SimColumns.MEDIA_TYPE);
    String batchId;
    List<SimReading> readings;
    if (compact) {
      synchronized (this) {
        if (!compactUploads) {
          compact = false;
        } else {
          compactBatches++;
        }
      }
      if (!compact) {
        send(exchange, 415, "{\"error\":\"this server takes application/json\"}");
        return;
      }
      try {
        SimColumns.Decoded decoded = SimColumns.decode(body);
        batchId = decoded.batchId;
        readings = decoded.readings;
      } catch (IllegalArgumentException e) {
        send(exchange, 400, "{\"error\":\"malformed compact body\"}");
        return;
      }
    } else {
      JsonNode batch;
      try {
        batch = JSON.readTree(body);
      } catch (IOException e) {
        send(exchange, 400, "{\"error\":\"malformed JSON\"}");
        return;
      }
      batchId = batch.path("batchId").asText("");
      JsonNode list = batch.get("readings");
      if (list != null && list.isArray()) {
        List<SimReading> read = new ArrayList<>();
        list.forEach(r -> read.add(SimReading.fromJson(r)));
        readings = read;
      } else {
        readings = null;
      }
    }
    String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
    if (batchId.isEmpty() || !batchId.equals(key) || readings == null) {
      send(exchange, 400, "{\"error\":\"batchId, Idempotency-Key and readings are required\"}");
      return;
    }
    Duration work;
    synchronized (this) {
      bytesReceived += raw.length;
      if (inProcessing.contains(batchId)) {
        inProgressAnswers++;
        work = null;
      } else {
        work = ledger.has(batchId) ? Duration.ZERO : processingTime;
        inProcessing.add(batchId);
      }
    }
    if (work == null) {
      exchange.getResponseHeaders().set("Retry-After", "1");
      send(exchange, 409, "{\"error\":\"a request with this Idempotency-Key is still being "
          + "processed\"}");
      return;
    }
    byte[] answer;
    try {
      if (!work.isZero()) {
        // The work goes on even if the gateway stops waiting for its answer.
        TimeUnit.NANOSECONDS.sleep(work.toNanos());
      }
    } catch (InterruptedException e) {
      synchronized (this) {
        inProcessing.remove(batchId);
      }
      throw e;
    }
    synchronized (this) {
      answer = ledger.record(batchId, readings);
      inProcessing.remove(batchId);
      notifyAll();
    }
    if (answer == null) {
      send(exchange, 422, "{\"error\":\"Idempotency-Key reused with a different body\"}");
      return;
    }
    if (now == Fault.RESET && n % 3 == 0) {
      exchange.close();
      return;
    }
    send(exchange, 200, answer);
  }

  private void config(HttpExchange exchange) throws IOException {
    readBody(exchange);
    if (!authorized(exchange)) {
      send(exchange, 401, "{\"error\":\"token expired\"}");
      return;
    }
    Map<String, Object> current;
    synchronized (this) {
      current = config;
    }
    String etag = "\"" + current.get("version") + "\"";
    if (etag.equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
      exchange.getResponseHeaders().set("ETag", etag);
      exchange.sendResponseHeaders(304, -1);
      exchange.close();
      return;
    }
    exchange.getResponseHeaders().set("ETag", etag);
    send(exchange, 200, JSON.writeValueAsString(current));
  }

  private void heartbeat(HttpExchange exchange) throws IOException {
    byte[] body = readBody(exchange);
    if (!authorized(exchange)) {
      send(exchange, 401, "{\"error\":\"token expired\"}");
      return;
    }
    Object version;
    synchronized (this) {
      heartbeats.add(JSON.readTree(body));
      version = config.get("version");
    }
    send(exchange, 200, "{\"configVersion\":\"" + version + "\"}");
  }

  private static byte[] readBody(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      return in.readAllBytes();
    }
  }

  private static byte[] gunzip(byte[] bytes) throws IOException {
    try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(bytes))) {
      return in.readAllBytes();
    }
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    send(exchange, status, body.getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}

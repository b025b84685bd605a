package com.meterit.sync.core.http;

import com.meterit.sync.api.AuthenticationFailedException;
import com.meterit.sync.api.BatchRejectedException;
import com.meterit.sync.api.ClientSystemGateway;
import com.meterit.sync.api.GatewayException;
import com.meterit.sync.api.GatewayForbiddenException;
import com.meterit.sync.api.Heartbeat;
import com.meterit.sync.api.HeartbeatReply;
import com.meterit.sync.api.PayloadTooLargeException;
import com.meterit.sync.api.RemoteConfig;
import com.meterit.sync.api.TransientGatewayException;
import com.meterit.sync.api.UploadBatch;
import com.meterit.sync.api.UploadResult;
import com.meterit.sync.core.SdkVersion;
import com.meterit.sync.core.SyncConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ClientSystemGateway} speaking Client System API v1 over the JDK's {@link HttpClient}.
 *
 * <p>It authenticates with the API key for a bearer token, keeps the token until shortly before
 * it expires (concurrent callers share one refresh), and on a 401 refreshes once and repeats the
 * call. Upload bodies are streamed into gzip by Jackson; response bodies are read up to
 * {@link #MAX_RESPONSE_BYTES}. Every failure is mapped to the typed exceptions of
 * {@code sync-api}: see {@code docs/client-system-api.md} for the table.
 *
 * <p>Plain http is refused unless the host is loopback or
 * {@link Builder#setAllowInsecureHttp(boolean)} says otherwise. TLS checks are the JDK's and stay
 * on. The API key and the token never appear in a log, an exception message or
 * {@link #toString()}. Thread-safe.
 */
public final class HttpClientSystemGateway implements ClientSystemGateway {
  private static final Logger log = LoggerFactory.getLogger(HttpClientSystemGateway.class);

  /** The default time to establish a connection: 10 seconds. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  /** The default time for a whole request and its answer: 30 seconds. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
  /** The largest response body read: {@value} bytes. A larger one is an error. */
  public static final int MAX_RESPONSE_BYTES = 1024 * 1024;

  private static final String JSON = "application/json";

  private final URI baseUrl;
  private final String apiKey;
  private final String gatewayId;
  private final String userAgent;
  private final boolean gzip;
  private final Duration requestTimeout;
  private final HttpClient client;
  private final Clock clock;
  private final TokenCache tokens;
  private final URI healthUri;
  private final URI tokenUri;
  private final URI batchesUri;
  private final URI configUri;
  private final URI heartbeatUri;
  private volatile String configEtag;

  private HttpClientSystemGateway(Builder b) {
    this.baseUrl = b.baseUrl;
    this.apiKey = b.apiKey;
    this.gatewayId = b.gatewayId;
    this.userAgent = "meter-sync/" + SdkVersion.get();
    this.gzip = b.gzip;
    this.requestTimeout = b.requestTimeout;
    this.clock = b.clock;
    this.client = b.httpClient != null
        ? b.httpClient
        : HttpClient.newBuilder()
            .connectTimeout(b.connectTimeout)
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    String base = baseUrl.toString().replaceAll("/+$", "");
    String gateway = URLEncoder.encode(gatewayId, StandardCharsets.UTF_8).replace("+", "%20");
    this.healthUri = URI.create(base + "/v1/health");
    this.tokenUri = URI.create(base + "/v1/auth/token");
    this.batchesUri = URI.create(base + "/v1/readings/batches");
    this.configUri = URI.create(base + "/v1/gateways/" + gateway + "/config");
    this.heartbeatUri = URI.create(base + "/v1/gateways/" + gateway + "/heartbeat");
    this.tokens = new TokenCache(this::issueToken, clock);
  }

  /**
   * Starts a gateway for the Client System at {@code baseUrl} (such as
   * {@code https://client.meterit.com/api}), with this gateway's API key and id.
   */
  public static Builder builder(URI baseUrl, String apiKey, String gatewayId) {
    return new Builder(baseUrl, apiKey, gatewayId);
  }

  /**
   * A gateway configured from {@code CLIENT_API_URL}, {@code CLIENT_API_KEY} and
   * {@code GATEWAY_ID}, as read by {@link SyncConfig#fromEnv()}.
   *
   * @throws com.meterit.sync.api.ConfigurationException naming a missing or malformed variable
   */
  public static HttpClientSystemGateway fromEnv() {
    return fromConfig(SyncConfig.fromEnv());
  }

  /** A gateway for the URL, key and id of {@code config}. */
  public static HttpClientSystemGateway fromConfig(SyncConfig config) {
    return builder(config.clientApiUrl(), config.apiKey(), config.gatewayId()).build();
  }

  @Override
  public boolean testConnection() {
    try {
      Response r = send(HttpRequest.newBuilder(healthUri).GET(), "health probe");
      return r.status == 200;
    } catch (TransientGatewayException e) {
      log.debug("Health probe failed: {}", e.getMessage());
      return false;
    }
  }

  @Override
  public void authenticate() {
    tokens.refresh();
  }

  private WireFormat.Token issueToken() {
    HttpRequest.Builder request = HttpRequest.newBuilder(tokenUri)
        .header("X-Api-Key", apiKey)
        .header("Content-Type", JSON)
        .POST(HttpRequest.BodyPublishers.ofByteArray(bytes(() -> WireFormat.authBody(gatewayId))));
    Response r = send(request, "authentication");
    if (r.status == 200) {
      try {
        return WireFormat.token(r.body);
      } catch (WireFormat.MalformedException e) {
        throw malformed("authentication", e);
      }
    }
    if (r.status == 401) {
      throw new AuthenticationFailedException(
          "the Client System refused the API key (HTTP 401)", 401, excerpt(r));
    }
    throw failure("authentication", r, false);
  }

  @Override
  public UploadResult uploadBatch(UploadBatch batch) {
    byte[] body = bytes(() -> WireFormat.batchBody(gatewayId, batch, gzip));
    Response r = authorized("upload of batch " + batch.batchId(), token -> {
      HttpRequest.Builder request = HttpRequest.newBuilder(batchesUri)
          .header("Authorization", "Bearer " + token)
          .header("Idempotency-Key", batch.batchId())
          .header("Content-Type", JSON)
          .POST(HttpRequest.BodyPublishers.ofByteArray(body));
      if (gzip) {
        request.header("Content-Encoding", "gzip");
      }
      return request;
    });
    if (r.status != 200 && r.status != 201) {
      throw failure("upload of batch " + batch.batchId(), r, true);
    }
    try {
      WireFormat.BatchAnswer answer = WireFormat.batchAnswer(r.body);
      return new UploadResult(answer.batchId, answer.accepted, answer.rejected, body.length);
    } catch (WireFormat.MalformedException e) {
      throw malformed("upload of batch " + batch.batchId(), e);
    }
  }

  @Override
  public Optional<RemoteConfig> downloadConfig() {
    String etag = configEtag;
    Response r = authorized("configuration download", token -> {
      HttpRequest.Builder request = HttpRequest.newBuilder(configUri)
          .header("Authorization", "Bearer " + token)
          .header("Accept", JSON)
          .GET();
      if (etag != null) {
        request.header("If-None-Match", etag);
      }
      return request;
    });
    if (r.status == 304) {
      return Optional.empty();
    }
    if (r.status != 200) {
      throw failure("configuration download", r, false);
    }
    try {
      RemoteConfig config = WireFormat.config(r.body);
      configEtag = r.headers.firstValue("ETag").orElse(null);
      return Optional.of(config);
    } catch (WireFormat.MalformedException e) {
      throw malformed("configuration download", e);
    }
  }

  @Override
  public HeartbeatReply sendHeartbeat(Heartbeat heartbeat) {
    byte[] body = bytes(() -> WireFormat.heartbeatBody(gatewayId, SdkVersion.get(), heartbeat));
    Response r = authorized("heartbeat", token -> HttpRequest.newBuilder(heartbeatUri)
        .header("Authorization", "Bearer " + token)
        .header("Content-Type", JSON)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    if (r.status == 204) {
      return HeartbeatReply.empty();
    }
    if (r.status != 200) {
      throw failure("heartbeat", r, false);
    }
    try {
      return HeartbeatReply.withConfigVersion(WireFormat.heartbeatConfigVersion(r.body));
    } catch (WireFormat.MalformedException e) {
      throw malformed("heartbeat", e);
    }
  }

  /**
   * Sends a request that carries the token. On a 401 the token is replaced once (shared with
   * concurrent callers) and the request repeated; a second 401 means the credentials are bad.
   */
  private Response authorized(String what, Function<String, HttpRequest.Builder> request) {
    String token = tokens.get();
    Response r = send(request.apply(token), what);
    if (r.status != 401) {
      return r;
    }
    log.debug("{}: token refused (HTTP 401); refreshing it once", what);
    r = send(request.apply(tokens.replace(token)), what);
    if (r.status == 401) {
      throw new AuthenticationFailedException(
          what + ": the Client System refused a freshly issued token (HTTP 401)", 401, excerpt(r));
    }
    return r;
  }

  private Response send(HttpRequest.Builder request, String what) {
    HttpRequest built = request
        .timeout(requestTimeout)
        .header("User-Agent", userAgent)
        .build();
    try {
      HttpResponse<InputStream> response =
          client.send(built, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = response.body()) {
        return new Response(response.statusCode(), response.headers(), readBounded(in, what));
      }
    } catch (HttpTimeoutException e) {
      throw new TransientGatewayException(what + " timed out after " + requestTimeout, e);
    } catch (IOException e) {
      throw new TransientGatewayException(what + " failed: " + describe(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransientGatewayException(what + " was interrupted", e);
    }
  }

  private static byte[] readBounded(InputStream in, String what) throws IOException {
    byte[] body = in.readNBytes(MAX_RESPONSE_BYTES + 1);
    if (body.length > MAX_RESPONSE_BYTES) {
      throw new IOException("the response to the " + what + " is larger than "
          + MAX_RESPONSE_BYTES + " bytes");
    }
    return body;
  }

  private static String describe(IOException e) {
    String message = e.getMessage();
    return message == null ? e.getClass().getSimpleName() : message;
  }

  /** Maps an unexpected status to the typed failure of the contract's table. */
  private GatewayException failure(String what, Response r, boolean upload) {
    int status = r.status;
    String excerpt = excerpt(r);
    String message = what + " failed (HTTP " + status + ")"
        + (excerpt == null || excerpt.isEmpty() ? "" : ": " + excerpt);
    switch (status) {
      case 400:
      case 422:
        if (upload) {
          return new BatchRejectedException(message, status, excerpt);
        }
        break;
      case 401:
        return new AuthenticationFailedException(message, status, excerpt);
      case 403:
        return new GatewayForbiddenException(
            what + " refused: this gateway is disabled (HTTP 403)", status, excerpt);
      case 409:
        log.error("{}: the server saw this Idempotency-Key with a different body; batch ids are "
            + "derived from content, so this is a bug on one side", what);
        return new BatchRejectedException(message, status, excerpt);
      case 413:
        return new PayloadTooLargeException(message, status, excerpt);
      default:
        break;
    }
    return new TransientGatewayException(message, status, excerpt, retryAfter(r.headers), null);
  }

  private TransientGatewayException malformed(String what, WireFormat.MalformedException e) {
    return new TransientGatewayException(
        what + ": malformed response: " + redact(e.getMessage()), 0, null, null, null);
  }

  /** Parses Retry-After as delta-seconds or as an HTTP-date; null when absent or unreadable. */
  private Duration retryAfter(HttpHeaders headers) {
    Optional<String> value = headers.firstValue("Retry-After");
    if (value.isEmpty()) {
      return null;
    }
    String text = value.get().trim();
    try {
      long seconds = Long.parseLong(text);
      return Duration.ofSeconds(Math.max(0, seconds));
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Duration wait = Duration.between(clock.instant(), at);
        return wait.isNegative() ? Duration.ZERO : wait;
      } catch (DateTimeParseException notADate) {
        log.debug("Ignoring unreadable Retry-After: {}", text);
        return null;
      }
    }
  }

  private String excerpt(Response r) {
    if (r.body.length == 0) {
      return null;
    }
    int length = Math.min(r.body.length, GatewayException.MAX_BODY_EXCERPT);
    String text = new String(r.body, 0, length, StandardCharsets.UTF_8).replaceAll("\\s+", " ").trim();
    return redact(text);
  }

  /** Masks the key and the token, in case a server echoes them back in an error body. */
  private String redact(String text) {
    String masked = text.replace(apiKey, "****");
    String token = tokens.peek();
    return token == null ? masked : masked.replace(token, "****");
  }

  private interface BodyWriter {
    byte[] write() throws IOException;
  }

  private static byte[] bytes(BodyWriter writer) {
    try {
      return writer.write();
    } catch (IOException e) {
      // Writing to memory does not fail; this would be a bug.
      throw new UncheckedIOException(e);
    }
  }

  private static final class Response {
    final int status;
    final HttpHeaders headers;
    final byte[] body;

    Response(int status, HttpHeaders headers, byte[] body) {
      this.status = status;
      this.headers = headers;
      this.body = body;
    }
  }

  @Override
  public String toString() {
    return "HttpClientSystemGateway{baseUrl=" + baseUrl + ", gatewayId=" + gatewayId
        + ", gzip=" + gzip + ", requestTimeout=" + requestTimeout + ", apiKey=****}";
  }

  /** Builds an {@link HttpClientSystemGateway}. Not thread-safe. */
  public static final class Builder {
    private final URI baseUrl;
    private final String apiKey;
    private final String gatewayId;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private boolean gzip = true;
    private boolean allowInsecureHttp;
    private HttpClient httpClient;
    private Clock clock = Clock.systemUTC();

    Builder(URI baseUrl, String apiKey, String gatewayId) {
      this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
      this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
      this.gatewayId = Objects.requireNonNull(gatewayId, "gatewayId");
      String scheme = baseUrl.getScheme();
      if (scheme == null || baseUrl.getHost() == null
          || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
        throw new IllegalArgumentException("baseUrl must be an http(s) URL with a host: " + baseUrl);
      }
      if (baseUrl.getRawUserInfo() != null) {
        throw new IllegalArgumentException(
            "baseUrl must not carry credentials; the API key authenticates");
      }
      if (apiKey.isBlank()) {
        throw new IllegalArgumentException("apiKey must not be blank");
      }
      if (gatewayId.isBlank()) {
        throw new IllegalArgumentException("gatewayId must not be blank");
      }
    }

    /** The time to establish a connection. Default {@link #DEFAULT_CONNECT_TIMEOUT}. */
    public Builder setConnectTimeout(Duration connectTimeout) {
      this.connectTimeout = positive(connectTimeout, "connectTimeout");
      return this;
    }

    /** The time for a whole request and its answer. Default {@link #DEFAULT_REQUEST_TIMEOUT}. */
    public Builder setRequestTimeout(Duration requestTimeout) {
      this.requestTimeout = positive(requestTimeout, "requestTimeout");
      return this;
    }

    /** Whether upload bodies are gzip'd, cutting cellular bytes about tenfold. Default true. */
    public Builder setGzip(boolean gzip) {
      this.gzip = gzip;
      return this;
    }

    /**
     * Allows plain http to a host other than loopback, which sends the API key in the clear.
     * Default false.
     */
    public Builder setAllowInsecureHttp(boolean allowInsecureHttp) {
      this.allowInsecureHttp = allowInsecureHttp;
      return this;
    }

    /**
     * The host's own client, for a proxy, an {@code SSLContext} or client certificates. Its own
     * connect timeout then applies instead of {@link #setConnectTimeout}.
     */
    public Builder setHttpClient(HttpClient httpClient) {
      this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
      return this;
    }

    /** The clock for token expiry and Retry-After dates. Default: the UTC system clock. */
    public Builder setClock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * @throws IllegalArgumentException when the URL is plain http to a host other than loopback
     *     and insecure http was not allowed
     */
    public HttpClientSystemGateway build() {
      if (baseUrl.getScheme().equalsIgnoreCase("http") && !allowInsecureHttp
          && !isLoopback(baseUrl.getHost())) {
        throw new IllegalArgumentException("baseUrl uses plain http to " + baseUrl.getHost()
            + ", which would send the API key in the clear; use https, or "
            + "setAllowInsecureHttp(true) on a trusted network");
      }
      return new HttpClientSystemGateway(this);
    }

    private static boolean isLoopback(String host) {
      String h = host.toLowerCase(Locale.ROOT);
      return h.equals("localhost") || h.startsWith("127.") || h.equals("[::1]") || h.equals("::1");
    }

    private static Duration positive(Duration value, String name) {
      Objects.requireNonNull(value, name);
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive: " + value);
      }
      return value;
    }
  }
}

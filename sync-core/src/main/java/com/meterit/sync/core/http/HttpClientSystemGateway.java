package com.meterit.sync.core.http;

import com.meterit.sync.api.AuthenticationFailedException;
import com.meterit.sync.api.ClientSystemGateway;
import com.meterit.sync.api.ConfigurationException;
import com.meterit.sync.api.Heartbeat;
import com.meterit.sync.api.HeartbeatReply;
import com.meterit.sync.api.Rejection;
import com.meterit.sync.api.RemoteConfig;
import com.meterit.sync.api.TransientGatewayException;
import com.meterit.sync.api.UploadBatch;
import com.meterit.sync.api.UploadResult;
import com.meterit.sync.core.SdkVersion;
import com.meterit.sync.core.SyncConfig;
import com.meterit.sync.core.internal.Redaction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ClientSystemGateway} speaking Client System API v1 over the JDK's {@link HttpClient}.
 *
 * <p>It authenticates with the API key for a bearer token, keeps the token until shortly before
 * it expires (concurrent callers share one refresh), and on a 401 replaces the token and repeats
 * the call, a bounded number of times. Upload bodies are JSON streamed into gzip by Jackson, or
 * compact columns when the server announced them in its token answer; response bodies are read up to
 * {@link #MAX_RESPONSE_BYTES}. Every failure is mapped to the typed exceptions of
 * {@code sync-api}: see {@code docs/client-system-api.md} for the table.
 *
 * <p>Every exchange has three deadlines: to connect, to receive the answer's headers, and to
 * receive the whole answer (headers and complete body). A call never waits longer than the last,
 * even on a link that drops halfway through an answer, and even with a host's own client.
 *
 * <p>Plain http is refused unless the host is a literal loopback address or {@code localhost},
 * or {@link HttpClientSystemGatewayBuilder#setAllowInsecureHttp(boolean)} says otherwise. TLS checks are the JDK's and
 * stay on: a private CA or a client certificate changes what is trusted and presented
 * ({@link HttpClientSystemGatewayBuilder#setTrustedCertificates},
 * {@link HttpClientSystemGatewayBuilder#setClientCertificate}), never whether the server's name
 * is checked. Redirects are never followed. The API key and the token never appear in a log, an
 * exception message, a rejection reason or {@link #toString()}: server text is masked, escaped
 * and bounded before it is used. Thread-safe.
 */
public final class HttpClientSystemGateway implements ClientSystemGateway {
  private static final Logger log = LoggerFactory.getLogger(HttpClientSystemGateway.class);

  /**
   * The default time to establish a connection: 10 seconds. A cellular link with a 1 to 2 second
   * round trip needs a few seconds for the TCP and TLS handshakes; ten leave margin while a dead
   * link is noticed soon.
   */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  /**
   * The default time from sending a request to receiving its answer's headers: 30 seconds. It
   * covers sending a plain 1,000-reading batch (about 120 KB) over a slow (EDGE-class, 50 kbit/s)
   * uplink, plus the server's work.
   */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
  /**
   * The default time for a whole exchange, from sending the request to the last byte of the
   * answer: 60 seconds. Answers are small (an upload's answer is well under a kilobyte), so a
   * working link finishes in a fraction of it; a link that stalls halfway frees the caller within
   * a minute, and the engine's retries take over.
   */
  public static final Duration DEFAULT_EXCHANGE_TIMEOUT = Duration.ofSeconds(60);
  /** The shortest deadline accepted: 100 ms. */
  static final Duration MIN_TIMEOUT = Duration.ofMillis(100);
  /** The longest deadline accepted: 10 minutes. */
  static final Duration MAX_TIMEOUT = Duration.ofMinutes(10);
  /**
   * The most times one call replaces its token after a 401: {@value}. Two revocations in a burst
   * (a token revoked while requests carrying its successor were in flight) cost two; a server
   * that refuses every token costs this many token requests per call, then a backoff.
   */
  static final int MAX_TOKEN_REPLACEMENTS = 3;
  /** The largest response body read: {@value} bytes. A larger one is an error. */
  public static final int MAX_RESPONSE_BYTES = 1024 * 1024;

  private static final String JSON = "application/json";

  private final URI baseUrl;
  private final String apiKey;
  private final String gatewayId;
  private final boolean gzip;
  private final Duration requestTimeout;
  private final Duration exchangeTimeout;
  private final Redaction redaction;
  private final Exchange exchange;
  private final FailureMapping failures;
  private final TokenCache tokens;
  private final URI healthUri;
  private final URI tokenUri;
  private final URI batchesUri;
  private final URI configUri;
  private final URI heartbeatUri;
  private final SSLContext sslContext;
  private volatile String configEtag;
  // Whether uploads go as compact columns: what the last token answer announced, until a 415.
  private volatile boolean columns;
  // The TLS failure last logged as a warning, so that a probe every few seconds warns once.
  private final AtomicReference<String> lastTlsWarning = new AtomicReference<>();

  HttpClientSystemGateway(HttpClientSystemGatewayBuilder b, ClientTls tls) {
    this.baseUrl = b.baseUrl;
    this.apiKey = b.apiKey;
    this.gatewayId = b.gatewayId;
    this.gzip = b.gzip;
    this.exchangeTimeout = b.exchangeTimeout;
    // The headers cannot be given longer than the whole answer.
    this.requestTimeout = b.requestTimeout.compareTo(b.exchangeTimeout) > 0
        ? b.exchangeTimeout
        : b.requestTimeout;
    HttpClient.Builder own = HttpClient.newBuilder();
    if (tls.context != null) {
      // Only what is trusted and presented changes: the client still checks the server's name.
      own.sslContext(tls.context);
    }
    HttpClient client = b.httpClient != null
        ? b.httpClient
        : own
            .executor(HttpThreads.executor())
            .connectTimeout(b.connectTimeout)
            // Over TLS the server may offer HTTP/2 (ALPN), and the batches in flight then share one
            // connection; otherwise each batch in flight has an HTTP/1.1 connection of its own.
            // Plain http stays on 1.1: the cleartext upgrade handshake gains nothing here.
            .version(b.baseUrl.getScheme().equalsIgnoreCase("https")
                ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    this.sslContext = client.sslContext();
    this.redaction = new Redaction(apiKey);
    this.exchange = new Exchange(client, requestTimeout, exchangeTimeout,
        "meter-sync/" + SdkVersion.get(), baseUrl, MAX_RESPONSE_BYTES, redaction,
        new TlsFailures(redaction, tls, b.caRemedy, b.clientCertificateRemedy));
    this.failures = new FailureMapping(redaction, b.clock);
    String base = baseUrl.toString().replaceAll("/+$", "");
    String gateway = pathSegment(gatewayId);
    this.healthUri = URI.create(base + "/v1/health");
    this.tokenUri = URI.create(base + "/v1/auth/token");
    this.batchesUri = URI.create(base + "/v1/readings/batches");
    this.configUri = URI.create(base + "/v1/gateways/" + gateway + "/config");
    this.heartbeatUri = URI.create(base + "/v1/gateways/" + gateway + "/heartbeat");
    this.tokens = new TokenCache(this::issueToken, b.ticker(), exchangeTimeout);
  }

  /** Percent-encodes everything but RFC 3986's unreserved characters. */
  private static String pathSegment(String text) {
    StringBuilder out = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.' || c == '_' || c == '~') {
        out.append(c);
      } else {
        out.append('%').append(String.format("%02X", (int) c));
      }
    }
    return out.toString();
  }

  /**
   * Starts a gateway for the Client System at {@code baseUrl} (such as
   * {@code https://client.meterit.com/api}), with this gateway's API key and id.
   *
   * @throws IllegalArgumentException when the URL is not http(s) with a host, or carries
   *     credentials, a query or a fragment; when the key is blank or holds a character that
   *     cannot be sent in a header; when the id is blank, {@code .} or {@code ..}
   */
  public static HttpClientSystemGatewayBuilder builder(URI baseUrl, String apiKey, String gatewayId) {
    return new HttpClientSystemGatewayBuilder(baseUrl, apiKey, gatewayId);
  }

  /**
   * A gateway configured from {@code CLIENT_API_URL}, {@code CLIENT_API_KEY}, {@code GATEWAY_ID},
   * {@code CLIENT_API_ALLOW_INSECURE_HTTP} and the TLS variables ({@code CLIENT_API_CA_FILE},
   * {@code CLIENT_API_CA_MODE}, {@code CLIENT_API_CERT_FILE}, {@code CLIENT_API_CERT_KEY_FILE}),
   * as read by {@link SyncConfig#fromEnv()}.
   *
   * @throws ConfigurationException naming a missing or malformed variable
   */
  public static HttpClientSystemGateway fromEnv() {
    return fromConfig(SyncConfig.fromEnv());
  }

  /**
   * A gateway for the URL, key, id, insecure-http choice and TLS files of {@code config}, with
   * the default deadlines. Its errors name the environment variables.
   *
   * @throws ConfigurationException when the URL is plain http to a host other than loopback and
   *     {@code CLIENT_API_ALLOW_INSECURE_HTTP} is not true; when a TLS file is refused (the
   *     exception's setting is that file's variable)
   */
  public static HttpClientSystemGateway fromConfig(SyncConfig config) {
    HttpClientSystemGatewayBuilder builder = builder(config.clientApiUrl(), config.apiKey(), config.gatewayId())
        .setAllowInsecureHttp(config.allowInsecureHttp());
    builder.urlSetting = SyncConfig.CLIENT_API_URL;
    builder.insecureHttpRemedy = "set " + SyncConfig.CLIENT_API_ALLOW_INSECURE_HTTP + "=true";
    builder.caSetting = SyncConfig.CLIENT_API_CA_FILE;
    builder.chainSetting = SyncConfig.CLIENT_API_CERT_FILE;
    builder.keySetting = SyncConfig.CLIENT_API_CERT_KEY_FILE;
    builder.caRemedy = "set " + SyncConfig.CLIENT_API_CA_FILE;
    builder.clientCertificateRemedy = "set " + SyncConfig.CLIENT_API_CERT_FILE + " and "
        + SyncConfig.CLIENT_API_CERT_KEY_FILE;
    config.clientApiCaFile().ifPresent(file -> builder.setTrustedCertificates(file,
        config.clientApiCaReplacesSystemTrust() ? TrustMode.REPLACE : TrustMode.ADD));
    if (config.clientApiCertFile().isPresent()) {
      builder.setClientCertificate(config.clientApiCertFile().get(),
          config.clientApiCertKeyFile().orElseThrow());
    }
    try {
      return builder.build();
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(SyncConfig.CLIENT_API_URL, e.getMessage());
    }
  }

  /**
   * The TLS context of this gateway's connections: what it trusts and which client certificate
   * it presents. It is the one built from
   * {@link HttpClientSystemGatewayBuilder#setTrustedCertificates} and
   * {@link HttpClientSystemGatewayBuilder#setClientCertificate}, the one of the client given to
   * {@link HttpClientSystemGatewayBuilder#setHttpClient}, or the JVM's default. It is for a tool
   * that must meet the Client System as this gateway does, such as a diagnosis of why it cannot
   * be reached. When a client certificate is set, the context holds its private key: give it
   * only to code trusted with this gateway's identity.
   */
  public SSLContext sslContext() {
    return sslContext;
  }

  @Override
  public boolean testConnection() {
    try {
      Exchange.Response r = exchange.send(HttpRequest.newBuilder(healthUri).GET(), "health probe");
      lastTlsWarning.set(null);
      return r.status == 200;
    } catch (TlsFailures.HandshakeFailed e) {
      // Unlike a dropped link, this needs an operator: say it where they look, once per cause.
      if (!e.getMessage().equals(lastTlsWarning.getAndSet(e.getMessage()))) {
        log.warn("{}", e.getMessage());
      } else {
        log.debug("Health probe failed: {}", e.getMessage());
      }
      return false;
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
    Exchange.Response r = exchange.send(request, "authentication");
    if (r.status == 200) {
      try {
        WireFormat.Token token = WireFormat.token(r.body);
        // Masked from now on, even if the cache refuses it: a server may echo it later.
        redaction.addToken(token.accessToken);
        if (token.acceptsColumns != columns) {
          log.info("The Client System {} the compact upload encoding ({}) in its token answer; "
              + "uploads go as {}", token.acceptsColumns ? "announces" : "no longer announces",
              ColumnarBatchBody.MEDIA_TYPE, token.acceptsColumns ? "compact columns" : "JSON");
          columns = token.acceptsColumns;
        }
        return token;
      } catch (WireFormat.MalformedException e) {
        throw failures.malformed("authentication", e);
      }
    }
    if (r.status == 401) {
      throw new AuthenticationFailedException(
          "the Client System refused the API key (HTTP 401)", 401, failures.excerpt(r));
    }
    throw failures.failure("authentication", r, false);
  }

  /**
   * Uploads the batch as JSON, or as compact columns when the last token answer announced them
   * (see {@code docs/client-system-api.md}, "Upload encodings"). A server that announced them
   * and answers 415 gets the same batch again at once, as JSON, under the same key: the batch,
   * its id and its readings never change with the encoding, so the engine sees one upload with
   * one answer. The gateway then sends JSON until a later token answer announces them again.
   * The result's bytes sent count both bodies then.
   */
  @Override
  public UploadResult uploadBatch(UploadBatch batch) {
    String what = "upload of batch " + batch.batchId();
    // The token answer says which encodings the server takes: have it before choosing.
    tokens.get();
    boolean compact = columns;
    long sent = 0;
    if (compact) {
      byte[] body = ColumnarBatchBody.encode(gatewayId, batch, gzip);
      Exchange.Response r = upload(what, batch, body, ColumnarBatchBody.MEDIA_TYPE);
      sent += body.length;
      if (r.status != 415) {
        return answer(what, r, sent);
      }
      if (columns) {
        columns = false;
        log.info("The Client System refused the compact upload encoding it announced (HTTP 415); "
            + "uploads go as JSON until a token answer announces it again");
      }
    }
    byte[] body = bytes(() -> WireFormat.batchBody(gatewayId, batch, gzip));
    return answer(what, upload(what, batch, body, JSON), sent + body.length);
  }

  private Exchange.Response upload(String what, UploadBatch batch, byte[] body, String type) {
    return authorized(what, token -> {
      HttpRequest.Builder request = HttpRequest.newBuilder(batchesUri)
          .header("Authorization", "Bearer " + token)
          .header("Idempotency-Key", batch.batchId())
          .header("Content-Type", type)
          .POST(HttpRequest.BodyPublishers.ofByteArray(body));
      if (gzip) {
        request.header("Content-Encoding", "gzip");
      }
      return request;
    });
  }

  private UploadResult answer(String what, Exchange.Response r, long bytesSent) {
    if (r.status != 200 && r.status != 201) {
      throw failures.failure(what, r, true);
    }
    try {
      WireFormat.BatchAnswer answer = WireFormat.batchAnswer(r.body,
          reason -> redaction.clean(reason, Rejection.MAX_REASON_LENGTH));
      return new UploadResult(answer.batchId, answer.accepted, answer.rejected, bytesSent);
    } catch (WireFormat.MalformedException e) {
      throw failures.malformed(what, e);
    }
  }

  @Override
  public Optional<RemoteConfig> downloadConfig() {
    String etag = configEtag;
    Exchange.Response r = authorized("configuration download", token -> {
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
      throw failures.failure("configuration download", r, false);
    }
    try {
      RemoteConfig config = WireFormat.config(r.body);
      Optional<String> tag = r.headers.firstValue("ETag");
      configEtag = tag.isPresent() ? WireFormat.etag(tag.get()) : null;
      return Optional.of(config);
    } catch (WireFormat.MalformedException e) {
      throw failures.malformed("configuration download", e);
    }
  }

  @Override
  public HeartbeatReply sendHeartbeat(Heartbeat heartbeat) {
    byte[] body = bytes(() -> WireFormat.heartbeatBody(gatewayId, SdkVersion.get(), heartbeat));
    Exchange.Response r = authorized("heartbeat", token -> HttpRequest.newBuilder(heartbeatUri)
        .header("Authorization", "Bearer " + token)
        .header("Content-Type", JSON)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    if (r.status == 204) {
      return HeartbeatReply.empty();
    }
    if (r.status != 200) {
      throw failures.failure("heartbeat", r, false);
    }
    try {
      return HeartbeatReply.withConfigVersion(WireFormat.heartbeatConfigVersion(r.body));
    } catch (WireFormat.MalformedException e) {
      throw failures.malformed("heartbeat", e);
    }
  }

  /**
   * Sends a request that carries the token. A 401 says only that this token is no good (expired,
   * revoked, rotated): the token is replaced (shared with concurrent callers, see {@link
   * TokenCache#replace}) and the request repeated, at most {@value #MAX_TOKEN_REPLACEMENTS} times
   * per call, so a server that refuses every token cannot make a call loop. Past that the call
   * fails as transient, and is retried with backoff. Only the token endpoint refusing the API key
   * is an {@link AuthenticationFailedException}.
   */
  private Exchange.Response authorized(String what, Function<String, HttpRequest.Builder> request) {
    String token = tokens.get();
    Exchange.Response r = exchange.send(request.apply(token), what);
    for (int replaced = 0; r.status == 401; replaced++) {
      if (replaced == MAX_TOKEN_REPLACEMENTS) {
        throw new TransientGatewayException(what + ": the Client System refused "
            + (replaced + 1) + " tokens in a row (HTTP 401) though it issues them; "
            + "trying again later", 401, failures.excerpt(r), null, null);
      }
      log.debug("{}: token refused (HTTP 401); replacing it", what);
      token = tokens.replace(token);
      r = exchange.send(request.apply(token), what);
    }
    return r;
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

  @Override
  public String toString() {
    return "HttpClientSystemGateway{baseUrl=" + baseUrl + ", gatewayId=" + Redaction.escape(gatewayId)
        + ", gzip=" + gzip + ", requestTimeout=" + requestTimeout
        + ", exchangeTimeout=" + exchangeTimeout + ", apiKey=****}";
  }
}

package com.meterit.sync.core.http;

import com.meterit.sync.api.ConfigurationException;
import com.meterit.sync.core.time.Ticker;
import com.meterit.sync.core.internal.CredentialFiles;
import com.meterit.sync.core.internal.Redaction;
import com.meterit.sync.core.internal.Values;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds an {@link HttpClientSystemGateway}; obtained from {@link HttpClientSystemGateway#builder}.
 * The URL, key and id are checked when the builder is created, every setter validates at once
 * and names the setting it refuses. Not thread-safe; {@link #build()} copies.
 */
public final class HttpClientSystemGatewayBuilder {
  private static final Logger log = LoggerFactory.getLogger(HttpClientSystemGateway.class);
  /** Ports from here up may be bound by any local user. */
  private static final int FIRST_UNPRIVILEGED_PORT = 1024;

  final URI baseUrl;
  final String apiKey;
  final String gatewayId;
  Duration connectTimeout = HttpClientSystemGateway.DEFAULT_CONNECT_TIMEOUT;
  Duration requestTimeout = HttpClientSystemGateway.DEFAULT_REQUEST_TIMEOUT;
  Duration exchangeTimeout = HttpClientSystemGateway.DEFAULT_EXCHANGE_TIMEOUT;
  boolean gzip = true;
  boolean allowInsecureHttp;
  HttpClient httpClient;
  Clock clock = Clock.systemUTC();
  // How errors name the URL and the way to allow plain http; fromConfig names the variables.
  String urlSetting = "baseUrl";
  String insecureHttpRemedy = "setAllowInsecureHttp(true)";
  Path caFile;
  TrustMode trustMode;
  Path certificateChain;
  Path privateKey;
  // How errors name the TLS files, and what a TLS failure suggests; fromConfig names variables.
  String caSetting = "trustedCertificates";
  String chainSetting = "clientCertificate chain";
  String keySetting = "clientCertificate key";
  String caRemedy = "setTrustedCertificates";
  String clientCertificateRemedy = "setClientCertificate";
  // What ADD adds to; tests give a CA of their own here.
  Supplier<List<X509Certificate>> systemTrust = ClientTls::jvmTrust;

  HttpClientSystemGatewayBuilder(URI baseUrl, String apiKey, String gatewayId) {
    this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
    this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
    this.gatewayId = Objects.requireNonNull(gatewayId, "gatewayId");
    String scheme = baseUrl.getScheme();
    if (scheme == null || baseUrl.getHost() == null
        || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
      throw new IllegalArgumentException("baseUrl must be an http(s) URL with a host: "
          + Redaction.maskUrl(baseUrl.toString()));
    }
    if (baseUrl.getRawUserInfo() != null) {
      throw new IllegalArgumentException(
          "baseUrl must not carry credentials; the API key authenticates");
    }
    if (baseUrl.getRawQuery() != null || baseUrl.getRawFragment() != null) {
      throw new IllegalArgumentException("baseUrl must not have a query or a fragment: "
          + Redaction.maskUrl(baseUrl.toString()));
    }
    if (apiKey.isBlank()) {
      throw new IllegalArgumentException("apiKey must not be blank");
    }
    String keyProblem = Values.unsendable(apiKey);
    if (keyProblem != null) {
      throw new IllegalArgumentException("apiKey " + keyProblem);
    }
    if (gatewayId.isBlank()) {
      throw new IllegalArgumentException("gatewayId must not be blank");
    }
    String idProblem = Values.notOnePathSegment(gatewayId);
    if (idProblem != null) {
      throw new IllegalArgumentException("gatewayId " + idProblem);
    }
  }

  /**
   * The time to establish a connection, between 100 ms and 10 minutes. Default
   * {@link HttpClientSystemGateway#DEFAULT_CONNECT_TIMEOUT}. Ignored with {@link #setHttpClient}: the host's client
   * has its own.
   */
  public HttpClientSystemGatewayBuilder setConnectTimeout(Duration connectTimeout) {
    this.connectTimeout = checkTimeout(connectTimeout, "connectTimeout");
    return this;
  }

  /**
   * The time from sending a request to receiving its answer's headers, between 100 ms and 10
   * minutes; capped at the exchange timeout. Default {@link HttpClientSystemGateway#DEFAULT_REQUEST_TIMEOUT}.
   */
  public HttpClientSystemGatewayBuilder setRequestTimeout(Duration requestTimeout) {
    this.requestTimeout = checkTimeout(requestTimeout, "requestTimeout");
    return this;
  }

  /**
   * The time for a whole exchange, from sending the request to the last byte of the answer,
   * between 100 ms and 10 minutes. It also bounds how long a caller waits for a token that
   * another caller is fetching. Default {@link HttpClientSystemGateway#DEFAULT_EXCHANGE_TIMEOUT}.
   */
  public HttpClientSystemGatewayBuilder setExchangeTimeout(Duration exchangeTimeout) {
    this.exchangeTimeout = checkTimeout(exchangeTimeout, "exchangeTimeout");
    return this;
  }

  /** Whether upload bodies are gzip'd, cutting cellular bytes about tenfold. Default true. */
  public HttpClientSystemGatewayBuilder setGzip(boolean gzip) {
    this.gzip = gzip;
    return this;
  }

  /**
   * Allows plain http to a host other than loopback, which sends the API key in the clear.
   * Default false.
   */
  public HttpClientSystemGatewayBuilder setAllowInsecureHttp(boolean allowInsecureHttp) {
    this.allowInsecureHttp = allowInsecureHttp;
    return this;
  }

  /**
   * The host's own client, for a proxy or an {@code SSLContext} of the host's making (for PEM
   * files, {@link #setTrustedCertificates} and {@link #setClientCertificate} are enough, and
   * cannot be combined with this). Its own connect timeout then applies instead of
   * {@link #setConnectTimeout}; the request and exchange deadlines still apply to every call.
   *
   * <p>The client must not follow redirects ({@link HttpClient.Redirect#NEVER}, the JDK's
   * default). The JDK re-sends a request's headers to wherever a redirect points, so a client
   * that follows them would hand the API key or the token to another host before the gateway
   * could see the redirect. Such a client is refused here.
   *
   * @throws IllegalArgumentException when the client follows redirects
   */
  public HttpClientSystemGatewayBuilder setHttpClient(HttpClient httpClient) {
    Objects.requireNonNull(httpClient, "httpClient");
    if (httpClient.followRedirects() != HttpClient.Redirect.NEVER) {
      throw new IllegalArgumentException("httpClient follows redirects ("
          + httpClient.followRedirects() + "), which would send the API key and the token to "
          + "whatever host a redirect names; build it with followRedirects(Redirect.NEVER)");
    }
    this.httpClient = httpClient;
    return this;
  }

  /**
   * Trusts the certificates of a PEM file (one or more {@code CERTIFICATE} blocks, at most
   * {@value PemFiles#MAX_FILE_BYTES} bytes), such as the root of a utility's private PKI: in
   * addition to the JVM's trust ({@link TrustMode#ADD}), or instead of it
   * ({@link TrustMode#REPLACE}). The JVM's trust is the JDK's {@code cacerts}, or the store
   * {@code -Djavax.net.ssl.trustStore} names. The file is read by {@link #build()}. Whatever is
   * trusted, the server's certificate must still be issued for the URL's host: hostname checks
   * are always on. Default: the JVM's trust alone.
   */
  public HttpClientSystemGatewayBuilder setTrustedCertificates(Path pemFile, TrustMode mode) {
    this.caFile = Objects.requireNonNull(pemFile, "pemFile");
    this.trustMode = Objects.requireNonNull(mode, "mode");
    return this;
  }

  /**
   * Authenticates this gateway to a server that asks for a client certificate: the chain, leaf
   * first, as PEM {@code CERTIFICATE} blocks, and the leaf's private key, RSA or EC, as an
   * unencrypted PKCS#8 PEM {@code PRIVATE KEY} block (convert others with
   * {@code openssl pkcs8 -topk8 -nocrypt}). Each file is at most
   * {@value PemFiles#MAX_FILE_BYTES} bytes. {@link #build()} reads both, refuses a key that does
   * not match the certificate, and warns, naming the mode, when others than the owner can read
   * the key file. Default: no client certificate.
   */
  public HttpClientSystemGatewayBuilder setClientCertificate(Path certificateChain,
      Path privateKey) {
    this.certificateChain = Objects.requireNonNull(certificateChain, "certificateChain");
    this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
    return this;
  }

  /**
   * The wall clock that reads {@code Retry-After} dates. Default: the UTC system clock. The
   * token's lifetime and every deadline run on monotonic time, which a step of the wall clock
   * never moves: {@link com.meterit.sync.core.time.Ticker#system()}, or this clock when it is also a
   * {@link com.meterit.sync.core.time.Ticker}, as a {@link com.meterit.sync.core.testing.ManualClock}
   * is.
   */
  public HttpClientSystemGatewayBuilder setClock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /** The token's monotonic time: the clock when it is a ticker, else the system's. */
  Ticker ticker() {
    return clock instanceof Ticker ? (Ticker) clock : Ticker.system();
  }

  /**
   * Reads and checks the certificate and key files, if any, and builds the gateway.
   *
   * @throws ConfigurationException when a certificate or key file cannot be read, is larger
   *     than {@value PemFiles#MAX_FILE_BYTES} bytes or holds no usable certificate or key (the
   *     message names the file, never its content); when the key does not match the
   *     certificate; when certificates are set with a plain http URL. Its
   *     {@link ConfigurationException#setting() setting} is the setter of the file refused:
   *     {@code trustedCertificates}, {@code clientCertificate chain} or
   *     {@code clientCertificate key}
   * @throws IllegalArgumentException when the URL is plain http to a host other than loopback
   *     and insecure http was not allowed; when certificates are set with
   *     {@link #setHttpClient}
   */
  public HttpClientSystemGateway build() {
    boolean plain = baseUrl.getScheme().equalsIgnoreCase("http");
    if (plain && !allowInsecureHttp && !Loopback.isLiteralLoopback(baseUrl.getHost())) {
      throw new IllegalArgumentException(urlSetting + " uses plain http to "
          + Redaction.escape(baseUrl.getHost()) + ", which would send the API key in the clear; "
          + "use https, or " + insecureHttpRemedy + " on a trusted network");
    }
    if (plain && !allowInsecureHttp && baseUrl.getPort() >= FIRST_UNPRIVILEGED_PORT) {
      // Loopback stays allowed (the quick start, local proxies), but while the listener meant
      // for that port is down, any local user may bind it and would be handed the API key.
      log.warn("{} uses plain http to loopback port {}: while nothing listens there, any local "
          + "user may, and would receive the API key; use https, a port below {}, or {} to "
          + "say the port is yours", urlSetting, baseUrl.getPort(), FIRST_UNPRIVILEGED_PORT,
          insecureHttpRemedy);
    }
    ClientTls tls = ClientTls.none();
    if (caFile != null || certificateChain != null) {
      if (httpClient != null) {
        throw new IllegalArgumentException("trustedCertificates and clientCertificate configure "
            + "the gateway's own HTTP client; with setHttpClient, give that client an SSLContext "
            + "instead");
      }
      if (plain) {
        String setting = caFile != null ? caSetting : chainSetting;
        throw CredentialFiles.refused(setting, "is set but " + urlSetting
            + " uses plain http, which has no TLS");
      }
    }
    if (httpClient == null && !plain) {
      tls = ClientTls.of(caFile, trustMode, certificateChain, privateKey, caSetting,
          chainSetting, keySetting, systemTrust);
    }
    return new HttpClientSystemGateway(this, tls);
  }

  private static Duration checkTimeout(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.compareTo(HttpClientSystemGateway.MIN_TIMEOUT) < 0 || value.compareTo(HttpClientSystemGateway.MAX_TIMEOUT) > 0) {
      throw new IllegalArgumentException(
          name + " must be between " + HttpClientSystemGateway.MIN_TIMEOUT + " and " + HttpClientSystemGateway.MAX_TIMEOUT + ": " + value);
    }
    return value;
  }
}

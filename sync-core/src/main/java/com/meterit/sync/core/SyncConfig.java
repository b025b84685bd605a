package com.meterit.sync.core;

import com.meterit.sync.api.ConfigurationException;
import com.meterit.sync.core.internal.CredentialFiles;
import com.meterit.sync.core.internal.Redaction;
import com.meterit.sync.core.internal.Values;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Supplier;

/**
 * The settings of the original Sync Service, read from its environment variables. Immutable and
 * thread-safe. The API key never appears in {@link #toString()} or in an error: an error names
 * the variable and, for a URL, shows it with any credentials, query and fragment masked.
 *
 * <table>
 *   <caption>Environment variables</caption>
 *   <tr><th>variable</th><th>meaning</th><th>default</th></tr>
 *   <tr><td>{@code CLIENT_API_URL}</td><td>base URL of the Client System API</td><td>required</td></tr>
 *   <tr><td>{@code CLIENT_API_KEY}</td><td>this gateway's API key</td><td>required</td></tr>
 *   <tr><td>{@code CLIENT_API_KEY_FILE}</td><td>a file holding the API key, instead of
 *       {@code CLIENT_API_KEY}</td><td>none</td></tr>
 *   <tr><td>{@code GATEWAY_ID}</td><td>this gateway's id</td><td>required</td></tr>
 *   <tr><td>{@code SYNC_INTERVAL_MINUTES}</td><td>minutes between runs, decimals allowed</td><td>5</td></tr>
 *   <tr><td>{@code BATCH_SIZE}</td><td>readings per upload</td><td>1000</td></tr>
 *   <tr><td>{@code MAX_RETRIES}</td><td>retries of a transient failure</td><td>5</td></tr>
 *   <tr><td>{@code HEARTBEAT_INTERVAL_SECONDS}</td><td>seconds between heartbeats</td><td>60</td></tr>
 *   <tr><td>{@code MAX_IN_FLIGHT}</td><td>the most batches in flight at once, a cap on the
 *       upload window</td><td>none: the engine's own ceiling</td></tr>
 *   <tr><td>{@code CLIENT_API_ALLOW_INSECURE_HTTP}</td><td>{@code true} allows plain http to a
 *       host other than loopback, which sends the API key in the clear</td><td>false</td></tr>
 *   <tr><td>{@code CLIENT_API_CA_FILE}</td><td>a PEM file of CA certificates to trust, such as
 *       a private PKI's root</td><td>none: the JVM's trust</td></tr>
 *   <tr><td>{@code CLIENT_API_CA_MODE}</td><td>{@code add} trusts the file as well as the JVM's
 *       CAs; {@code replace} trusts the file alone</td><td>add</td></tr>
 *   <tr><td>{@code CLIENT_API_CERT_FILE}</td><td>a PEM client certificate chain, leaf first, for
 *       a server that asks for one</td><td>none</td></tr>
 *   <tr><td>{@code CLIENT_API_CERT_KEY_FILE}</td><td>the client certificate's private key, RSA or
 *       EC, unencrypted PKCS#8 PEM</td><td>none</td></tr>
 * </table>
 *
 * <p>The TLS files are named here and read when the gateway is built
 * ({@code HttpClientSystemGateway.fromConfig}).
 */
public final class SyncConfig {
  /** The variable of the Client System API's base URL. */
  public static final String CLIENT_API_URL = "CLIENT_API_URL";
  /** The variable of the API key. */
  public static final String CLIENT_API_KEY = "CLIENT_API_KEY";
  /**
   * A file holding the API key, such as a systemd credential or a mounted secret; surrounding
   * whitespace (the trailing newline) is trimmed. At most 4096 bytes holding one line are
   * accepted; a file users other than its owner may access is used with a warning naming its
   * mode. Setting it and {@link #CLIENT_API_KEY} is an error.
   */
  public static final String CLIENT_API_KEY_FILE = "CLIENT_API_KEY_FILE";
  /** The largest {@link #CLIENT_API_KEY_FILE} read: {@value} bytes; a key is far shorter. */
  static final int MAX_KEY_FILE_BYTES = 4096;
  /** The variable of the gateway id. */
  public static final String GATEWAY_ID = "GATEWAY_ID";
  /** The variable of the sync interval, in minutes. */
  public static final String SYNC_INTERVAL_MINUTES = "SYNC_INTERVAL_MINUTES";
  /** The variable of the batch size. */
  public static final String BATCH_SIZE = "BATCH_SIZE";
  /** The variable of the retries within a run. */
  public static final String MAX_RETRIES = "MAX_RETRIES";
  /** The variable of the heartbeat interval, in seconds. */
  public static final String HEARTBEAT_INTERVAL_SECONDS = "HEARTBEAT_INTERVAL_SECONDS";
  /**
   * The variable of the most batches in flight at once, from 1 to 64: a cap on the upload window
   * ({@link SyncManagerBuilder#setMaxInFlight}), for a fleet whose gateways share one server.
   * Unset, the engine's own ceiling applies.
   */
  public static final String MAX_IN_FLIGHT = "MAX_IN_FLIGHT";
  /** The variable that allows plain http to a host other than loopback. */
  public static final String CLIENT_API_ALLOW_INSECURE_HTTP = "CLIENT_API_ALLOW_INSECURE_HTTP";
  /** The variable of a PEM file of CA certificates to trust. */
  public static final String CLIENT_API_CA_FILE = "CLIENT_API_CA_FILE";
  /**
   * The variable that says whether {@link #CLIENT_API_CA_FILE} is trusted as well as the JVM's
   * CAs ({@code add}, the default) or alone ({@code replace}).
   */
  public static final String CLIENT_API_CA_MODE = "CLIENT_API_CA_MODE";
  /** The variable of a PEM client certificate chain, leaf first. */
  public static final String CLIENT_API_CERT_FILE = "CLIENT_API_CERT_FILE";
  /**
   * The variable of the client certificate's private key file: unencrypted PKCS#8 PEM, RSA or
   * EC, readable by the agent only. Not {@code CLIENT_API_KEY_FILE}, which holds the API key.
   */
  public static final String CLIENT_API_CERT_KEY_FILE = "CLIENT_API_CERT_KEY_FILE";

  private final URI clientApiUrl;
  private final String apiKey;
  private final String gatewayId;
  private final Duration syncInterval;
  private final int batchSize;
  private final int maxRetries;
  private final Duration heartbeatInterval;
  /** The cap on batches in flight, or 0 when unset. */
  private final int maxInFlight;
  private final boolean allowInsecureHttp;
  private final Tls tls;

  /** The TLS files, named but not read: the gateway reads them when it is built. */
  private static final class Tls {
    final Path caFile;
    final boolean caReplacesSystemTrust;
    final Path certFile;
    final Path certKeyFile;

    Tls(Path caFile, boolean caReplacesSystemTrust, Path certFile, Path certKeyFile) {
      this.caFile = caFile;
      this.caReplacesSystemTrust = caReplacesSystemTrust;
      this.certFile = certFile;
      this.certKeyFile = certKeyFile;
    }
  }

  private SyncConfig(
      URI clientApiUrl,
      String apiKey,
      String gatewayId,
      Duration syncInterval,
      int batchSize,
      int maxRetries,
      Duration heartbeatInterval,
      int maxInFlight,
      boolean allowInsecureHttp,
      Tls tls) {
    this.clientApiUrl = clientApiUrl;
    this.apiKey = apiKey;
    this.gatewayId = gatewayId;
    this.syncInterval = syncInterval;
    this.batchSize = batchSize;
    this.maxRetries = maxRetries;
    this.heartbeatInterval = heartbeatInterval;
    this.maxInFlight = maxInFlight;
    this.allowInsecureHttp = allowInsecureHttp;
    this.tls = tls;
  }

  /**
   * Reads the process environment.
   *
   * @throws ConfigurationException naming the first missing or malformed variable
   */
  public static SyncConfig fromEnv() {
    return fromEnv(System.getenv());
  }

  /**
   * Reads the given variables, as {@link #fromEnv()} reads the process environment.
   *
   * @throws ConfigurationException naming the first missing or malformed variable
   */
  public static SyncConfig fromEnv(Map<String, String> env) {
    Objects.requireNonNull(env, "env");
    URI url = parseUrl(required(env, CLIENT_API_URL));
    String key = sendable(apiKey(env));
    String gatewayId = gatewayId(required(env, GATEWAY_ID));
    Duration interval = checkedMinutes(env, minutes(env, SYNC_INTERVAL_MINUTES,
        SyncManager.DEFAULT_SYNC_INTERVAL));
    int batchSize = checked(BATCH_SIZE, () -> SettingBounds.checkBatchSize(
        BATCH_SIZE, integer(env, BATCH_SIZE, SyncManager.DEFAULT_BATCH_SIZE)));
    int retries = checked(MAX_RETRIES, () -> SettingBounds.checkMaxRetries(
        MAX_RETRIES, integer(env, MAX_RETRIES, SyncManager.DEFAULT_MAX_RETRIES)));
    Duration heartbeat = Duration.ofSeconds(checkedSeconds(integer(env, HEARTBEAT_INTERVAL_SECONDS,
        (int) SyncManager.DEFAULT_HEARTBEAT_INTERVAL.getSeconds())));
    int maxInFlight = optional(env, MAX_IN_FLIGHT) == null ? 0 : checked(MAX_IN_FLIGHT,
        () -> SettingBounds.checkMaxInFlight(MAX_IN_FLIGHT, integer(env, MAX_IN_FLIGHT, 0)));
    boolean insecure = bool(env, CLIENT_API_ALLOW_INSECURE_HTTP);
    return new SyncConfig(url, key, gatewayId, interval, batchSize, retries, heartbeat,
        maxInFlight, insecure, tls(env));
  }

  private static Tls tls(Map<String, String> env) {
    Path caFile = path(env, CLIENT_API_CA_FILE);
    String mode = optional(env, CLIENT_API_CA_MODE);
    if (mode != null && !mode.equals("add") && !mode.equals("replace")) {
      throw new ConfigurationException(CLIENT_API_CA_MODE,
          CLIENT_API_CA_MODE + " must be add or replace: " + quoted(mode));
    }
    if (mode != null && caFile == null) {
      throw new ConfigurationException(CLIENT_API_CA_MODE,
          CLIENT_API_CA_MODE + " is set but " + CLIENT_API_CA_FILE + " is not");
    }
    Path certFile = path(env, CLIENT_API_CERT_FILE);
    Path keyFile = path(env, CLIENT_API_CERT_KEY_FILE);
    if ((certFile == null) != (keyFile == null)) {
      String set = certFile != null ? CLIENT_API_CERT_FILE : CLIENT_API_CERT_KEY_FILE;
      String unset = certFile != null ? CLIENT_API_CERT_KEY_FILE : CLIENT_API_CERT_FILE;
      throw new ConfigurationException(unset, set + " is set but " + unset + " is not; set both");
    }
    return new Tls(caFile, "replace".equals(mode), certFile, keyFile);
  }

  private static Path path(Map<String, String> env, String name) {
    String value = optional(env, name);
    if (value == null) {
      return null;
    }
    try {
      return Path.of(value);
    } catch (InvalidPathException e) {
      throw new ConfigurationException(name, name + " is not a path: " + quoted(value));
    }
  }

  // The JDK refuses such a key with a message that quotes it, wherever that message ends up.
  private static String sendable(String key) {
    String problem = Values.unsendable(key);
    if (problem != null) {
      throw new ConfigurationException(CLIENT_API_KEY, CLIENT_API_KEY + " " + problem);
    }
    return key;
  }

  private static String gatewayId(String id) {
    String problem = Values.notOnePathSegment(id);
    if (problem != null) {
      throw new ConfigurationException(GATEWAY_ID, GATEWAY_ID + " " + problem);
    }
    return id;
  }

  private static boolean bool(Map<String, String> env, String name) {
    String value = optional(env, name);
    if (value == null || value.equals("false")) {
      return false;
    }
    if (value.equals("true")) {
      return true;
    }
    throw new ConfigurationException(name,
        name + " must be true or false: " + quoted(value));
  }

  /** Runs a bounds check, naming the variable in the error it becomes. */
  private static <T> T checked(String variable, Supplier<T> check) {
    try {
      return check.get();
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(variable, e.getMessage());
    }
  }

  /** The heartbeat interval, refused in whole seconds, the variable's own unit. */
  private static long checkedSeconds(int seconds) {
    long min = SettingBounds.MIN_HEARTBEAT_INTERVAL.getSeconds();
    long max = SettingBounds.MAX_HEARTBEAT_INTERVAL.getSeconds();
    if (seconds < min || seconds > max) {
      throw new ConfigurationException(HEARTBEAT_INTERVAL_SECONDS, HEARTBEAT_INTERVAL_SECONDS
          + " must be between " + min + " and " + max + " seconds: " + seconds);
    }
    return seconds;
  }

  /** The sync interval, refused in minutes, the variable's own unit. */
  private static Duration checkedMinutes(Map<String, String> env, Duration interval) {
    if (interval.compareTo(SettingBounds.MIN_SYNC_INTERVAL) < 0
        || interval.compareTo(SettingBounds.MAX_SYNC_INTERVAL) > 0) {
      throw new ConfigurationException(SYNC_INTERVAL_MINUTES, SYNC_INTERVAL_MINUTES
          + " must be between " + minutesText(SettingBounds.MIN_SYNC_INTERVAL) + " ("
          + SettingBounds.MIN_SYNC_INTERVAL.getSeconds() + " s) and "
          + minutesText(SettingBounds.MAX_SYNC_INTERVAL) + " minutes: "
          + env.get(SYNC_INTERVAL_MINUTES).trim());
    }
    return interval;
  }

  private static String minutesText(Duration d) {
    return BigDecimal.valueOf(d.toMillis()).divide(BigDecimal.valueOf(60_000), 3,
        RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
  }

  /** The key from {@code CLIENT_API_KEY} or from the file {@code CLIENT_API_KEY_FILE} names. */
  private static String apiKey(Map<String, String> env) {
    Path file = path(env, CLIENT_API_KEY_FILE);
    if (file == null) {
      return required(env, CLIENT_API_KEY);
    }
    if (optional(env, CLIENT_API_KEY) != null) {
      throw new ConfigurationException(CLIENT_API_KEY_FILE, CLIENT_API_KEY + " and "
          + CLIENT_API_KEY_FILE + " are both set; set only one of them");
    }
    String key = CredentialFiles.readSecretText(file, CLIENT_API_KEY_FILE, MAX_KEY_FILE_BYTES)
        .trim();
    if (key.isEmpty()) {
      throw CredentialFiles.refused(CLIENT_API_KEY_FILE,
          "names an empty file: " + CredentialFiles.name(file));
    }
    // Named here, not by sendable(): the fix is in the file, not in CLIENT_API_KEY.
    String problem = Values.unsendable(key);
    if (problem != null) {
      throw CredentialFiles.refused(CLIENT_API_KEY_FILE,
          "names a file whose key " + problem + ": " + CredentialFiles.name(file));
    }
    return key;
  }

  private static String required(Map<String, String> env, String name) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      throw new ConfigurationException(name, name + " is required but not set");
    }
    return value.trim();
  }

  private static String optional(Map<String, String> env, String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? null : value.trim();
  }

  private static int integer(Map<String, String> env, String name, int defaultValue) {
    String value = optional(env, name);
    if (value == null) {
      return defaultValue;
    }
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new ConfigurationException(name, name + " must be a whole number: " + quoted(value));
    }
  }

  private static Duration minutes(Map<String, String> env, String name, Duration defaultValue) {
    String value = optional(env, name);
    if (value == null) {
      return defaultValue;
    }
    try {
      BigDecimal seconds = new BigDecimal(value).multiply(BigDecimal.valueOf(60));
      return Duration.ofMillis(seconds.movePointRight(3).longValueExact());
    } catch (NumberFormatException | ArithmeticException e) {
      throw new ConfigurationException(name, name + " must be a number of minutes: " + quoted(value));
    }
  }

  /** A value for an error message: escaped, so it stays on one log line, and bounded. */
  private static String quoted(String value) {
    return "'" + Redaction.bounded(Redaction.escape(value), 40) + "'";
  }

  static URI parseUrl(String value) {
    try {
      URI uri = new URI(value);
      String scheme = uri.getScheme();
      if (uri.getHost() == null || scheme == null
          || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
        throw new URISyntaxException(value, "not an http(s) URL with a host");
      }
      if (uri.getRawUserInfo() != null) {
        // Credentials in the URL would be printed wherever the URL is; the API key authenticates.
        throw new ConfigurationException(CLIENT_API_URL,
            CLIENT_API_URL + " must not carry credentials; set CLIENT_API_KEY instead");
      }
      if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
        // The API paths are appended to the URL, which a query or fragment would swallow.
        throw new ConfigurationException(CLIENT_API_URL, CLIENT_API_URL
            + " must not have a query or a fragment: '" + Redaction.maskUrl(value) + "'");
      }
      return uri;
    } catch (URISyntaxException e) {
      // The value may hold credentials in any shape (a typo in the scheme is enough to get here).
      throw new ConfigurationException(CLIENT_API_URL,
          CLIENT_API_URL + " must be an http(s) URL: '" + Redaction.maskUrl(value) + "'");
    }
  }

  /** The base URL of the Client System API, such as {@code https://client.meterit.com/api}. */
  public URI clientApiUrl() {
    return clientApiUrl;
  }

  /** The API key. Never log it. */
  public String apiKey() {
    return apiKey;
  }

  /** This gateway's id. */
  public String gatewayId() {
    return gatewayId;
  }

  /** The pause between scheduled runs. */
  public Duration syncInterval() {
    return syncInterval;
  }

  /** The most readings per upload. */
  public int batchSize() {
    return batchSize;
  }

  /** Retries of a transient failure within a run. */
  public int maxRetries() {
    return maxRetries;
  }

  /** The pause between heartbeats. */
  public Duration heartbeatInterval() {
    return heartbeatInterval;
  }

  /**
   * The cap on batches in flight ({@code MAX_IN_FLIGHT}), if set; unset, the engine's own
   * ceiling applies.
   */
  public OptionalInt maxInFlight() {
    return maxInFlight == 0 ? OptionalInt.empty() : OptionalInt.of(maxInFlight);
  }

  /**
   * Whether plain http to a host other than loopback is allowed ({@code
   * CLIENT_API_ALLOW_INSECURE_HTTP=true}). Default false.
   */
  public boolean allowInsecureHttp() {
    return allowInsecureHttp;
  }

  /** The PEM file of CA certificates to trust ({@code CLIENT_API_CA_FILE}), if set. */
  public Optional<Path> clientApiCaFile() {
    return Optional.ofNullable(tls.caFile);
  }

  /**
   * Whether the CA file's certificates replace the JVM's trust ({@code CLIENT_API_CA_MODE=replace})
   * rather than add to it. Default false.
   */
  public boolean clientApiCaReplacesSystemTrust() {
    return tls.caReplacesSystemTrust;
  }

  /** The PEM client certificate chain ({@code CLIENT_API_CERT_FILE}), if set. */
  public Optional<Path> clientApiCertFile() {
    return Optional.ofNullable(tls.certFile);
  }

  /** The client certificate's private key file ({@code CLIENT_API_CERT_KEY_FILE}), if set. */
  public Optional<Path> clientApiCertKeyFile() {
    return Optional.ofNullable(tls.certKeyFile);
  }

  /** The settings, with the API key masked. */
  @Override
  public String toString() {
    return "SyncConfig{clientApiUrl=" + clientApiUrl + ", apiKey=****, gatewayId=" + gatewayId
        + ", syncInterval=" + syncInterval + ", batchSize=" + batchSize
        + ", maxRetries=" + maxRetries + ", heartbeatInterval=" + heartbeatInterval
        + (maxInFlight == 0 ? "" : ", maxInFlight=" + maxInFlight)
        + ", allowInsecureHttp=" + allowInsecureHttp
        + (tls.caFile == null ? "" : ", clientApiCaFile=" + tls.caFile
            + (tls.caReplacesSystemTrust ? " (replace)" : " (add)"))
        + (tls.certFile == null ? "" : ", clientApiCertFile=" + tls.certFile
            + ", clientApiCertKeyFile=" + tls.certKeyFile) + '}';
  }
}

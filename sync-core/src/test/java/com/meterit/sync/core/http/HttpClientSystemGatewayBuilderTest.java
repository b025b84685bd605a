package com.meterit.sync.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.api.ConfigurationException;
import com.meterit.sync.core.SyncConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class HttpClientSystemGatewayBuilderTest {
  private static final String KEY = "key-Zq81-very-secret";

  private static HttpClientSystemGatewayBuilder builder(String url) {
    return HttpClientSystemGateway.builder(URI.create(url), KEY, "gw-1");
  }

  private static IllegalArgumentException refused(Runnable build) {
    return assertThrows(IllegalArgumentException.class, build::run);
  }

  @Test
  void deadlinesAreValidatedWithExactMessages() {
    assertEquals("requestTimeout must be between PT0.1S and PT10M: PT0S",
        refused(() -> builder("https://x.example").setRequestTimeout(Duration.ZERO)).getMessage());
    assertEquals("exchangeTimeout must be between PT0.1S and PT10M: PT11M",
        refused(() -> builder("https://x.example").setExchangeTimeout(Duration.ofMinutes(11)))
            .getMessage());
    assertEquals("connectTimeout must be between PT0.1S and PT10M: PT-1S",
        refused(() -> builder("https://x.example").setConnectTimeout(Duration.ofSeconds(-1)))
            .getMessage());
  }

  @Test
  void theHeadersDeadlineIsCappedAtTheExchangeDeadline() {
    HttpClientSystemGateway gateway = builder("https://x.example")
        .setRequestTimeout(Duration.ofSeconds(30)).setExchangeTimeout(Duration.ofSeconds(5)).build();
    assertTrue(gateway.toString().contains("requestTimeout=PT5S, exchangeTimeout=PT5S"),
        gateway.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "http://127.attacker.example/api",
      "http://127.0.0.1.nip.io/api",
      "http://localhost.evil.com/api",
      "http://127.0.0.1.example/api",
      "http://[::2]/api",
      "HTTP://client.meterit.com/api"})
  void plainHttpToANameThatOnlyLooksLocalIsRefused(String url) {
    IllegalArgumentException e = refused(() -> builder(url).build());
    assertTrue(e.getMessage().startsWith("baseUrl uses plain http to "), e.getMessage());
    assertTrue(e.getMessage().endsWith("which would send the API key in the clear; use https, or "
        + "setAllowInsecureHttp(true) on a trusted network"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "http://localhost:8080/api",
      "http://LOCALHOST/api",
      "http://127.0.0.1:9/api",
      "http://127.0.0.2/api",
      "http://127.255.255.254/api",
      "http://[::1]:8080/api",
      "HTTP://127.0.0.1/api"})
  void plainHttpToALiteralLoopbackAddressIsAllowed(String url) {
    builder(url).build();
  }

  @Test
  void fromConfigNamesTheVariableThatAllowsPlainHttp() {
    Map<String, String> env = Map.of("CLIENT_API_URL", "http://client.meterit.com/api",
        "CLIENT_API_KEY", KEY, "GATEWAY_ID", "gw-1");
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> HttpClientSystemGateway.fromConfig(SyncConfig.fromEnv(env)));
    assertEquals("CLIENT_API_URL", e.setting());
    assertEquals("CLIENT_API_URL uses plain http to client.meterit.com, which would send the API "
        + "key in the clear; use https, or set CLIENT_API_ALLOW_INSECURE_HTTP=true on a trusted "
        + "network", e.getMessage());

    Map<String, String> allowed = new java.util.HashMap<>(env);
    allowed.put("CLIENT_API_ALLOW_INSECURE_HTTP", "true");
    HttpClientSystemGateway.fromConfig(SyncConfig.fromEnv(allowed));
  }

  @ParameterizedTest
  @ValueSource(strings = {".", ".."})
  void aGatewayIdThatIsADotSegmentIsRefused(String id) {
    IllegalArgumentException e = refused(
        () -> HttpClientSystemGateway.builder(URI.create("https://x.example"), KEY, id));
    assertEquals("gatewayId must be an id, not the path segment '" + id + "'", e.getMessage());
  }

  @Test
  void anApiKeyThatCannotGoInAHeaderIsRefusedWithoutQuotingIt() {
    String key = "key-\u201Cquoted\u201D-secret";
    IllegalArgumentException e = refused(
        () -> HttpClientSystemGateway.builder(URI.create("https://x.example"), key, "gw-1"));
    assertEquals("apiKey holds a character that cannot be sent in an HTTP header (U+201C at "
        + "position 5); only printable ASCII without spaces is allowed", e.getMessage());
  }

  @Test
  void aUrlErrorMasksCredentialsAndQuery() {
    IllegalArgumentException e = refused(() -> HttpClientSystemGateway.builder(
        URI.create("https://client.meterit.com/api?key=Hunter2Pass"), KEY, "gw-1"));
    assertEquals("baseUrl must not have a query or a fragment: https://client.meterit.com/api?****",
        e.getMessage());
    e = refused(() -> HttpClientSystemGateway.builder(
        URI.create("ftp://svc:Hunter2Pass@client.meterit.com/api"), KEY, "gw-1"));
    assertEquals("baseUrl must be an http(s) URL with a host: ftp://****@client.meterit.com/api",
        e.getMessage());
  }

  @ParameterizedTest
  @EnumSource(value = HttpClient.Redirect.class, names = {"ALWAYS", "NORMAL"})
  void aHostClientThatFollowsRedirectsIsRefused(HttpClient.Redirect redirect) {
    HttpClient client = HttpClient.newBuilder().followRedirects(redirect).build();
    IllegalArgumentException e = refused(() -> builder("https://x.example").setHttpClient(client));
    assertEquals("httpClient follows redirects (" + redirect + "), which would send the API key "
        + "and the token to whatever host a redirect names; build it with "
        + "followRedirects(Redirect.NEVER)", e.getMessage());
    assertFalse(e.getMessage().contains(KEY));
  }
}

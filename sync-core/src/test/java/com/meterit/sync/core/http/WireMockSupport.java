package com.meterit.sync.core.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.zip.GZIPInputStream;

/** Shared helpers for tests against WireMock on loopback. */
final class WireMockSupport {
  static final String API_KEY = "key-Zq81-very-secret";
  static final String TOKEN = "tok-A-7f3e9c";
  static final String GATEWAY = "gw-0042";
  /** Reads decimals as BigDecimal with their scale, as a billing server must. */
  static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);

  private WireMockSupport() {}

  static URI base(WireMockExtension wm) {
    return URI.create("http://127.0.0.1:" + wm.getPort() + "/api");
  }

  static void stubToken(WireMockExtension wm, String token, int expiresIn) {
    wm.stubFor(post(urlEqualTo("/api/v1/auth/token"))
        .withHeader("X-Api-Key", equalTo(API_KEY))
        .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
            .withBody("{\"accessToken\":\"" + token + "\",\"tokenType\":\"Bearer\",\"expiresIn\":"
                + expiresIn + "}")));
  }

  /** The request body, decompressed when it was sent gzip'd. */
  static byte[] body(LoggedRequest request) {
    return gunzipIfNeeded(request.getBody());
  }

  static byte[] gunzipIfNeeded(byte[] bytes) {
    if (bytes.length < 2 || (bytes[0] & 0xff) != 0x1f || (bytes[1] & 0xff) != 0x8b) {
      return bytes;
    }
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode json(byte[] bytes) {
    try {
      return JSON.readTree(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

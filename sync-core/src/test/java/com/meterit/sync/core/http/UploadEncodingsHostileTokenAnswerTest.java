package com.meterit.sync.core.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.meterit.sync.core.http.WireMockSupport.API_KEY;
import static com.meterit.sync.core.http.WireMockSupport.GATEWAY;
import static com.meterit.sync.core.http.WireMockSupport.base;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.meterit.sync.api.Reading;
import com.meterit.sync.api.UploadBatch;
import com.meterit.sync.core.testing.ManualClock;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Review finding 5: docs/client-system-api.md promises that an {@code uploadEncodings} which is
 * not an array of strings is ignored and "the token is used all the same", and
 * {@code WireFormat.acceptsColumns} is written to be lenient; but the token answer is parsed
 * whole with a nesting limit of 32, so an {@code uploadEncodings} of nested values (a future
 * server's list of objects with parameters, or a hostile one: 70 bytes) fails authentication
 * as a malformed answer: no token, no upload, in either encoding.
 */
class UploadEncodingsHostileTokenAnswerTest {
  @RegisterExtension
  static final WireMockExtension wm = WireMockExtension.newInstance()
      .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
      .build();

  @Test
  void aDeeplyNestedUploadEncodingsIsIgnoredAndTheBatchGoesAsJson() throws Exception {
    String nested = "[".repeat(40) + "\"x\"" + "]".repeat(40);
    wm.stubFor(post(urlEqualTo("/api/v1/auth/token")).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/json")
        .withBody("{\"accessToken\":\"tok-1\",\"tokenType\":\"Bearer\",\"expiresIn\":3600,"
            + "\"uploadEncodings\":" + nested + "}")));
    wm.stubFor(post(urlEqualTo("/api/v1/readings/batches")).willReturn(aResponse()
        .withStatus(200).withHeader("Content-Type", "application/json")
        .withTransformers("response-template")
        .withBody("{\"batchId\":\"{{request.headers.Idempotency-Key}}\",\"accepted\":1}")));
    UploadBatch batch = UploadBatch.of(List.of(Reading.of(1, "m-1",
        Instant.parse("2026-01-01T00:15:00Z"), new BigDecimal("1.500"), "kWh")));
    HttpClientSystemGateway gateway = HttpClientSystemGateway.builder(base(wm), API_KEY, GATEWAY)
        .setClock(new ManualClock(Instant.parse("2026-05-01T10:00:00Z")))
        .setRequestTimeout(Duration.ofSeconds(2))
        .build();

    gateway.uploadBatch(batch);

    List<LoggedRequest> uploads =
        wm.findAll(postRequestedFor(urlEqualTo("/api/v1/readings/batches")));
    assertEquals(1, uploads.size());
    assertArrayEquals(WireFormat.batchBody(GATEWAY, batch, false), uploads.get(0).getBody());
  }
}

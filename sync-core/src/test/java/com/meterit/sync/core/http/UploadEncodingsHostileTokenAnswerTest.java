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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.meterit.sync.api.Reading;
import com.meterit.sync.api.TransientGatewayException;
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
 * not an array of strings is ignored and "the token is used all the same", but the token answer
 * is parsed whole with a nesting limit of 32 (a guard of every answer the gateway reads), so an
 * {@code uploadEncodings} nested 40 deep failed authentication against the text. The spec now
 * states the limit for the whole answer, this field included. Adapted from the reviewer's test,
 * which asked a 40-deep field to be ignored: it now checks both sides of the stated limit.
 */
class UploadEncodingsHostileTokenAnswerTest {
  @RegisterExtension
  static final WireMockExtension wm = WireMockExtension.newInstance()
      .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
      .build();

  private static final UploadBatch BATCH = UploadBatch.of(List.of(Reading.of(1, "m-1",
      Instant.parse("2026-01-01T00:15:00Z"), new BigDecimal("1.500"), "kWh")));

  private static HttpClientSystemGateway gatewayAfterTokenAnswerWith(String uploadEncodings) {
    wm.stubFor(post(urlEqualTo("/api/v1/auth/token")).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/json")
        .withBody("{\"accessToken\":\"tok-1\",\"tokenType\":\"Bearer\",\"expiresIn\":3600,"
            + "\"uploadEncodings\":" + uploadEncodings + "}")));
    wm.stubFor(post(urlEqualTo("/api/v1/readings/batches")).willReturn(aResponse()
        .withStatus(200).withHeader("Content-Type", "application/json")
        .withTransformers("response-template")
        .withBody("{\"batchId\":\"{{request.headers.Idempotency-Key}}\",\"accepted\":1}")));
    return HttpClientSystemGateway.builder(base(wm), API_KEY, GATEWAY)
        .setClock(new ManualClock(Instant.parse("2026-05-01T10:00:00Z")))
        .setRequestTimeout(Duration.ofSeconds(2))
        .build();
  }

  private static List<LoggedRequest> uploads() {
    return wm.findAll(postRequestedFor(urlEqualTo("/api/v1/readings/batches")));
  }

  @Test
  void anUploadEncodingsOfNestedEntriesWithinTheLimitIsIgnoredAndTheBatchGoesAsJson()
      throws Exception {
    // 31 levels below the answer's object: 32 in all, the most the spec allows.
    String nested = "[{\"type\":\"x\",\"q\":" + "[".repeat(29) + "1" + "]".repeat(29) + "}]";
    HttpClientSystemGateway gateway = gatewayAfterTokenAnswerWith(nested);

    gateway.uploadBatch(BATCH);

    assertEquals(1, uploads().size());
    assertArrayEquals(WireFormat.batchBody(GATEWAY, BATCH, false), uploads().get(0).getBody());
  }

  @Test
  void aTokenAnswerNestedDeeperThanTheStatedLimitFailsAuthenticationAsMalformedWithoutUpload() {
    String nested = "[".repeat(40) + "\"x\"" + "]".repeat(40);
    HttpClientSystemGateway gateway = gatewayAfterTokenAnswerWith(nested);

    TransientGatewayException e =
        assertThrows(TransientGatewayException.class, () -> gateway.uploadBatch(BATCH));

    assertTrue(e.getMessage().startsWith("authentication: malformed response"), e.getMessage());
    assertEquals(0, uploads().size());
  }
}

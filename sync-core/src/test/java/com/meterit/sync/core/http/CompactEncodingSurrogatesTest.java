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
import com.meterit.sync.api.UploadResult;
import com.meterit.sync.core.testing.ManualClock;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Review finding 3, on the wire: a lone surrogate in a meter id, unit or quality flag has no
 * UTF-8, so a batch holding one goes as JSON (which escapes it) even to a server that announced
 * the compact encoding: one request, the JSON body byte for byte, the batch's own key; the next
 * batch goes as columns again.
 */
class CompactEncodingSurrogatesTest {
  @RegisterExtension
  static final WireMockExtension wm = WireMockExtension.newInstance()
      .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
      .build();

  private static final Instant T = Instant.parse("2026-01-01T00:15:00Z");

  @Test
  void sendsABatchWithLoneSurrogatesAsExactlyItsJsonToAServerThatAnnouncedColumns()
      throws Exception {
    wm.stubFor(post(urlEqualTo("/api/v1/auth/token")).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/json")
        .withBody("{\"accessToken\":\"tok-1\",\"tokenType\":\"Bearer\",\"expiresIn\":3600,"
            + "\"uploadEncodings\":[\"" + ColumnarBatchBody.MEDIA_TYPE + "\"]}")));
    wm.stubFor(post(urlEqualTo("/api/v1/readings/batches")).willReturn(aResponse()
        .withStatus(200).withHeader("Content-Type", "application/json")
        .withTransformers("response-template")
        .withBody("{\"batchId\":\"{{request.headers.Idempotency-Key}}\",\"accepted\":2}")));
    UploadBatch lone = UploadBatch.of(List.of(
        new Reading(1, "m-\uD800", T, new BigDecimal("1.500"), "kWh\uDC00", "est\uDBFF"),
        Reading.of(2, "m-\uDBFF", T, new BigDecimal("2.500"), "kWh")));
    UploadBatch plain = UploadBatch.of(List.of(
        Reading.of(3, "m-1", T, new BigDecimal("3.500"), "kWh"),
        Reading.of(4, "m-2", T, new BigDecimal("4.500"), "kWh")));
    HttpClientSystemGateway gateway = HttpClientSystemGateway.builder(base(wm), API_KEY, GATEWAY)
        .setClock(new ManualClock(Instant.parse("2026-05-01T10:00:00Z")))
        .setRequestTimeout(Duration.ofSeconds(2))
        .build();

    UploadResult result = gateway.uploadBatch(lone);
    gateway.uploadBatch(plain);

    List<LoggedRequest> uploads =
        wm.findAll(postRequestedFor(urlEqualTo("/api/v1/readings/batches")));
    assertEquals(2, uploads.size());
    LoggedRequest json = uploads.get(0);
    byte[] expected = WireFormat.batchBody(GATEWAY, lone, true);
    assertEquals("application/json", json.getHeader("Content-Type"));
    assertEquals(lone.batchId(), json.getHeader("Idempotency-Key"));
    assertArrayEquals(WireFormat.batchBody(GATEWAY, lone, false), json.getBody());
    assertEquals(expected.length, result.bytesSent());
    assertEquals(ColumnarBatchBody.MEDIA_TYPE, uploads.get(1).getHeader("Content-Type"));
  }
}

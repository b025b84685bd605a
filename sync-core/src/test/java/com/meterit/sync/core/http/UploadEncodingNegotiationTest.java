package com.meterit.sync.core.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
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

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.meterit.sync.api.Reading;
import com.meterit.sync.api.TransientGatewayException;
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
 * The server opts in to the compact encoding in its token answer; without that the body is the
 * JSON of before, byte for byte, and a 415 after an announcement sends the same batch as JSON.
 */
class UploadEncodingNegotiationTest {
  @RegisterExtension
  static final WireMockExtension wm = WireMockExtension.newInstance()
      .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
      .build();

  private static final String JSON = "application/json";
  private static final String COLUMNS = ColumnarBatchBody.MEDIA_TYPE;

  private final ManualClock clock = new ManualClock(Instant.parse("2026-05-01T10:00:00Z"));

  private HttpClientSystemGateway gateway() {
    return HttpClientSystemGateway.builder(base(wm), API_KEY, GATEWAY)
        .setClock(clock)
        .setRequestTimeout(Duration.ofSeconds(2))
        .build();
  }

  private static UploadBatch batch(long firstId) {
    Instant t = Instant.parse("2026-01-01T00:15:00Z");
    return UploadBatch.of(List.of(
        Reading.of(firstId, "m-1", t, new BigDecimal("1234.500"), "kWh"),
        new Reading(firstId + 1, "m-2", t, new BigDecimal("0.001"), "m3", "estimated"),
        Reading.of(firstId + 2, "m-1", t.plusSeconds(900), new BigDecimal("1235.125"), "kWh")));
  }

  private static void stubToken(String extraFields) {
    wm.stubFor(post(urlEqualTo("/api/v1/auth/token"))
        .willReturn(aResponse().withStatus(200).withHeader("Content-Type", JSON)
            .withBody("{\"accessToken\":\"tok-1\",\"tokenType\":\"Bearer\",\"expiresIn\":3600"
                + extraFields + "}")));
  }

  /** Accepts every upload of this Content-Type, whatever the batch. */
  private static void stubUploads(String contentType, int status) {
    wm.stubFor(post(urlEqualTo("/api/v1/readings/batches"))
        .withHeader("Content-Type", equalTo(contentType))
        .willReturn(aResponse().withStatus(status).withHeader("Content-Type", JSON)
            .withTransformers("response-template")
            .withBody(status == 200
                ? "{\"batchId\":\"{{request.headers.Idempotency-Key}}\",\"accepted\":3}"
                : "{\"error\":\"unsupported\"}")));
  }

  private static List<LoggedRequest> uploads() {
    return wm.findAll(postRequestedFor(urlEqualTo("/api/v1/readings/batches")));
  }

  @Test
  void sendsTheJsonOfBeforeByteForByteWhenTheTokenAnswerAnnouncesNothing() throws Exception {
    stubToken("");
    stubUploads(JSON, 200);
    UploadBatch batch = batch(1);

    UploadResult result = gateway().uploadBatch(batch);

    LoggedRequest upload = uploads().get(0);
    assertEquals(JSON, upload.getHeader("Content-Type"));
    assertEquals("gzip", upload.getHeader("Content-Encoding"));
    // WireMock hands the body over decompressed; what went on the wire is the same writer's gzip.
    assertArrayEquals(WireFormat.batchBody(GATEWAY, batch, false), upload.getBody());
    assertEquals(WireFormat.batchBody(GATEWAY, batch, true).length, result.bytesSent());
    assertEquals(3, result.acceptedCount());
  }

  @Test
  void sendsJsonWhenTheAnnouncedEncodingsAreUnknownOrMalformed() throws Exception {
    for (String field : List.of(",\"uploadEncodings\":[\"application/x-future\",42,null]",
        ",\"uploadEncodings\":\"" + COLUMNS + "\"", ",\"uploadEncodings\":{\"a\":1}",
        ",\"uploadEncodings\":null")) {
      wm.resetAll();
      stubToken(field);
      stubUploads(JSON, 200);
      UploadBatch batch = batch(1);

      gateway().uploadBatch(batch);

      assertEquals(1, uploads().size(), field);
      assertArrayEquals(WireFormat.batchBody(GATEWAY, batch, false), uploads().get(0).getBody(),
          field);
    }
  }

  @Test
  void sendsCompactColumnsUnderTheSameKeyWhenTheTokenAnswerAnnouncesThem() throws Exception {
    stubToken(",\"uploadEncodings\":[\"application/json\", \"Application/VND.meterit.readings"
        + "+columns; v=1\"]");
    stubUploads(COLUMNS, 200);
    UploadBatch batch = batch(1);

    UploadResult result = gateway().uploadBatch(batch);

    LoggedRequest upload = uploads().get(0);
    assertEquals(COLUMNS, upload.getHeader("Content-Type"));
    assertEquals("gzip", upload.getHeader("Content-Encoding"));
    assertEquals(batch.batchId(), upload.getHeader("Idempotency-Key"));
    assertArrayEquals(ColumnarBatchBody.encode(GATEWAY, batch, false), upload.getBody());
    assertEquals(ColumnarBatchBody.encode(GATEWAY, batch, true).length, result.bytesSent());
  }

  @Test
  void resendsTheSameBatchAsJsonAfterA415AndRemembersItUntilTheNextTokenAnswer() throws Exception {
    stubToken(",\"uploadEncodings\":[\"" + COLUMNS + "\"]");
    stubUploads(COLUMNS, 415);
    stubUploads(JSON, 200);
    HttpClientSystemGateway gateway = gateway();
    UploadBatch first = batch(1);

    UploadResult result = gateway.uploadBatch(first);

    List<LoggedRequest> sent = uploads();
    assertEquals(List.of(COLUMNS, JSON),
        List.of(sent.get(0).getHeader("Content-Type"), sent.get(1).getHeader("Content-Type")));
    // The same batch both times: same key, same readings, same id in the body.
    assertEquals(first.batchId(), sent.get(0).getHeader("Idempotency-Key"));
    assertEquals(first.batchId(), sent.get(1).getHeader("Idempotency-Key"));
    assertArrayEquals(ColumnarBatchBody.encode(GATEWAY, first, false), sent.get(0).getBody());
    assertArrayEquals(WireFormat.batchBody(GATEWAY, first, false), sent.get(1).getBody());
    assertEquals(first.batchId(), result.batchId());
    assertEquals(3, result.acceptedCount());
    assertEquals(ColumnarBatchBody.encode(GATEWAY, first, true).length
        + WireFormat.batchBody(GATEWAY, first, true).length, result.bytesSent());

    UploadBatch second = batch(4);
    gateway.uploadBatch(second);
    assertEquals(3, uploads().size(), "the next batch goes as JSON at once");
    assertEquals(JSON, uploads().get(2).getHeader("Content-Type"));

    // A new token answer that announces the encoding again is believed again.
    clock.advance(Duration.ofHours(1));
    stubUploads(COLUMNS, 200);
    gateway.uploadBatch(batch(7));
    assertEquals(COLUMNS, uploads().get(3).getHeader("Content-Type"));
  }

  @Test
  void aServerThatRefusesBothEncodingsFailsTheUploadOnceWithoutLoopingOrSplitting() {
    stubToken(",\"uploadEncodings\":[\"" + COLUMNS + "\"]");
    stubUploads(COLUMNS, 415);
    stubUploads(JSON, 415);

    TransientGatewayException e = assertThrows(TransientGatewayException.class,
        () -> gateway().uploadBatch(batch(1)));

    assertEquals(415, e.statusCode().getAsInt());
    assertEquals(2, uploads().size());
  }
}

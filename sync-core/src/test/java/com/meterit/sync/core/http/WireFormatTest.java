package com.meterit.sync.core.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.meterit.sync.api.Heartbeat;
import com.meterit.sync.api.Reading;
import com.meterit.sync.api.RemoteConfig;
import com.meterit.sync.api.SyncState;
import com.meterit.sync.api.UploadBatch;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** The JSON both ways, field by field, with the boundaries of what an answer may hold. */
class WireFormatTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  private static byte[] bytes(String text) {
    return text.getBytes(UTF_8);
  }

  private static String refused(ThrowingCall call) {
    return assertThrows(WireFormat.MalformedException.class, call::run).getMessage();
  }

  @FunctionalInterface
  private interface ThrowingCall {
    void run() throws Exception;
  }

  // ---- requests

  @Test
  void writesEveryFieldOfEachReadingAndLeavesQualityOutWhenThereIsNone() throws Exception {
    UploadBatch batch = UploadBatch.of(List.of(
        new Reading(7, "m-1", T, new BigDecimal("1.50"), "kWh", "estimated"),
        Reading.of(8, "m-2", Instant.parse("+10000-01-01T00:00:00Z"), new BigDecimal("1E+3"), "m3")));

    byte[] written = WireFormat.batchBody("gw-1", batch, false);
    JsonNode body = JSON.readTree(written);
    // The value as the digest hashed it, trailing zero and all; a parser would drop it.
    assertTrue(new String(written, UTF_8).contains("\"value\":1.50,"), new String(written, UTF_8));

    assertEquals("gw-1", body.get("gatewayId").asText());
    assertEquals(batch.batchId(), body.get("batchId").asText());
    JsonNode first = body.get("readings").get(0);
    assertEquals(7, first.get("id").asLong());
    assertEquals("m-1", first.get("meterId").asText());
    assertEquals("2026-01-01T00:00:00Z", first.get("timestamp").asText());
    assertEquals("kWh", first.get("unit").asText());
    assertEquals("estimated", first.get("quality").asText());
    JsonNode second = body.get("readings").get(1);
    // A year beyond 9999 is written the way Instant writes it, not dropped.
    assertEquals("+10000-01-01T00:00:00Z", second.get("timestamp").asText());
    assertEquals("1000", second.get("value").toString());
    assertFalse(second.has("quality"), second.toString());
    assertEquals(2, body.get("readings").size());
  }

  @Test
  void aGzipBodyHoldsTheSameJsonAsThePlainOne() throws Exception {
    UploadBatch batch = UploadBatch.of(List.of(Reading.of(1, "m", T, BigDecimal.ONE, "kWh")));
    byte[] plain = WireFormat.batchBody("gw", batch, false);
    byte[] gzip = WireFormat.batchBody("gw", batch, true);

    assertEquals(0x1f, gzip[0] & 0xff);
    assertEquals(0x8b, gzip[1] & 0xff);
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
      assertArrayEquals(plain, in.readAllBytes());
    }
  }

  @Test
  void aHeartbeatWritesUnknownFieldsAsNullAndLeavesOutAnAbsentConfigVersion() throws Exception {
    JsonNode bare = JSON.readTree(WireFormat.heartbeatBody("gw", "1.2.3",
        new Heartbeat(T, SyncState.IDLE, OptionalLong.empty(), null, Duration.ofMillis(61_999), null)));
    assertEquals("gw", bare.get("gatewayId").asText());
    assertEquals("2026-01-01T00:00:00Z", bare.get("sentAt").asText());
    assertEquals("1.2.3", bare.get("sdkVersion").asText());
    assertEquals("IDLE", bare.get("state").asText());
    assertTrue(bare.get("pendingReadings").isNull());
    assertTrue(bare.get("lastSuccessfulSyncAt").isNull());
    assertEquals(61, bare.get("uptimeSeconds").asLong());
    assertFalse(bare.has("appliedConfigVersion"));

    JsonNode full = JSON.readTree(WireFormat.heartbeatBody("gw", "1.2.3",
        new Heartbeat(T, SyncState.IDLE, OptionalLong.of(42), T.minusSeconds(5), Duration.ZERO, "v9")));
    assertEquals(42, full.get("pendingReadings").asLong());
    assertEquals("2025-12-31T23:59:55Z", full.get("lastSuccessfulSyncAt").asText());
    assertEquals("v9", full.get("appliedConfigVersion").asText());
  }

  @Test
  void anAuthBodyNamesTheGatewayOnly() throws Exception {
    assertEquals("{\"gatewayId\":\"gw-9\"}", new String(WireFormat.authBody("gw-9"), UTF_8));
  }

  // ---- token answers

  @Test
  void aTokenNeedsABearerTypeIfATypeIsGivenAndAPositiveLifetime() throws Exception {
    WireFormat.Token token = WireFormat.token(bytes("{\"accessToken\":\"t\",\"expiresIn\":0.5}"));
    assertEquals("t", token.accessToken);
    assertEquals(new BigDecimal("0.5"), token.expiresIn);
    assertEquals("t", WireFormat.token(
        bytes("{\"accessToken\":\"t\",\"tokenType\":\"bearer\",\"expiresIn\":1}")).accessToken);

    assertEquals("tokenType is not Bearer", refused(() -> WireFormat.token(
        bytes("{\"accessToken\":\"t\",\"tokenType\":\"MAC\",\"expiresIn\":1}"))));
    assertEquals("expiresIn is missing", refused(() -> WireFormat.token(
        bytes("{\"accessToken\":\"t\"}"))));
    assertEquals("expiresIn is missing", refused(() -> WireFormat.token(
        bytes("{\"accessToken\":\"t\",\"expiresIn\":null}"))));
    assertEquals("expiresIn is not a number", refused(() -> WireFormat.token(
        bytes("{\"accessToken\":\"t\",\"expiresIn\":\"60\"}"))));
    assertEquals("expiresIn must be positive", refused(() -> WireFormat.token(
        bytes("{\"accessToken\":\"t\",\"expiresIn\":0}"))));
    assertEquals("expiresIn must be positive", refused(() -> WireFormat.token(
        bytes("{\"accessToken\":\"t\",\"expiresIn\":-1}"))));
    assertEquals("accessToken is missing", refused(() -> WireFormat.token(
        bytes("{\"accessToken\":null,\"expiresIn\":1}"))));
    assertEquals("accessToken is not a string", refused(() -> WireFormat.token(
        bytes("{\"accessToken\":5,\"expiresIn\":1}"))));
    assertEquals("tokenType is not a string", refused(() -> WireFormat.token(
        bytes("{\"accessToken\":\"t\",\"tokenType\":1,\"expiresIn\":1}"))));
  }

  // ---- upload answers

  @Test
  void acceptedRunsFromZeroToTheLargestIntAndNoFurther() throws Exception {
    assertEquals(0, WireFormat.batchAnswer(
        bytes("{\"batchId\":\"b\",\"accepted\":0}"), r -> r).accepted);
    assertEquals(Integer.MAX_VALUE, WireFormat.batchAnswer(
        bytes("{\"batchId\":\"b\",\"accepted\":2147483647}"), r -> r).accepted);
    assertEquals("accepted is out of range: -1", refused(() -> WireFormat.batchAnswer(
        bytes("{\"batchId\":\"b\",\"accepted\":-1}"), r -> r)));
    assertEquals("accepted is out of range: 2147483648", refused(() -> WireFormat.batchAnswer(
        bytes("{\"batchId\":\"b\",\"accepted\":2147483648}"), r -> r)));
    assertEquals("accepted is missing", refused(() -> WireFormat.batchAnswer(
        bytes("{\"batchId\":\"b\"}"), r -> r)));
    assertEquals("accepted is not a whole number but string", refused(() -> WireFormat.batchAnswer(
        bytes("{\"batchId\":\"b\",\"accepted\":\"3\"}"), r -> r)));
    assertEquals("accepted is not a whole number but number", refused(() -> WireFormat.batchAnswer(
        bytes("{\"batchId\":\"b\",\"accepted\":1.5}"), r -> r)));
    assertEquals("accepted is not a whole number but number", refused(() -> WireFormat.batchAnswer(
        bytes("{\"batchId\":\"b\",\"accepted\":99999999999999999999}"), r -> r)));
  }

  @Test
  void rejectionsKeepTheirOrderAndCleanedReasonAndGetOneWhenTheServerGaveNone() throws Exception {
    WireFormat.BatchAnswer answer = WireFormat.batchAnswer(bytes("{\"batchId\":\"b-1\",\"accepted\":1,"
        + "\"rejected\":[{\"id\":4,\"reason\":\"bad unit\"},{\"id\":2},{\"id\":3,\"reason\":null}]}"),
        r -> "<" + r + ">");

    assertEquals("b-1", answer.batchId);
    assertEquals(1, answer.accepted);
    assertEquals(3, answer.rejected.size());
    assertEquals(4, answer.rejected.get(0).readingId());
    assertEquals("<bad unit>", answer.rejected.get(0).reason());
    assertEquals(2, answer.rejected.get(1).readingId());
    assertEquals("rejected without a reason", answer.rejected.get(1).reason());
    assertEquals("rejected without a reason", answer.rejected.get(2).reason());

    assertTrue(WireFormat.batchAnswer(
        bytes("{\"batchId\":\"b\",\"accepted\":1,\"rejected\":null}"), r -> r).rejected.isEmpty());
    assertEquals("rejected is not an array", refused(() -> WireFormat.batchAnswer(
        bytes("{\"batchId\":\"b\",\"accepted\":1,\"rejected\":{\"id\":1}}"), r -> r)));
    assertEquals("id is missing", refused(() -> WireFormat.batchAnswer(
        bytes("{\"batchId\":\"b\",\"accepted\":1,\"rejected\":[{\"reason\":\"x\"}]}"), r -> r)));
    assertEquals("batchId is missing", refused(() -> WireFormat.batchAnswer(
        bytes("{\"accepted\":1}"), r -> r)));
  }

  // ---- configuration answers

  @Test
  void aConfigurationTakesOnlyTheFieldsItHasAndKeepsOutOfRangeValuesOutOfRange() throws Exception {
    RemoteConfig bare = WireFormat.config(bytes("{\"version\":\"v1\"}"));
    assertEquals("v1", bare.version());
    assertFalse(bare.syncInterval().isPresent());
    assertFalse(bare.batchSize().isPresent());
    assertFalse(bare.maxRetries().isPresent());
    assertFalse(bare.heartbeatInterval().isPresent());

    RemoteConfig full = WireFormat.config(bytes("{\"version\":7,\"syncIntervalSeconds\":300,"
        + "\"batchSize\":5000000000,\"maxRetries\":-5000000000,\"heartbeatIntervalSeconds\":60}"));
    assertEquals("7", full.version());
    assertEquals(Duration.ofMinutes(5), full.syncInterval().get());
    assertEquals(Integer.MAX_VALUE, full.batchSize().getAsInt());
    assertEquals(Integer.MIN_VALUE, full.maxRetries().getAsInt());
    assertEquals(Duration.ofMinutes(1), full.heartbeatInterval().get());
    assertEquals(3, WireFormat.config(bytes("{\"version\":\"v\",\"batchSize\":3}")).batchSize().getAsInt());

    assertEquals("version is missing", refused(() -> WireFormat.config(bytes("{}"))));
    assertEquals("version is missing", refused(() -> WireFormat.config(bytes("{\"version\":null}"))));
    assertEquals("version is missing", refused(() -> WireFormat.config(bytes("{\"version\":[\"v\"]}"))));
    assertEquals("batchSize is not a whole number but string", refused(() -> WireFormat.config(
        bytes("{\"version\":\"v\",\"batchSize\":\"10\"}"))));
  }

  @Test
  void aHeartbeatAnswerMayBeEmptyOrLackAVersion() throws Exception {
    assertNull(WireFormat.heartbeatConfigVersion(new byte[0]));
    assertNull(WireFormat.heartbeatConfigVersion(bytes("{}")));
    assertNull(WireFormat.heartbeatConfigVersion(bytes("{\"configVersion\":null}")));
    assertEquals("v2", WireFormat.heartbeatConfigVersion(bytes("{\"configVersion\":\"v2\"}")));
    assertEquals("configVersion must be 1 to 128 printable ASCII characters without spaces; got 3 "
        + "characters, not all of them printable ASCII without spaces",
        refused(() -> WireFormat.heartbeatConfigVersion(bytes("{\"configVersion\":\"a b\"}"))));
  }

  @Test
  void anEtagOrVersionWithACharacterJustOutsidePrintableAsciiIsRefused() throws Exception {
    assertEquals("!", WireFormat.etag("!"));
    assertEquals("~", WireFormat.etag("~"));
    assertEquals("W/\"abc\"", WireFormat.etag("W/\"abc\""));
    assertEquals("ETag must be 1 to 256 printable ASCII characters without spaces; "
        + "got 1 characters, not all of them printable ASCII without spaces",
        refused(() -> WireFormat.etag(" ")));
    assertEquals("ETag must be 1 to 256 printable ASCII characters without spaces; "
        + "got 2 characters, not all of them printable ASCII without spaces",
        refused(() -> WireFormat.etag("a\u007f")));
    assertEquals("ETag must be 1 to 256 printable ASCII characters without spaces; got 0 characters",
        refused(() -> WireFormat.etag("")));
  }

  // ---- bodies that are not what the contract says

  @Test
  void aBodyThatIsNotAJsonObjectIsNamedWithItsPositionButNotQuoted() {
    assertEquals("the body is not a JSON object", refused(() -> WireFormat.token(bytes("[1]"))));
    assertEquals("the body is not a JSON object", refused(() -> WireFormat.token(bytes("\"x\""))));
    assertEquals("the body is not a JSON object", refused(() -> WireFormat.token(new byte[0])));
    String message = refused(() -> WireFormat.token(bytes("{\n  \"accessToken\": secret-abc}")));
    assertEquals("the body is not valid JSON (line 2, column 25)", message);
    assertEquals("the body holds a number beyond any exponent",
        refused(() -> WireFormat.config(bytes("{\"version\":\"v\",\"batchSize\":1e9999999999}"))));
  }

  @Test
  void nestingDeeperThanTheLimitIsRefusedAsInvalidJson() {
    String deep = "{\"a\":".repeat(40) + "1" + "}".repeat(40);
    assertTrue(refused(() -> WireFormat.token(bytes(deep))).startsWith("the body is not valid JSON"));
  }
}

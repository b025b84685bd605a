package com.meterit.sync.core.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.meterit.sync.api.Heartbeat;
import com.meterit.sync.api.Reading;
import com.meterit.sync.api.Rejection;
import com.meterit.sync.api.RemoteConfig;
import com.meterit.sync.api.UploadBatch;
import com.meterit.sync.api.internal.IsoInstant;
import com.meterit.sync.api.internal.PlainDecimal;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * The JSON of Client System API v1, both ways. Requests are written with Jackson's streaming
 * generator straight into the (gzip) byte stream, so a batch is never held as a String.
 * Responses are parsed leniently: unknown fields are ignored so that the server can add some.
 */
final class WireFormat {
  /** The longest configuration version accepted: {@value} characters. */
  static final int MAX_VERSION_LENGTH = 128;
  /** The longest ETag accepted: {@value} characters (a quoted SHA-512 in hex fits). */
  static final int MAX_ETAG_LENGTH = 256;

  private static final JsonFactory FACTORY = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).build())
      .build();
  private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private WireFormat() {}

  /** The upload body, gzip'd when asked. */
  static byte[] batchBody(String gatewayId, UploadBatch batch, boolean gzip) throws IOException {
    // A 1,000-reading batch is ~12 KB gzip'd and ~120 KB plain; size the buffer to match.
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(gzip ? 16 * batch.size() : 128 * batch.size());
    try (OutputStream out = gzip ? new FastGzip(bytes) : bytes;
        JsonGenerator json = FACTORY.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("gatewayId", gatewayId);
      json.writeStringField("batchId", batch.batchId());
      json.writeArrayFieldStart("readings");
      byte[] time = new byte[IsoInstant.MAX_LENGTH];
      for (Reading r : batch.readings()) {
        json.writeStartObject();
        json.writeNumberField("id", r.id());
        json.writeStringField("meterId", r.meterId());
        json.writeFieldName("timestamp");
        int length = IsoInstant.format(r.timestamp(), time, 0);
        if (length < 0) {
          json.writeString(r.timestamp().toString());
        } else {
          json.writeUTF8String(time, 0, length);
        }
        json.writeFieldName("value");
        // The text the batch digest hashed, so that the batch id names exactly what is sent.
        json.writeNumber(PlainDecimal.text(r.value()));
        json.writeStringField("unit", r.unit());
        if (r.quality().isPresent()) {
          json.writeStringField("quality", r.quality().get());
        }
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeEndObject();
    }
    return bytes.toByteArray();
  }

  static byte[] authBody(String gatewayId) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    try (JsonGenerator json = FACTORY.createGenerator(bytes)) {
      json.writeStartObject();
      json.writeStringField("gatewayId", gatewayId);
      json.writeEndObject();
    }
    return bytes.toByteArray();
  }

  static byte[] heartbeatBody(String gatewayId, String sdkVersion, Heartbeat beat) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (JsonGenerator json = FACTORY.createGenerator(bytes)) {
      json.writeStartObject();
      json.writeStringField("gatewayId", gatewayId);
      json.writeStringField("sentAt", beat.sentAt().toString());
      json.writeStringField("sdkVersion", sdkVersion);
      json.writeStringField("state", beat.state().name());
      if (beat.pendingReadings().isPresent()) {
        json.writeNumberField("pendingReadings", beat.pendingReadings().getAsLong());
      } else {
        json.writeNullField("pendingReadings");
      }
      if (beat.lastSuccessfulSyncAt().isPresent()) {
        json.writeStringField("lastSuccessfulSyncAt", beat.lastSuccessfulSyncAt().get().toString());
      } else {
        json.writeNullField("lastSuccessfulSyncAt");
      }
      json.writeNumberField("uptimeSeconds", beat.uptime().getSeconds());
      if (beat.appliedConfigVersion().isPresent()) {
        json.writeStringField("appliedConfigVersion", beat.appliedConfigVersion().get());
      }
      json.writeEndObject();
    }
    return bytes.toByteArray();
  }

  /** A parsed token answer, as sent: {@link TokenCache} decides whether it can be used. */
  static final class Token {
    final String accessToken;
    /** Positive, in seconds, possibly absurd (1e300): clamped by the cache, not here. */
    final BigDecimal expiresIn;
    /** Whether {@code uploadEncodings} names {@link ColumnarBatchBody#MEDIA_TYPE}. */
    final boolean acceptsColumns;

    Token(String accessToken, BigDecimal expiresIn) {
      this(accessToken, expiresIn, false);
    }

    Token(String accessToken, BigDecimal expiresIn, boolean acceptsColumns) {
      this.accessToken = accessToken;
      this.expiresIn = expiresIn;
      this.acceptsColumns = acceptsColumns;
    }
  }

  static Token token(byte[] body) throws MalformedException {
    JsonNode root = parse(body);
    String token = text(root, "accessToken", true);
    String type = text(root, "tokenType", false);
    if (type != null && !type.equalsIgnoreCase("Bearer")) {
      throw new MalformedException("tokenType is not Bearer");
    }
    JsonNode expiresIn = root.get("expiresIn");
    if (expiresIn == null || expiresIn.isNull()) {
      throw new MalformedException("expiresIn is missing");
    }
    if (!expiresIn.isNumber()) {
      throw new MalformedException("expiresIn is not a number");
    }
    BigDecimal seconds = expiresIn.decimalValue();
    if (seconds.signum() <= 0) {
      throw new MalformedException("expiresIn must be positive");
    }
    return new Token(token, seconds, acceptsColumns(root.get("uploadEncodings")));
  }

  /**
   * Whether the token answer's optional {@code uploadEncodings} names the compact body. Lenient,
   * since it only chooses between two encodings the server can take: anything but an array of
   * strings, and any name it does not know, counts as JSON only, never as a malformed answer.
   */
  static boolean acceptsColumns(JsonNode encodings) {
    if (encodings == null || !encodings.isArray()) {
      return false;
    }
    for (JsonNode name : encodings) {
      if (name.isTextual() && sameMediaType(name.asText(), ColumnarBatchBody.MEDIA_TYPE)) {
        return true;
      }
    }
    return false;
  }

  /** Media types compare without case and without spaces around their parameters. */
  static boolean sameMediaType(String a, String b) {
    return a.length() <= 256
        && a.replace(" ", "").replace("\t", "").equalsIgnoreCase(b.replace(" ", ""));
  }

  /** A parsed upload answer. */
  static final class BatchAnswer {
    final String batchId;
    final int accepted;
    final List<Rejection> rejected;

    BatchAnswer(String batchId, int accepted, List<Rejection> rejected) {
      this.batchId = batchId;
      this.accepted = accepted;
      this.rejected = rejected;
    }
  }

  /**
   * Parses an upload answer. Each rejection reason passes through {@code cleanReason} before it
   * becomes a {@link Rejection}, because reasons are stored and logged: a server may put newlines
   * or an echoed credential in them.
   */
  static BatchAnswer batchAnswer(byte[] body, UnaryOperator<String> cleanReason)
      throws MalformedException {
    JsonNode root = parse(body);
    String batchId = text(root, "batchId", true);
    long accepted = whole(root, "accepted", true);
    if (accepted < 0 || accepted > Integer.MAX_VALUE) {
      throw new MalformedException("accepted is out of range: " + accepted);
    }
    List<Rejection> rejected = new ArrayList<>();
    JsonNode list = root.get("rejected");
    if (list != null && !list.isNull()) {
      if (!list.isArray()) {
        throw new MalformedException("rejected is not an array");
      }
      for (JsonNode item : list) {
        long id = whole(item, "id", true);
        String reason = text(item, "reason", false);
        rejected.add(new Rejection(id,
            reason == null ? "rejected without a reason" : cleanReason.apply(reason)));
      }
    }
    return new BatchAnswer(batchId, (int) accepted, rejected);
  }

  static RemoteConfig config(byte[] body) throws MalformedException {
    JsonNode root = parse(body);
    JsonNode version = root.get("version");
    if (version == null || !version.isValueNode() || version.isNull()) {
      throw new MalformedException("version is missing");
    }
    Long interval = optionalWhole(root, "syncIntervalSeconds");
    Long batchSize = optionalWhole(root, "batchSize");
    Long retries = optionalWhole(root, "maxRetries");
    Long heartbeat = optionalWhole(root, "heartbeatIntervalSeconds");
    return new RemoteConfig(
        version("version", version.asText()),
        interval == null ? null : Duration.ofSeconds(interval),
        batchSize == null ? null : clampToInt(batchSize),
        retries == null ? null : clampToInt(retries),
        heartbeat == null ? null : Duration.ofSeconds(heartbeat));
  }

  /** The configVersion of a heartbeat answer, or null. */
  static String heartbeatConfigVersion(byte[] body) throws MalformedException {
    if (body.length == 0) {
      return null;
    }
    JsonNode version = parse(body).get("configVersion");
    return version == null || version.isNull() ? null : version("configVersion", version.asText());
  }

  /**
   * A configuration version as the server sent it, if it is 1 to {@value #MAX_VERSION_LENGTH}
   * printable ASCII characters without spaces. Versions are logged and echoed back in every
   * heartbeat, so an unbounded one would flood (or forge) logs and cellular bytes.
   */
  static String version(String field, String value) throws MalformedException {
    if (!isToken(value, MAX_VERSION_LENGTH)) {
      throw new MalformedException(field + " must be 1 to " + MAX_VERSION_LENGTH
          + " printable ASCII characters without spaces; got " + describe(value, MAX_VERSION_LENGTH));
    }
    return value;
  }

  /**
   * An ETag, if it is 1 to {@value #MAX_ETAG_LENGTH} printable ASCII characters without spaces
   * (quotes and {@code W/} included), since it is sent back in {@code If-None-Match}.
   */
  static String etag(String value) throws MalformedException {
    if (!isToken(value, MAX_ETAG_LENGTH)) {
      throw new MalformedException("ETag must be 1 to " + MAX_ETAG_LENGTH
          + " printable ASCII characters without spaces; got " + describe(value, MAX_ETAG_LENGTH));
    }
    return value;
  }

  private static boolean isToken(String value, int maxLength) {
    if (value.isEmpty() || value.length() > maxLength) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }

  /**
   * What is wrong with a value, without quoting it: a preview would be cut before it could be
   * masked, and could carry half a credential the server echoed.
   */
  private static String describe(String value, int maxLength) {
    return value.length() + " characters"
        + (value.isEmpty() || value.length() > maxLength ? ""
            : ", not all of them printable ASCII without spaces");
  }


  // Out-of-range values are kept out of range (not wrapped), so that validation refuses them.
  private static int clampToInt(long value) {
    return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, value));
  }

  private static JsonNode parse(byte[] body) throws MalformedException {
    try {
      JsonNode root = MAPPER.readTree(body);
      if (root == null || !root.isObject()) {
        throw new MalformedException("the body is not a JSON object");
      }
      return root;
    } catch (JsonProcessingException e) {
      // Jackson's message quotes the offending text, which may be part of an echoed secret.
      JsonLocation at = e.getLocation();
      throw new MalformedException("the body is not valid JSON"
          + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
    } catch (IOException e) {
      throw new MalformedException("the body could not be read (" + e.getClass().getSimpleName() + ")");
    } catch (NumberFormatException e) {
      // A number whose exponent no BigDecimal holds (1e9999999999): Jackson throws this, not a
      // parse error. Its message quotes the number, so it is not repeated.
      throw new MalformedException("the body holds a number beyond any exponent");
    }
  }

  private static String text(JsonNode node, String field, boolean required) throws MalformedException {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      if (required) {
        throw new MalformedException(field + " is missing");
      }
      return null;
    }
    if (!value.isTextual()) {
      throw new MalformedException(field + " is not a string");
    }
    return value.asText();
  }

  private static long whole(JsonNode node, String field, boolean required) throws MalformedException {
    Long value = optionalWhole(node, field);
    if (value == null) {
      if (required) {
        throw new MalformedException(field + " is missing");
      }
      return 0;
    }
    return value;
  }

  private static Long optionalWhole(JsonNode node, String field) throws MalformedException {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw new MalformedException(field + " is not a whole number but "
          + value.getNodeType().name().toLowerCase(Locale.ROOT));
    }
    return value.asLong();
  }


  /** A response body that does not follow the contract. */
  static final class MalformedException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedException(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * gzip at level 6 with a larger buffer than the JDK's 512 bytes, which would otherwise cost a
   * deflate call per few readings.
   */
  private static final class FastGzip extends GZIPOutputStream {
    FastGzip(OutputStream out) throws IOException {
      super(out, 8192);
      def.setLevel(Deflater.DEFAULT_COMPRESSION);
    }
  }
}

package com.meterit.sync.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.api.Reading;
import com.meterit.sync.api.UploadBatch;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The copyable decoder against the library's encoder, on random batches. */
class CompactBatchDecoderTest {
  private static final String GATEWAY = "gw-Ω-0042";

  static List<Reading> readings(CompactBatchDecoder.Batch batch) {
    List<Reading> out = new ArrayList<>();
    for (CompactBatchDecoder.Reading r : batch.readings) {
      out.add(new Reading(r.id, r.meterId, r.timestamp, r.value, r.unit, r.quality));
    }
    return out;
  }

  @Test
  void decodesEveryRandomBatchToTheReadingsSentInTheirOrderWithTheSameBatchId() throws Exception {
    SplittableRandom random = new SplittableRandom(27);
    for (int i = 0; i < 400; i++) {
      UploadBatch sent = RandomBatches.batch(random, i % 20 == 0 ? 2000 : 100);
      boolean gzip = i % 2 == 0;
      byte[] body = RandomBatches.encode(GATEWAY, sent, gzip);
      CompactBatchDecoder.Batch decoded = CompactBatchDecoder.decode(
          gzip ? CompactBatchDecoder.gunzip(body, 64 << 20) : body);
      RandomBatches.assertRestores(sent, GATEWAY, decoded.gatewayId, decoded.batchId,
          readings(decoded));
    }
  }

  @Test
  void keepsTheScaleOfEveryValueAndTheNanosOfEveryTimestamp() {
    Instant t = Instant.parse("2026-01-01T00:15:00.123456789Z");
    UploadBatch sent = UploadBatch.of(List.of(
        Reading.of(1, "m", t, new BigDecimal("1.500"), "kWh"),
        Reading.of(2, "m", t.plusSeconds(900), new BigDecimal("1.5"), "kWh"),
        Reading.of(3, "m", t.plusSeconds(1800), new BigDecimal("-0.000"), "kWh"),
        Reading.of(4, "m", t.plusSeconds(2700),
            new BigDecimal("12345678901234567890123456.789012345678"), "kWh")));

    CompactBatchDecoder.Batch decoded =
        CompactBatchDecoder.decode(RandomBatches.encode(GATEWAY, sent, false));

    assertEquals(List.of("1.500", "1.5", "0.000", "12345678901234567890123456.789012345678"),
        decoded.readings.stream().map(r -> r.value.toPlainString())
            .collect(java.util.stream.Collectors.toList()));
    assertEquals(t.plusSeconds(2700), decoded.readings.get(3).timestamp);
    RandomBatches.assertRestores(sent, GATEWAY, decoded.gatewayId, decoded.batchId,
        readings(decoded));
  }

  @Test
  void refusesEveryTruncatedOrExtendedBodyAsMalformed() {
    SplittableRandom random = new SplittableRandom(415);
    for (int i = 0; i < 200; i++) {
      byte[] body = RandomBatches.encode(GATEWAY, RandomBatches.batch(random, 50), false);
      int cut = random.nextInt(body.length);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> CompactBatchDecoder.decode(Arrays.copyOf(body, cut)), "cut at " + cut);
      assertTrue(e.getMessage().startsWith("malformed compact batch: "), e.getMessage());
      assertThrows(IllegalArgumentException.class,
          () -> CompactBatchDecoder.decode(Arrays.copyOf(body, body.length + 1)));
    }
  }

  @Test
  void refusesABodyOfAnotherVersion() {
    byte[] body = RandomBatches.encode(GATEWAY, RandomBatches.batch(new SplittableRandom(2), 5),
        false);
    body[3] = 2;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CompactBatchDecoder.decode(body));
    assertEquals("malformed compact batch: it does not start with MRC and version 1",
        e.getMessage());
  }
}

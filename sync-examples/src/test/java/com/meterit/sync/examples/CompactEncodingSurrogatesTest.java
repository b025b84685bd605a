package com.meterit.sync.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.meterit.sync.api.Reading;
import com.meterit.sync.api.UploadBatch;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Review finding 3: {@code Reading} accepts any non-blank text, lone UTF-16 surrogates included
 * (a meter id read from a database column or a serial line), and the JSON body keeps them
 * (Jackson writes a lone surrogate as a {@code \\uD800} escape), while UTF-8, which the compact
 * body uses, has no encoding for one ({@code getBytes} wrote {@code ?}). The encoder now refuses
 * such a batch and the gateway sends it as JSON (sync-core's {@code
 * CompactEncodingSurrogatesTest} checks the wire); well-formed surrogate pairs travel as columns.
 *
 * <p>Adapted from the reviewer's test, which asked the compact body to restore lone surrogates:
 * no UTF-8 body can, so that expectation is replaced by the JSON fallback.
 */
class CompactEncodingSurrogatesTest {
  private static final Instant T = Instant.parse("2026-01-01T00:15:00Z");

  @Test
  void restoresMeterIdsUnitsAndQualityFlagsWithSurrogatePairsExactly() {
    UploadBatch sent = UploadBatch.of(List.of(
        new Reading(1, "m-\uD83D\uDE00", T, new BigDecimal("1.500"), "kWh\uD800\uDC00",
            "est\uDBFF\uDFFF"),
        Reading.of(2, "m-\uD83D\uDE01", T, new BigDecimal("2.500"), "kWh")));

    CompactBatchDecoder.Batch decoded =
        CompactBatchDecoder.decode(RandomBatches.encode("gw", sent, false));

    assertEquals(List.of("m-\uD83D\uDE00", "m-\uD83D\uDE01"),
        List.of(decoded.readings.get(0).meterId, decoded.readings.get(1).meterId));
    assertEquals("kWh\uD800\uDC00", decoded.readings.get(0).unit);
    assertEquals("est\uDBFF\uDFFF", decoded.readings.get(0).quality);
  }

  @Test
  void refusesToEncodeABatchWithALoneSurrogateInAMeterIdUnitOrQualityFlag() {
    for (Reading r : List.of(
        Reading.of(1, "m-\uD800", T, BigDecimal.ONE, "kWh"),
        Reading.of(1, "m-\uDC00x", T, BigDecimal.ONE, "kWh"),
        Reading.of(1, "m", T, BigDecimal.ONE, "kWh\uDBFF"),
        new Reading(1, "m", T, BigDecimal.ONE, "kWh", "\uDFFF\uD800est"))) {
      AssertionError e = assertThrows(AssertionError.class,
          () -> RandomBatches.encode("gw", UploadBatch.of(List.of(r)), false), r.toString());
      assertEquals("Unencodable", e.getCause().getClass().getSimpleName());
    }
  }
}

package com.meterit.sync.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.meterit.sync.api.Reading;
import com.meterit.sync.api.UploadBatch;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Review finding 3: {@code Reading} accepts any non-blank text, lone UTF-16 surrogates included
 * (a meter id read from a database column or a serial line), and the JSON body keeps them
 * (Jackson writes a lone surrogate as a {@code \\uD800} escape). The compact encoder writes
 * strings with {@code String.getBytes(UTF_8)}, which replaces each lone surrogate by {@code ?}:
 * the meter id the server stores is not the one read, two meters that differ only there become
 * one (two equal entries in a table the spec says holds distinct entries: a server that checks
 * answers 400), and the same batch carries different readings as JSON and as columns.
 */
class CompactEncodingSurrogatesTest {

  @Test
  void restoresMeterIdsUnitsAndQualityFlagsWithLoneSurrogatesExactly() {
    Instant t = Instant.parse("2026-01-01T00:15:00Z");
    UploadBatch sent = UploadBatch.of(List.of(
        new Reading(1, "m-\uD800", t, new BigDecimal("1.500"), "kWh\uDC00", "est\uDBFF"),
        Reading.of(2, "m-\uDBFF", t, new BigDecimal("2.500"), "kWh")));

    CompactBatchDecoder.Batch decoded =
        CompactBatchDecoder.decode(RandomBatches.encode("gw", sent, false));

    assertEquals(List.of("m-\uD800", "m-\uDBFF"),
        List.of(decoded.readings.get(0).meterId, decoded.readings.get(1).meterId));
    assertEquals("kWh\uDC00", decoded.readings.get(0).unit);
    assertEquals("est\uDBFF", decoded.readings.get(0).quality);
  }
}

package com.meterit.sync.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class UploadBatchTest {
  private static Reading reading(long id, String value) {
    return Reading.of(id, "m-" + id, Instant.parse("2026-01-01T00:00:00Z"), new BigDecimal(value), "kWh");
  }

  @Test
  void sameReadingsGiveTheSameBatchId() {
    UploadBatch first = UploadBatch.of(List.of(reading(1, "1.0"), reading(2, "2.0")));
    UploadBatch again = UploadBatch.of(List.of(reading(1, "1.0"), reading(2, "2.0")));
    assertEquals(first.batchId(), again.batchId());
    assertEquals(32, first.batchId().length());
  }

  @Test
  void anyChangeOfContentChangesTheBatchId() {
    String id = UploadBatch.of(List.of(reading(1, "1.0"), reading(2, "2.0"))).batchId();
    assertNotEquals(id, UploadBatch.of(List.of(reading(1, "1.0"))).batchId());
    assertNotEquals(id, UploadBatch.of(List.of(reading(1, "1.00"), reading(2, "2.0"))).batchId());
    assertNotEquals(id, UploadBatch.of(List.of(reading(2, "2.0"), reading(1, "1.0"))).batchId());
  }

  @Test
  void refusesAnEmptyBatch() {
    assertEquals("readings must not be empty",
        assertThrows(IllegalArgumentException.class, () -> UploadBatch.of(List.of())).getMessage());
  }
}

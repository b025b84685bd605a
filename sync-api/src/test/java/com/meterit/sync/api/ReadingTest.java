package com.meterit.sync.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReadingTest {
  private static final Instant T = Instant.parse("2026-01-01T00:15:00Z");

  @Test
  void keepsTheValueWithItsScale() {
    Reading r = Reading.of(1, "m-1", T, new BigDecimal("1234.500"), "kWh");
    assertEquals("1234.500", r.value().toPlainString());
    assertNotEquals(r, Reading.of(1, "m-1", T, new BigDecimal("1234.5"), "kWh"));
  }

  @Test
  void rejectsBadFieldsNamingThem() {
    BigDecimal v = BigDecimal.ONE;
    assertEquals("id must be positive: 0",
        assertThrows(IllegalArgumentException.class, () -> Reading.of(0, "m", T, v, "kWh")).getMessage());
    assertEquals("meterId must not be blank",
        assertThrows(IllegalArgumentException.class, () -> Reading.of(1, " ", T, v, "kWh")).getMessage());
    assertEquals("meterId",
        assertThrows(NullPointerException.class, () -> Reading.of(1, null, T, v, "kWh")).getMessage());
    assertEquals("timestamp",
        assertThrows(NullPointerException.class, () -> Reading.of(1, "m", null, v, "kWh")).getMessage());
    assertEquals("value",
        assertThrows(NullPointerException.class, () -> Reading.of(1, "m", T, null, "kWh")).getMessage());
    assertEquals("unit must not be blank",
        assertThrows(IllegalArgumentException.class, () -> Reading.of(1, "m", T, v, "")).getMessage());
    assertEquals("quality must be at most 32 characters: 33",
        assertThrows(IllegalArgumentException.class,
            () -> new Reading(1, "m", T, v, "kWh", "q".repeat(33))).getMessage());
  }
}

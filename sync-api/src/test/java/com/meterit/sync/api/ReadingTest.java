package com.meterit.sync.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

  /**
   * Issue 22, item 2: '1E+2147483647' made the batch digest throw NegativeArraySizeException, and
   * '1E+10000' could not be written by the wire format. No reading holds such a value.
   */
  @Test
  void refusesAValueTooWideToWriteOut() {
    assertEquals("value has 39 digits, more than 38",
        assertThrows(IllegalArgumentException.class, () -> Reading.of(1, "m", T,
            new BigDecimal("1" + "0".repeat(38)), "kWh")).getMessage());
    assertEquals("value has 2147483648 digits, more than 38",
        assertThrows(IllegalArgumentException.class, () -> Reading.of(1, "m", T,
            new BigDecimal("1E+2147483647"), "kWh")).getMessage());
    assertEquals("value has 39 digits, more than 38",
        assertThrows(IllegalArgumentException.class, () -> Reading.of(1, "m", T,
            new BigDecimal("1E+38"), "kWh")).getMessage());
    assertEquals("value is 66 characters long written out, more than 64",
        assertThrows(IllegalArgumentException.class, () -> Reading.of(1, "m", T,
            new BigDecimal("-1E-63"), "kWh")).getMessage());
    assertEquals("value is 65 characters long written out, more than 64",
        assertThrows(IllegalArgumentException.class, () -> Reading.of(1, "m", T,
            new BigDecimal("-1E-62"), "kWh")).getMessage());
  }

  @Test
  void acceptsEveryValueUpToTheBounds() {
    for (String v : new String[] {"-0.000", "0E+3", "1E+3", "1.50E+2", "-1E+37", "1E+37", "0E+70", "0.00100",
        "-1E-61", "1E-62", "12345678901234567890123456789012345678",
        "-0.12345678901234567890123456789012345678", "-12345678901234567890123456789012345.678",
        "1234.500"}) {
      BigDecimal value = new BigDecimal(v);
      Reading r = Reading.of(1, "m", T, value, "kWh");
      assertEquals(value, r.value(), v);
      assertTrue(value.toPlainString().length() <= Reading.MAX_VALUE_LENGTH, v);
    }
  }
}

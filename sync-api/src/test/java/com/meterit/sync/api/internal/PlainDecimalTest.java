package com.meterit.sync.api.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PlainDecimalTest {
  @Test
  void theLengthIsCountedAsToPlainStringWritesIt() {
    Random random = new Random(22);
    for (int i = 0; i < 20_000; i++) {
      BigInteger unscaled = new BigInteger(1 + random.nextInt(140), random);
      if (random.nextBoolean()) {
        unscaled = unscaled.negate();
      }
      BigDecimal value = new BigDecimal(unscaled, random.nextInt(201) - 100);
      assertEquals(value.toPlainString().length(), PlainDecimal.plainLength(value), value.toString());
    }
    for (String v : new String[] {"0", "-0.000", "0E+5", "0E-5", "1E+3", "-1E-3", "10.0"}) {
      BigDecimal value = new BigDecimal(v);
      assertEquals(value.toPlainString().length(), PlainDecimal.plainLength(value), v);
    }
  }

  @Test
  void theTextIsThePlainNotationWithItsScale() {
    assertEquals("1234.500", PlainDecimal.text(new BigDecimal("1234.500")));
    assertEquals("1000", PlainDecimal.text(new BigDecimal("1E+3")));
    assertEquals("0.000", PlainDecimal.text(new BigDecimal("-0.000")));
    assertEquals("0", PlainDecimal.text(new BigDecimal("0E+3")));
    assertNull(PlainDecimal.problem(new BigDecimal("1E+37")));
    assertNull(PlainDecimal.problem(new BigDecimal("-0.0000000000000000000000000000000000000000000000000000000000001")));
    assertEquals("has 39 digits, more than 38", PlainDecimal.problem(new BigDecimal("1E+38")));
    assertEquals("has 39 digits, more than 38",
        PlainDecimal.problem(new BigDecimal("0.000100000000000000000000000000000000000000")));
    assertEquals("value has 2147483648 digits, more than 38",
        assertThrows(IllegalArgumentException.class,
            () -> PlainDecimal.text(new BigDecimal("1E+2147483647"))).getMessage());
    assertEquals("has 100000001 digits, more than 38",
        PlainDecimal.problem(new BigDecimal("1E+100000000")));
  }
}

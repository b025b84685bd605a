package com.meterit.sync.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HumanDurationTest {
  @Test
  void aLagReadsInTheTwoLargestUnitsNotIso8601() {
    assertEquals("2 h 10 min", HumanDuration.of(Duration.parse("PT2H10M4.054284255S")));
  }

  @Test
  void eachSizeKeepsItsTwoLargestUnitsAndDropsAZeroSecond() {
    assertEquals("0 ms", HumanDuration.of(Duration.ZERO));
    assertEquals("532 ms", HumanDuration.of(Duration.ofMillis(532)));
    assertEquals("1 s", HumanDuration.of(Duration.ofMillis(1999)));
    assertEquals("59 s", HumanDuration.of(Duration.ofSeconds(59)));
    assertEquals("10 min", HumanDuration.of(Duration.ofMinutes(10)));
    assertEquals("10 min 1 s", HumanDuration.of(Duration.ofSeconds(601)));
    assertEquals("1 h", HumanDuration.of(Duration.ofHours(1).plusSeconds(59)));
    assertEquals("1 h 30 min", HumanDuration.of(Duration.ofMinutes(90)));
    assertEquals("3 d 4 h", HumanDuration.of(Duration.ofHours(76).plusMinutes(59)));
    assertEquals("2 d", HumanDuration.of(Duration.ofDays(2)));
  }

  @Test
  void aNegativeDurationReadsAsNone() {
    assertEquals("0 ms", HumanDuration.of(Duration.ofSeconds(-5)));
  }
}

package com.meterit.sync.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ProgressReporterTest {
  @Test
  void progressNeverPassesItsTotalWhenReadingsArriveWhileItDrains() {
    assertEquals("draining [##############################] 103000/103000 (100%) | 5000 readings/s"
        + " | ETA 0:00", ProgressReporter.progressLine(103_000, 102_300, 5000));
  }

  @Test
  void progressIsPlainAsciiWithPlainNumbers() {
    assertEquals("draining [###############...............] 45000/90000 (50%) | 15000 readings/s"
        + " | ETA 0:03", ProgressReporter.progressLine(45_000, 90_000, 15_000));
  }
}

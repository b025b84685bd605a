package com.meterit.sync.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MetricsExampleTest {
  @Test
  void printsTheManagersMetersAfterASync() {
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      MetricsExample.main(new String[0]);
    } finally {
      System.setOut(original);
    }
    String text = out.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("meter.sync.readings.synced{gateway=\"gw-example\"} count 4995.0"),
        text);
    assertTrue(text.contains("meter.sync.readings.rejected{gateway=\"gw-example\"} count 5.0"),
        text);
    assertTrue(text.contains("meter.sync.state{gateway=\"gw-example\",state=\"STOPPED\"} value 1.0"),
        text);
  }
}

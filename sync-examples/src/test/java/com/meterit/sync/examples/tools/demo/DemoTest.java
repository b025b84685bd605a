package com.meterit.sync.examples.tools.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.examples.tools.demo.Demo;
import com.meterit.sync.examples.tools.demo.DemoOptions;
import com.meterit.sync.examples.tools.demo.DemoResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's whole scenario, shortened: every stage runs and the final check passes. */
class DemoTest {
  @TempDir
  Path data;

  @Test
  void theShortenedDemoPassesItsCheck() throws Exception {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8);

    DemoResult result = new Demo(new DemoOptions(0.2, 20, 5_000, data), out).run();

    String transcript = captured.toString(StandardCharsets.UTF_8);
    assertTrue(result.passed(), result.checkLine() + "\n" + transcript);
    assertEquals(3, result.quarantined());
    assertEquals(result.written() - 3, result.onServer());
    assertTrue(result.written() > 5_000);
    for (int stage = 1; stage <= 7; stage++) {
      assertTrue(transcript.contains("== " + stage + "/7 "), "stage " + stage + " missing:\n" + transcript);
    }
    assertTrue(transcript.contains("applied remote configuration 2"), transcript);
    assertTrue(transcript.contains("unknown unit 'furlongs'"), transcript);
  }
}

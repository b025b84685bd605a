package com.meterit.sync.examples.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What each package of sync-examples may use of the others, read from the sources: the agent
 * uses no tool and no example (its jar holds neither); a tool uses the shared tool code of this
 * package, the simulated Client System and the agent, never another tool's package; the
 * simulator uses no other tool.
 */
class PackageReachTest {
  private static final Path SOURCES = Path.of("src/main/java/com/meterit/sync/examples");
  private static final Pattern REFERENCE =
      Pattern.compile("com\\.meterit\\.sync\\.examples(\\.[a-z]+)*(?=\\.[A-Z])");

  @Test
  void theAgentUsesNoToolAndNoExample() throws IOException {
    assertEquals(List.of(), offending("agent", List.of("com.meterit.sync.examples.agent")));
  }

  @Test
  void eachToolUsesOnlyTheSharedToolCodeTheSimulatorAndTheAgent() throws IOException {
    for (String tool : List.of("demo", "bench", "fleet")) {
      assertEquals(List.of(), offending("tools/" + tool, List.of(
          "com.meterit.sync.examples.tools." + tool, "com.meterit.sync.examples.tools",
          "com.meterit.sync.examples.tools.simulator", "com.meterit.sync.examples.agent")),
          tool);
    }
    assertEquals(List.of(), offending("tools/simulator", List.of(
        "com.meterit.sync.examples.tools.simulator", "com.meterit.sync.examples.tools")));
  }

  /** The references from {@code dir}'s sources to packages of examples outside {@code allowed}. */
  private static List<String> offending(String dir, List<String> allowed) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(SOURCES.resolve(dir))) {
      files = walk.filter(p -> p.toString().endsWith(".java")).collect(Collectors.toList());
    }
    assertTrue(files.size() > 3, () -> "no sources under " + SOURCES.resolve(dir).toAbsolutePath());
    List<String> found = new ArrayList<>();
    for (Path file : files) {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      Matcher reference = REFERENCE.matcher(text.substring(text.indexOf(';') + 1));
      while (reference.find()) {
        if (!allowed.contains(reference.group())) {
          found.add(file.getFileName() + " -> " + reference.group());
        }
      }
    }
    return found;
  }
}

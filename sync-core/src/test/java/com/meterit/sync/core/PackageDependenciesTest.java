package com.meterit.sync.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packages of sync-core as the JDK's {@code jdeps} reads them from the compiled classes:
 * support code sits below the engine and the gateway, and no package reaches back to one that
 * depends on it.
 */
class PackageDependenciesTest {
  private static final String CORE = "com.meterit.sync.core";
  private static Map<String, Set<String>> uses;

  @BeforeAll
  static void readTheCompiledClasses() throws URISyntaxException {
    Path classes = Path.of(SyncManager.class.getProtectionDomain().getCodeSource().getLocation()
        .toURI());
    ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
    StringWriter out = new StringWriter();
    int exit = jdeps.run(new PrintWriter(out), new PrintWriter(out),
        "-verbose:package", "-e", CORE.replace(".", "\\.") + ".*", classes.toString());
    assertEquals(0, exit, out::toString);
    uses = new TreeMap<>();
    for (String line : out.toString().split("\n")) {
      String[] words = line.trim().split("\\s+");
      if (words.length >= 3 && words[1].equals("->") && words[0].startsWith(CORE)
          && words[2].startsWith(CORE) && !words[0].equals(words[2])) {
        uses.computeIfAbsent(words[0], p -> new TreeSet<>()).add(words[2]);
      }
    }
  }

  @Test
  void theEngineAndTheGatewayShareSupportCodeThatDependsOnNeither() {
    assertTrue(uses.get(CORE).contains(CORE + ".internal"), uses::toString);
    assertTrue(uses.get(CORE + ".http").containsAll(Set.of(CORE, CORE + ".internal")),
        uses::toString);
    assertEquals(Set.of(), uses.getOrDefault(CORE + ".internal", Set.of()));
  }

  @Test
  void theRunKnowsOnlyTimeAndSupportCodeOfSyncCore() {
    assertTrue(uses.get(CORE).contains(CORE + ".internal.run"), uses::toString);
    assertEquals(Set.of(CORE + ".internal", CORE + ".time"), uses.get(CORE + ".internal.run"));
    assertEquals(Set.of(), uses.getOrDefault(CORE + ".time", Set.of()));
  }

  @Test
  void noPackageDependsOnItselfThroughAnother() {
    for (String start : uses.keySet()) {
      assertFalse(reachableFrom(start).contains(start), () -> start + " in a cycle: " + uses);
    }
  }

  @Test
  void theEngineKnowsNothingOfTheHttpGatewayOrItsMetrics() {
    for (String above : Set.of(CORE + ".http", CORE + ".metrics", CORE + ".testing")) {
      assertFalse(uses.get(CORE).contains(above), () -> CORE + " uses " + above);
    }
  }

  private static Set<String> reachableFrom(String start) {
    Set<String> seen = new HashSet<>();
    Deque<String> next = new ArrayDeque<>(uses.getOrDefault(start, Set.of()));
    while (!next.isEmpty()) {
      String p = next.pop();
      if (seen.add(p)) {
        next.addAll(uses.getOrDefault(p, Set.of()));
      }
    }
    return seen;
  }
}

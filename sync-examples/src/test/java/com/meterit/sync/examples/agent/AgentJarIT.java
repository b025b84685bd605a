package com.meterit.sync.examples.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jars {@code mvn package} leaves in sync-examples/target: meter-sync-agent.jar holds the
 * agent and its runtime dependencies and nothing of the tools or the examples, and still runs
 * with {@code java -jar}; meter-sync-tools.jar holds the tools and what they run.
 */
class AgentJarIT {
  private static final Path AGENT_JAR = Path.of(System.getProperty("meter.sync.agent.jar"));
  private static final Path TOOLS_JAR = Path.of(System.getProperty("meter.sync.tools.jar"));
  private static final String EXAMPLES = "com/meterit/sync/examples/";

  @TempDir
  Path dir;

  @Test
  void theAgentJarHoldsNoToolNoExampleNoMetricsLibraryAndNoServer() throws IOException {
    List<String> entries = entries(AGENT_JAR);

    List<String> strays = entries.stream()
        .filter(e -> e.startsWith(EXAMPLES + "tools/")
            || e.startsWith(EXAMPLES) && e.endsWith(".class") && e.indexOf('/', EXAMPLES.length()) < 0
            || e.startsWith("io/micrometer/")
            || e.startsWith("org/eclipse/jetty/") || e.startsWith("jakarta/servlet/"))
        .collect(Collectors.toList());
    assertEquals(List.of(), strays);
    assertTrue(entries.contains(EXAMPLES + "agent/SyncAgent.class"));
    assertTrue(entries.contains(EXAMPLES + "agent/" + BuildInfo.RESOURCE));
    assertTrue(entries.contains("com/meterit/sync/core/SyncManager.class"));
    assertTrue(entries.contains("org/sqlite/JDBC.class"), "the default Sync Database's driver");
    try (JarFile jar = new JarFile(AGENT_JAR.toFile())) {
      assertEquals(SyncAgent.class.getName(),
          jar.getManifest().getMainAttributes().getValue("Main-Class"));
    }
  }

  @Test
  void theToolsJarHoldsEveryToolTheExamplesAndTheAgentTheBenchmarkRuns() throws IOException {
    List<String> entries = entries(TOOLS_JAR);

    for (String type : List.of("tools/demo/Demo", "tools/simulator/SimulatedClientSystem",
        "tools/bench/Benchmark", "tools/fleet/FleetSimulator", "tools/Canvas", "PostgresExample",
        "MetricsExample", "agent/SyncAgent")) {
      assertTrue(entries.contains(EXAMPLES + type + ".class"), type);
    }
    assertTrue(entries.contains("io/micrometer/core/instrument/MeterRegistry.class"));
    assertTrue(entries.contains("org/eclipse/jetty/http2/server/HTTP2ServerConnectionFactory.class"),
        "the link benchmark's HTTP/2 server");
  }

  @Test
  void javaDashJarAnswersVersionWithTheBuildsVersionAndCommit() throws Exception {
    PackagedAgent.Ran version = PackagedAgent.run(dir, Map.of(), javaJar("--version"));

    assertEquals(0, version.exit, version.output);
    String expected = "meter-sync-agent " + System.getProperty("meter.sync.version")
        + " \\(commit ([0-9a-f]{12}|unknown)\\)\n";
    assertTrue(version.output.matches(expected), version.output);
  }

  @Test
  void javaDashJarAnswersHelpWithEveryVariable() throws Exception {
    PackagedAgent.Ran help = PackagedAgent.run(dir, Map.of(), javaJar("--help"));

    assertEquals(0, help.exit, help.output);
    for (AgentVariables.Variable v : AgentVariables.ALL) {
      assertTrue(help.output.contains("  " + v.name + " "), v.name);
    }
  }

  @Test
  void javaDashJarStartsTheAgentWhichSyncsAndStopsOnRequest() throws Exception {
    PackagedAgent.syncsAFewReadingsThenStopsOnRequest(dir, javaJar(), Map.of());
  }

  private static List<String> javaJar(String... args) {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        AGENT_JAR.toString()));
    command.addAll(List.of(args));
    return command;
  }

  private static List<String> entries(Path jar) throws IOException {
    try (JarFile file = new JarFile(jar.toFile())) {
      return file.stream().map(e -> e.getName()).collect(Collectors.toList());
    }
  }
}

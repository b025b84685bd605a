package com.meterit.sync.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.examples.tools.simulator.SimulatedClientSystem;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's quick start is docs/quickstart, word for word, and it runs. {@code .ci/quickstart}
 * also builds that project with Maven from an empty directory against the installed snapshot.
 */
class QuickStartTest {
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static final Path PROJECT = ROOT.resolve("docs/quickstart");
  private static final Path SOURCE =
      PROJECT.resolve("src/main/java/com/example/quickstart/QuickStart.java");

  @TempDir
  Path dir;

  @Test
  void theReadmeQuickStartShowsTheProjectsClassAndDependencies() throws Exception {
    String quickStart = readmeQuickStart();
    // The README shows the class as a user pastes it: everything but the package line.
    String source = Files.readString(SOURCE, StandardCharsets.UTF_8)
        .replaceFirst("(?m)^package [^;]+;\\s*", "");
    assertEquals(normalized(source), normalized(block(quickStart, "java")),
        "README.md's Quick start and docs/quickstart's QuickStart.java drifted apart");
    assertEquals(normalized(between(pom(), "<dependencies>", "</dependencies>")),
        normalized(block(quickStart, "xml")),
        "README.md's Quick start dependencies and docs/quickstart/pom.xml's drifted apart");
  }

  @Test
  void theQuickStartProjectUsesThisVersionAndTheVersionsTheBuildTests() throws Exception {
    String parent = Files.readString(ROOT.resolve("pom.xml"), StandardCharsets.UTF_8);
    String version = between(parent.substring(parent.indexOf("<artifactId>meter-sync-parent")),
        "<version>", "</version>");
    String pom = pom();
    for (String module : List.of("sync-core", "sync-jdbc")) {
      assertEquals(version, dependencyVersion(pom, module), module);
    }
    assertEquals(property(parent, "sqlite.version"), dependencyVersion(pom, "sqlite-jdbc"));
    assertEquals(property(parent, "hikaricp.version"), dependencyVersion(pom, "HikariCP"));
    assertEquals(property(parent, "slf4j.version"), dependencyVersion(pom, "slf4j-simple"));
  }

  @Test
  void theQuickStartWritesTwoReadingsSyncsThemAndPrintsTheStatus() throws Exception {
    Path classes = Files.createDirectory(dir.resolve("classes"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertEquals(0, javac.run(null, null, null, "--release", "11", "-d", classes.toString(),
        "-cp", System.getProperty("java.class.path"), SOURCE.toString()), "javac failed");

    try (SimulatedClientSystem server = SimulatedClientSystem.start("quick-start-key")) {
      // Only these variables, in an empty directory: the default SQLite file lands in ./data.
      ProcessBuilder builder = new ProcessBuilder(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-cp",
          classes + File.pathSeparator + System.getProperty("java.class.path"),
          "com.example.quickstart.QuickStart");
      builder.environment().clear();
      builder.environment().putAll(Map.of("CLIENT_API_URL", server.url().toString(),
          "CLIENT_API_KEY", "quick-start-key", "GATEWAY_ID", "gw-quick-start"));
      builder.directory(dir.toFile());
      Path out = dir.resolve("quick-start.out");
      builder.redirectOutput(out.toFile());
      builder.redirectErrorStream(true);
      Process quickStart = builder.start();
      boolean ended = quickStart.waitFor(60, TimeUnit.SECONDS);
      if (!ended) {
        quickStart.destroyForcibly();
      }
      String output = Files.readString(out, StandardCharsets.UTF_8);
      assertTrue(ended, output);
      assertEquals(0, quickStart.exitValue(), output);
      assertTrue(server.awaitAccepted(2, Duration.ZERO), output);
      assertTrue(output.lines().anyMatch(
          "IDLE: 0 pending, 2 synced in the last 24 hours"::equals), output);
    }
  }

  private static String readmeQuickStart() throws Exception {
    String readme = Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
    int section = readme.indexOf("\n## Quick start\n");
    assertTrue(section >= 0, "README has no '## Quick start' section");
    int end = readme.indexOf("\n## ", section + 1);
    return readme.substring(section, end < 0 ? readme.length() : end);
  }

  /** The first fenced block of that language. */
  private static String block(String markdown, String language) {
    String fence = "```" + language + "\n";
    assertTrue(markdown.contains(fence), "the Quick start section has no " + language + " block");
    return between(markdown, fence, "```");
  }

  private static String pom() throws Exception {
    return Files.readString(PROJECT.resolve("pom.xml"), StandardCharsets.UTF_8);
  }

  private static String dependencyVersion(String pom, String artifactId) {
    Matcher m = Pattern.compile("<artifactId>" + Pattern.quote(artifactId)
        + "</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
    assertTrue(m.find(), "docs/quickstart/pom.xml has no versioned dependency " + artifactId);
    return m.group(1);
  }

  private static String property(String pom, String name) {
    return between(pom, "<" + name + ">", "</" + name + ">");
  }

  private static String between(String text, String open, String close) {
    int start = text.indexOf(open);
    assertTrue(start >= 0, "no " + open);
    int end = text.indexOf(close, start + open.length());
    assertTrue(end >= 0, "no " + close + " after " + open);
    return text.substring(start + open.length(), end);
  }

  private static String normalized(String code) {
    return code.replaceAll("\\s+", " ").trim();
  }
}

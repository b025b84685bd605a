package com.meterit.sync.examples.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release's launcher, {@code bin/meter-sync-agent}, run by {@code /bin/sh} in an
 * installation laid out as the tarball's, with a stand-in {@code java} that prints the
 * arguments it was given, one a line. DistributionIT runs it with a real JVM.
 */
class LauncherTest {
  static final Path LAUNCHER = Path.of("src/dist/bin/meter-sync-agent").toAbsolutePath();

  @TempDir
  Path dir;
  private Path home;
  private Path javaHome;

  @BeforeEach
  void install() throws IOException {
    home = dir.resolve("opt/meter-sync");
    Files.createDirectories(home.resolve("bin"));
    Files.createDirectories(home.resolve("lib"));
    Files.copy(LAUNCHER, home.resolve("bin/meter-sync-agent"));
    Files.writeString(home.resolve("lib/meter-sync-agent.jar"), "not read by the stand-in");
    javaHome = dir.resolve("jdk");
    Files.createDirectories(javaHome.resolve("bin"));
    Path java = javaHome.resolve("bin/java");
    Files.writeString(java, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\nexit 3\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @Test
  void runsTheInstalledJarOnJavaHomeWithTheGatewayFlagsThenJavaOptsThenTheArguments()
      throws Exception {
    Result result = run(home.resolve("bin/meter-sync-agent"),
        Map.of("JAVA_HOME", javaHome.toString(), "JAVA_OPTS", "-Xmx96m -Dx=*"),
        "quarantine", "requeue", "an argument with spaces");

    // The stand-in's exit code comes through: the JVM replaces the shell.
    assertEquals(3, result.exit, result.output);
    List<String> args = result.lines;
    assertEquals(List.of("-Xmx64m", "-Xss512k", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-XX:+ExitOnOutOfMemoryError", "-XX:OnOutOfMemoryError=kill -9 %p", "-Xmx96m", "-Dx=*",
        "-jar", home.toRealPath().resolve("lib/meter-sync-agent.jar").toString(),
        "quarantine", "requeue", "an argument with spaces"), args);
  }

  @Test
  void boundsMallocArenasToTwoUnlessTheEnvironmentSaysOtherwise() throws Exception {
    Files.writeString(javaHome.resolve("bin/java"),
        "#!/bin/sh\nprintf 'arenas=%s\\n' \"$MALLOC_ARENA_MAX\"\n");

    assertTrue(run(home.resolve("bin/meter-sync-agent"), Map.of("JAVA_HOME", javaHome.toString()))
        .lines.contains("arenas=2"));
    assertTrue(run(home.resolve("bin/meter-sync-agent"), Map.of("JAVA_HOME", javaHome.toString(),
        "MALLOC_ARENA_MAX", "4")).lines.contains("arenas=4"));
  }

  @Test
  void findsItsInstallationThroughASymbolicLinkToTheLauncher() throws Exception {
    Path link = dir.resolve("usr/local/bin/meter-sync-agent");
    Files.createDirectories(link.getParent());
    Files.createSymbolicLink(link, home.resolve("bin/meter-sync-agent"));

    Result result = run(link, Map.of("JAVA_HOME", javaHome.toString()), "--version");

    assertTrue(result.lines.contains(home.toRealPath().resolve("lib/meter-sync-agent.jar")
        .toString()), result.output);
    assertEquals("--version", result.lines.get(result.lines.size() - 1));
  }

  @Test
  void aJavaHomeWithoutJavaIsAConfigurationErrorNamingIt() throws Exception {
    Result result = run(home.resolve("bin/meter-sync-agent"),
        Map.of("JAVA_HOME", dir.resolve("nowhere").toString()));

    assertEquals(SyncAgent.EXIT_CONFIGURATION, result.exit);
    assertTrue(result.output.contains("no Java runtime at " + dir.resolve("nowhere")),
        result.output);
  }

  private static final class Result {
    final int exit;
    final String output;
    final List<String> lines;

    Result(int exit, String output) {
      this.exit = exit;
      this.output = output;
      this.lines = new ArrayList<>(output.lines().collect(java.util.stream.Collectors.toList()));
    }
  }

  private Result run(Path launcher, Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("/bin/sh", launcher.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().put("PATH", "/usr/bin:/bin");
    builder.environment().putAll(env);
    builder.directory(dir.toFile());
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the launcher did not end");
    return new Result(process.exitValue(), output);
  }
}

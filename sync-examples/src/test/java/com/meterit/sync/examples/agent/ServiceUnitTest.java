package com.meterit.sync.examples.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped systemd unit stays sandboxed as a security team would sign it, and its user is
 * created by the shipped sysusers.d file. The systemd checks run wherever the tools are installed
 * (Debian packages them); elsewhere they report skipped.
 */
class ServiceUnitTest {
  private static final Path DOCS = Path.of("").toAbsolutePath().getParent().resolve("docs");
  private static final Path UNIT = DOCS.resolve("meter-sync-agent.service");
  private static final Path SYSUSERS = DOCS.resolve("meter-sync.sysusers");
  private static final Pattern EXPOSURE =
      Pattern.compile("Overall exposure level for \\S+: (\\d+\\.\\d+)");

  @TempDir
  Path root;

  @Test
  void systemdRatesTheUnitTwoPointFiveOrLower() throws Exception {
    assumeTrue(onPath("systemd-analyze"), "systemd-analyze is not installed");

    String report = run("systemd-analyze", "security", "--offline=yes", UNIT.toString());

    Matcher exposure = EXPOSURE.matcher(report);
    assertTrue(exposure.find(), () -> "no overall exposure level in:\n" + report);
    double level = Double.parseDouble(exposure.group(1));
    assertTrue(level <= 2.5, () -> "exposure " + level + " is above 2.5:\n" + report);
  }

  @Test
  void theUnitRunsTheInstalledLauncherWhichEndsTheJvmOnOutOfMemory() throws IOException {
    String unit = Files.readString(UNIT, StandardCharsets.UTF_8);
    String launcher = Files.readString(LauncherTest.LAUNCHER, StandardCharsets.UTF_8);

    // The path an installed release tarball puts its launcher at (INSTALL).
    assertEquals("/opt/meter-sync/bin/meter-sync-agent", setting(unit, "ExecStart"));
    assertTrue(launcher.contains("-XX:+ExitOnOutOfMemoryError"), "the launcher lacks ExitOnOutOfMemoryError");
    // Alone, the exit flag ends the JVM with 3, which RestartPreventExitStatus keeps down;
    // LauncherTest checks that this reaches the JVM as one argument.
    assertTrue(launcher.contains("\"-XX:OnOutOfMemoryError=kill -9 %p\""), "the launcher must kill the JVM on OOM");
    assertTrue(unit.contains("\nUMask=0077\n"), "files the agent creates must be private");
    assertTrue(unit.contains("\nStateDirectoryMode=0700\n"), "the state directory must be private");
    // The JIT writes code and then runs it: this setting would kill the JVM at its first compile.
    assertFalse(unit.contains("\nMemoryDenyWriteExecute=true"), "the JIT needs W+X memory");
  }

  @Test
  void theSysusersFileCreatesTheUnitsUserWithItsStateDirectoryAsHome() throws Exception {
    assumeTrue(onPath("systemd-sysusers"), "systemd-sysusers is not installed");
    Path conf = root.resolve("usr/lib/sysusers.d/meter-sync.conf");
    Files.createDirectories(conf.getParent());
    Files.createDirectories(root.resolve("etc"));
    Files.copy(SYSUSERS, conf);

    run("systemd-sysusers", "--root=" + root);

    String unit = Files.readString(UNIT, StandardCharsets.UTF_8);
    String user = setting(unit, "User");
    String home = setting(unit, "WorkingDirectory");
    List<String> passwd = Files.readAllLines(root.resolve("etc/passwd"));
    String entry =
        passwd.stream().filter(line -> line.startsWith(user + ":")).findFirst().orElse("");
    String[] fields = entry.split(":", -1);
    assertEquals(7, fields.length, () -> "no passwd entry for " + user + " in " + passwd);
    assertEquals(home, fields[5]);
    assertEquals("/usr/sbin/nologin", fields[6]);
    assertTrue(
        Files.readAllLines(root.resolve("etc/group")).stream()
            .anyMatch(line -> line.startsWith(setting(unit, "Group") + ":")),
        "the unit's group is not created");
  }

  private static String setting(String unit, String key) {
    Matcher matcher = Pattern.compile("(?m)^" + key + "=(.*)$").matcher(unit);
    assertTrue(matcher.find(), "the unit has no " + key + "=");
    return matcher.group(1).trim();
  }

  private static boolean onPath(String tool) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "timed out: " + String.join(" ", command));
    assertEquals(0, process.exitValue(), () -> String.join(" ", command) + " failed:\n" + output);
    return output;
  }
}

package com.meterit.sync.examples.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release tarball of {@code mvn -Pdist package}, as a gateway installs it: unpacked, its
 * checksums verified, its launcher asked for the version, then syncing a few readings to a
 * simulated Client System and stopping on SIGTERM. Runs with {@code -Pdist} (as CI does), which
 * names the tarball; skipped without it.
 */
class DistributionIT {
  private static final String TARBALL = System.getProperty("meter.sync.dist.tarball", "");
  private static final String VERSION = System.getProperty("meter.sync.version");

  @TempDir
  Path dir;
  private Path home;

  @BeforeEach
  void unpack() throws Exception {
    assumeTrue(!TARBALL.isBlank(), "no -Pdist: no tarball to check");
    Path tarball = Path.of(TARBALL);
    assertTrue(Files.isRegularFile(tarball), "-Pdist built no " + tarball);
    assertTrue(tarball.getFileName().toString().equals("meter-sync-agent-" + VERSION + ".tar.gz"));
    PackagedAgent.Ran tar = PackagedAgent.run(dir, Map.of(), List.of("tar", "-xzf",
        tarball.toString(), "-C", dir.toString()));
    assertEquals(0, tar.exit, tar.output);
    home = dir.resolve("meter-sync-agent-" + VERSION);
  }

  @Test
  void theTarballHoldsWhatAnInstallNeedsWithCorrectChecksums() throws Exception {
    for (String file : List.of("bin/meter-sync-agent", "lib/meter-sync-agent.jar",
        "etc/meter-sync-agent.env", "systemd/meter-sync-agent.service",
        "systemd/meter-sync.sysusers", "sbom/meter-sync-agent-" + VERSION + ".cdx.json",
        "INSTALL", "SHA256SUMS")) {
      assertTrue(Files.isRegularFile(home.resolve(file)), file);
    }
    assertTrue(Files.getPosixFilePermissions(home.resolve("bin/meter-sync-agent"))
        .contains(PosixFilePermission.OTHERS_EXECUTE));
    assertEquals(AgentVariables.envTemplate(),
        Files.readString(home.resolve("etc/meter-sync-agent.env")));

    PackagedAgent.Ran sums = PackagedAgent.run(home, Map.of(),
        List.of("sha256sum", "--check", "--strict", "SHA256SUMS"));
    assertEquals(0, sums.exit, sums.output);
    // Every file but the sums themselves is listed.
    assertEquals(7, sums.output.lines().filter(l -> l.endsWith(": OK")).count(), sums.output);
  }

  @Test
  void theLauncherPrintsTheVersionThenSyncsAFewReadingsAndStopsOnRequest() throws Exception {
    Map<String, String> env = Map.of("JAVA_HOME", System.getProperty("java.home"));
    List<String> launcher = List.of(home.resolve("bin/meter-sync-agent").toString());

    PackagedAgent.Ran version = PackagedAgent.run(dir, env,
        List.of(launcher.get(0), "--version"));
    assertEquals(0, version.exit, version.output);
    assertTrue(version.output.startsWith("meter-sync-agent " + VERSION + " (commit "),
        version.output);

    PackagedAgent.syncsAFewReadingsThenStopsOnRequest(dir, launcher, env);
  }
}

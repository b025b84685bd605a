package com.meterit.sync.examples.agent;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The agent's version and the commit it was built from, as the build recorded them in {@value
 * #RESOURCE} (the version from the pom, the commit from {@code git rev-parse} when git and the
 * repository were there). Anything missing reads {@code unknown}, never a placeholder.
 */
final class BuildInfo {
  static final String RESOURCE = "meter-sync-agent-build.properties";
  static final String UNKNOWN = "unknown";

  final String version;
  final String commit;

  private BuildInfo(String version, String commit) {
    this.version = version;
    this.commit = commit;
  }

  /** What the build recorded, from the class path. */
  static BuildInfo load() {
    Properties properties = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      // Then both are unknown: a version line must never stop the agent.
    }
    return of(properties.getProperty("version"), properties.getProperty("commit"));
  }

  /** Blank values, and Maven or Ant placeholders that were never filled in, become unknown. */
  static BuildInfo of(String version, String commit) {
    return new BuildInfo(known(version), known(commit));
  }

  /** The {@code --version} line: {@code meter-sync-agent 0.1.0 (commit 95ed9db1a2b3)}. */
  String line() {
    return "meter-sync-agent " + version + " (commit " + commit + ")";
  }

  private static String known(String value) {
    if (value == null || value.isBlank() || value.contains("${")) {
      return UNKNOWN;
    }
    return value.trim();
  }
}

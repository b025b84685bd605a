package com.meterit.sync.core;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The version of meter-sync, as built into the jar. Used in the User-Agent and heartbeats.
 */
public final class SdkVersion {
  private static final String VERSION = load();

  private SdkVersion() {}

  /** The version, such as {@code 0.1.0}, or {@code unknown} outside a built jar. */
  public static String get() {
    return VERSION;
  }

  private static String load() {
    try (InputStream in = SdkVersion.class.getResourceAsStream("/META-INF/meter-sync/version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties properties = new Properties();
      properties.load(in);
      String version = properties.getProperty("version", "unknown");
      return version.startsWith("${") ? "unknown" : version;
    } catch (IOException e) {
      return "unknown";
    }
  }
}

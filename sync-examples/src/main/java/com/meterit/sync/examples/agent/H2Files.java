package com.meterit.sync.examples.agent;

import com.meterit.sync.api.SyncException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Makes the directory of an H2 file database before H2 opens it. H2 creates it too, but when it
 * cannot, it prints its stack traces to stderr before answering; here the operator gets one line.
 */
final class H2Files {
  private H2Files() {}

  /**
   * Creates the directory of the H2 file that {@code jdbcUrl} names, if it names one.
   *
   * @throws SyncException naming the directory when it cannot be created
   */
  static void prepare(String jdbcUrl) {
    Path file = fileOf(jdbcUrl);
    if (file == null || file.getParent() == null) {
      return;
    }
    try {
      Files.createDirectories(file.getParent());
    } catch (IOException | InvalidPathException | SecurityException e) {
      throw new SyncException("SYNC_DB_URL names an H2 file in " + file.getParent()
          + ", a directory that cannot be created (" + e.getClass().getSimpleName() + ")");
    }
  }

  /** The database file of an embedded H2 URL, without H2's suffix; null for any other URL. */
  static Path fileOf(String jdbcUrl) {
    if (!jdbcUrl.toLowerCase(Locale.ROOT).startsWith("jdbc:h2:")) {
      return null;
    }
    String rest = jdbcUrl.substring("jdbc:h2:".length());
    int semicolon = rest.indexOf(';');
    String name = semicolon < 0 ? rest : rest.substring(0, semicolon);
    if (name.startsWith("file:")) {
      name = name.substring("file:".length());
    } else if (name.matches("^(mem|tcp|ssl|zip|split|nio\\w*|async|memFS|memLZF|retry):.*")) {
      return null;
    }
    if (name.startsWith("~")) {
      name = System.getProperty("user.home") + name.substring(1);
    }
    try {
      return name.isEmpty() ? null : Path.of(name).toAbsolutePath();
    } catch (InvalidPathException e) {
      return null;
    }
  }
}

package com.meterit.sync.examples.agent;

import com.meterit.sync.api.ConfigurationException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The agent's logging, set up from {@code LOG_LEVEL} before the first logger exists:
 * slf4j-simple reads its system properties once, when it starts. A property given with
 * {@code -D} wins.
 */
final class AgentLogging {
  /** The environment variable of the agent's log level. */
  static final String LOG_LEVEL = "LOG_LEVEL";
  /** The default level: {@value}. */
  static final String DEFAULT_LOG_LEVEL = "info";

  private static final List<String> LEVELS = List.of("trace", "debug", "info", "warn", "error", "off");
  private static final String PREFIX = "org.slf4j.simpleLogger.";

  private AgentLogging() {}

  /**
   * Applies {@code LOG_LEVEL}. An operator command ({@code command}) logs to stderr, and
   * only warnings unless {@code LOG_LEVEL} says otherwise.
   *
   * @throws ConfigurationException naming {@code LOG_LEVEL} when it is not a level
   */
  static void apply(Map<String, String> env, boolean command) {
    String level = env.getOrDefault(LOG_LEVEL, "").trim().toLowerCase(Locale.ROOT);
    if (level.isEmpty()) {
      level = DEFAULT_LOG_LEVEL;
    }
    if (!LEVELS.contains(level)) {
      throw new ConfigurationException(LOG_LEVEL, LOG_LEVEL + " must be one of "
          + String.join(", ", LEVELS) + ": '" + env.get(LOG_LEVEL).trim() + "'");
    }
    if (command) {
      // An operator command's output is its answer: logs go to stderr, and only problems.
      setDefault("logFile", "System.err");
      setDefault("defaultLogLevel", env.containsKey(LOG_LEVEL) ? level : "warn");
      return;
    }
    setDefault("defaultLogLevel", level);
    // The agent prints one status line per run and says why the Client System is unreachable;
    // the engine's own INFO lines for the same events would double them. Debug shows both.
    String engine = LEVELS.indexOf(level) < LEVELS.indexOf("warn") ? "warn" : level;
    if (LEVELS.indexOf(level) >= LEVELS.indexOf("info")) {
      setDefault("log.com.meterit.sync.core.SyncManager", engine);
      setDefault("log.com.meterit.sync.core.ConnectivityMonitor", engine);
    }
  }

  private static void setDefault(String key, String value) {
    if (System.getProperty(PREFIX + key) == null) {
      System.setProperty(PREFIX + key, value);
    }
  }
}

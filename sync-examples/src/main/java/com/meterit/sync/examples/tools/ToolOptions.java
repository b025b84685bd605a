package com.meterit.sync.examples.tools;

import java.util.Map;

/** The {@code --name=value} options of the harness's command-line tools. */
public final class ToolOptions {
  private ToolOptions() {}

  /**
   * Overrides {@code options} (the defaults, by name) with {@code args}. An unknown or malformed
   * option ends the process with status 2, after naming it and the known ones.
   *
   * @param tool how the tool names itself in the message
   */
  public static void apply(String tool, Map<String, String> options, String[] args) {
    for (String arg : args) {
      String[] kv = arg.replaceFirst("^--", "").split("=", 2);
      if (kv.length != 2 || !options.containsKey(kv[0])) {
        System.err.println(tool + ": unknown option " + arg + "; known: " + options.keySet());
        System.exit(2);
      }
      options.put(kv[0], kv[1]);
    }
  }
}

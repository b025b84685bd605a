package com.meterit.sync.examples.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The agent jar's main class as a real child process, its output kept in files. */
final class AgentProcess {
  final Process process;
  private final Path out;
  private final Path err;

  private AgentProcess(Process process, Path out, Path err) {
    this.process = process;
    this.out = out;
    this.err = err;
  }

  /**
   * Starts {@code mainClass} with only {@code env} as its environment, in {@code dir}, so that
   * the default Sync Database ({@code ./data}) lands there.
   */
  static AgentProcess start(Path dir, String name, Map<String, String> env, String mainClass,
      String... args) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-cp",
        System.getProperty("java.class.path"), mainClass));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().clear();
    builder.environment().putAll(env);
    builder.directory(dir.toFile());
    Path out = dir.resolve(name + ".out");
    Path err = dir.resolve(name + ".err");
    builder.redirectOutput(out.toFile());
    builder.redirectError(err.toFile());
    return new AgentProcess(builder.start(), out, err);
  }

  /**
   * The variables of an agent that syncs to {@code clientApiUrl} with {@code key} every 1.2 s,
   * on the default Sync Database unless {@code dbUrl} is given (null for the default). A map the
   * caller may add to.
   */
  static Map<String, String> env(String clientApiUrl, String key, String gatewayId,
      String dbUrl) {
    Map<String, String> env = new HashMap<>();
    env.put("CLIENT_API_URL", clientApiUrl);
    env.put("CLIENT_API_KEY", key);
    env.put("GATEWAY_ID", gatewayId);
    if (dbUrl != null) {
      env.put("SYNC_DB_URL", dbUrl);
    }
    env.put("SYNC_INTERVAL_MINUTES", "0.02");
    return env;
  }

  /** Starts the agent itself. */
  static AgentProcess agent(Path dir, String name, Map<String, String> env, String... args)
      throws IOException {
    return start(dir, name, env, SyncAgent.class.getName(), args);
  }

  /** Runs an operator command to its end; its exit code. */
  static AgentProcess command(Path dir, String name, Map<String, String> env, String... args)
      throws Exception {
    AgentProcess command = agent(dir, name, env, args);
    if (!command.process.waitFor(60, TimeUnit.SECONDS)) {
      command.process.destroyForcibly();
      throw new AssertionError(name + " did not finish: " + command.output());
    }
    return command;
  }

  int exitValue() {
    return process.exitValue();
  }

  String stdout() {
    return read(out);
  }

  String stderr() {
    return read(err);
  }

  /** Both streams, for failure messages. */
  String output() {
    return stdout() + stderr();
  }

  /** Asks the agent to stop, as a supervisor would, and waits for its exit code. */
  int stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the agent did not stop on SIGTERM: " + output());
    }
    return process.exitValue();
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

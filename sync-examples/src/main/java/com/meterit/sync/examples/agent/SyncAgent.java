package com.meterit.sync.examples.agent;

import com.meterit.sync.api.ConfigurationException;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The standalone sync agent: the original Sync Service as a process, and the operator's command
 * line. Configured only from the environment, it syncs the Sync Database to the Client System
 * until SIGTERM or SIGINT, then stops gracefully (the batch in flight is finished or released).
 * A Sync Database that does not answer yet is waited for.
 *
 * <p>With arguments it runs an operator command instead: {@code status [--json]},
 * {@code quarantine list [N] [--json]}, {@code quarantine requeue ID...} or
 * {@code quarantine requeue --all}. {@code --version} prints the version and the commit it was
 * built from; {@code --help} the usage and every environment variable with its default. Both
 * exit 0 and read neither the environment nor the Sync Database.
 *
 * <p>Exit codes, and what a supervisor does with them:
 * <ul>
 *   <li>{@value #EXIT_OK}: stopped on request, or the command succeeded. Nothing to do.
 *   <li>{@value #EXIT_FAILURE}: an unexpected failure; a command failed; or the Sync Database
 *       broke while the agent ran and stayed unavailable after {@value
 *       StoreWatch#DEFAULT_REOPEN_ATTEMPTS} reopens (closed, read-only, I/O errors, out of
 *       memory). Restart the agent.
 *   <li>{@value #EXIT_CONFIGURATION}: bad configuration, named in one line. Do not restart: fix
 *       the variable.
 *   <li>{@value #EXIT_DATABASE}: the Sync Database cannot be used: corrupted or not a database
 *       (at start, or after the reopens while running), a schema newer than this agent or not
 *       its own, an H2 directory that cannot be created, missing rights. Do not restart until an
 *       operator has looked.
 * </ul>
 *
 * <p>A full disk under the Sync Database never ends the agent: it is waited out (see {@link
 * StoreWatch}). Run the JVM with {@code -XX:OnOutOfMemoryError="kill -9 %p"} beside {@code
 * -XX:+ExitOnOutOfMemoryError}: the exit flag alone ends the JVM with 3, this class's code for a
 * damaged database, which supervisors do not restart.
 */
public final class SyncAgent {
  /** Stopped on request (SIGTERM, SIGINT), or the command succeeded: {@value}. */
  public static final int EXIT_OK = 0;
  /** An unexpected failure, or a command that failed: {@value}. */
  public static final int EXIT_FAILURE = 1;
  /** Bad configuration or usage; the message names the variable: {@value}. */
  public static final int EXIT_CONFIGURATION = 2;
  /** The Sync Database cannot be used: damaged, or a schema this agent cannot use: {@value}. */
  public static final int EXIT_DATABASE = 3;

  private SyncAgent() {}

  /** Runs the agent, or with arguments an operator command, and exits with its code. */
  public static void main(String[] args) {
    String info = information(Arrays.asList(args));
    if (info != null) {
      System.out.print(info);
      System.exit(EXIT_OK);
      return;
    }
    Map<String, String> env = System.getenv();
    boolean command = args.length > 0;
    try {
      // Before any logger exists: the logging backend reads its settings once.
      AgentLogging.apply(env, command);
    } catch (ConfigurationException e) {
      System.err.println("meter-sync-agent: " + e.getMessage());
      System.exit(EXIT_CONFIGURATION);
      return;
    }
    if (command) {
      System.exit(new OperatorCommand(env, System.out, System.err, Clock.systemUTC())
          .run(Arrays.asList(args)));
      return;
    }
    CountDownLatch stop = new CountDownLatch(1);
    Signals.onTermination(stop::countDown);
    System.exit(run(env, stop, System.err));
  }

  /**
   * The answer to {@code --version} or {@code --help} (also {@code -h}), alone on the command
   * line; null for anything else.
   */
  static String information(List<String> args) {
    if (args.equals(List.of("--version"))) {
      return BuildInfo.load().line() + "\n";
    }
    if (args.equals(List.of("--help")) || args.equals(List.of("-h"))) {
      return AgentVariables.help(BuildInfo.load().line());
    }
    return null;
  }

  /**
   * Runs the agent until {@code stop} opens.
   *
   * @return the process exit code
   */
  static int run(Map<String, String> env, CountDownLatch stop, PrintStream err) {
    return new Agent(env, stop, err).run();
  }
}

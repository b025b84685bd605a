package com.meterit.sync.examples.tools.bench;

import com.meterit.sync.examples.tools.ToolOptions;
import com.meterit.sync.examples.tools.simulator.SimulatedClientSystem;
import com.meterit.sync.jdbc.JdbcReadingSource;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The agent's footprint, as a gateway would run it (issue 25): the agent jar with {@code java
 * -jar}, on its default SQLite Sync Database, pinned to one core with {@code taskset}, under
 * {@code -Xmx32m}, against the simulated Client System running in this JVM. Each round starts
 * three processes: a bare JVM sleeping (the floor), the agent idle on an empty queue, and the agent
 * draining a backlog written into its SQLite file before it starts. Each runs with native memory
 * tracking, which {@code jcmd} reads after the other figures are taken.
 *
 * <p>{@code --only=footprint} on {@link Benchmark}; options: {@code --repeat=3
 * --readings=300000 --settle-seconds=80 --jar=<agent jar> --flags=<JVM flags, default
 * GATEWAY_FLAGS; empty: the JVM's own> --heap=-Xmx32m --env=MALLOC_ARENA_MAX=2
 * --cds=<archive> --cpus=0 --write=true --out=docs}. With {@code --write=false} it prints the
 * medians only: the way to compare a lever (a flag, or a jar built from other code) with the
 * same run's floor.
 */
public final class Footprint {
  /**
   * The JVM flags measured as best for a gateway (docs/benchmarks.md, "Footprint on a small
   * gateway"), beside {@code -Xmx32m}: C1 only, which saved 28 MB and the C2 compiler's thread
   * (whether it costs drain speed is not settled there); the serial collector, which a JVM on
   * one core picks anyway; no notification thread (it serves JMX listeners, which the agent has
   * none of; JDK 14 and later); a 4 MB young generation, which keeps the heap's touched pages
   * down. The release's launcher sets the first two; the others are left to JAVA_OPTS.
   */
  static final String GATEWAY_FLAGS =
      "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UseNotificationThread -Xmn4m";
  /** One glibc malloc arena per core at most, as the launcher sets: less memory while draining. */
  static final String GATEWAY_ENV = "MALLOC_ARENA_MAX=2";
  private static final String KEY = "footprint-key";
  private static final Duration DRAIN_LIMIT = Duration.ofMinutes(10);

  private final Map<String, String> options;
  private final Path scratch;

  Footprint(Map<String, String> options, Path scratch) {
    this.options = options;
    this.scratch = scratch;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = defaults();
    ToolOptions.apply("footprint", options, args);
    List<Map<String, Double>> rounds = measure(options);
    System.out.println("footprint: " + FootprintReport.summary(rounds));
    if (Boolean.parseBoolean(options.get("write"))) {
      Path report = Path.of(options.get("out")).resolve("benchmarks.md");
      FootprintReport.writeInto(report, FootprintReport.render(options, rounds),
          Benchmark.ANALYSIS_MARKER);
      System.out.println("Wrote " + report);
    }
  }

  /** Runs the rounds in a scratch directory of their own. */
  static List<Map<String, Double>> measure(Map<String, String> options) throws Exception {
    Path scratch = Files.createTempDirectory("meter-sync-footprint");
    try {
      return new Footprint(options, scratch).run();
    } finally {
      Benchmark.deleteTree(scratch);
    }
  }

  /** The options and their defaults. */
  static Map<String, String> defaults() {
    Map<String, String> options = new LinkedHashMap<>();
    options.put("repeat", "3");
    options.put("readings", "300000");
    // Past the minute the JDK keeps an idle process-reaper thread (sqlite-jdbc runs uname once
    // at the start), and between two heartbeats (every 60 s), whose threads end 5 s after.
    options.put("settle-seconds", "80");
    options.put("jar", defaultJar());
    options.put("flags", GATEWAY_FLAGS);
    options.put("heap", "-Xmx32m");
    // NAME=value,NAME=value for all three processes, for example MALLOC_ARENA_MAX=2.
    options.put("env", GATEWAY_ENV);
    // An application class-data-sharing archive for the agent; made by a training drain first
    // when the file is missing. Empty: none.
    options.put("cds", "");
    options.put("cpus", "0");
    options.put("write", "true");
    options.put("out", "docs");
    return options;
  }

  /** The rounds' figures, one map per round, each measured key to its value. */
  List<Map<String, Double>> run() throws Exception {
    int repeat = Integer.parseInt(options.get("repeat"));
    long readings = Long.parseLong(options.get("readings"));
    List<Map<String, Double>> rounds = new ArrayList<>();
    if (!options.get("cds").isEmpty() && !Files.exists(Path.of(options.get("cds")))) {
      train(Path.of(options.get("cds")));
    }
    for (int round = 1; round <= repeat; round++) {
      Map<String, Double> r = new LinkedHashMap<>();
      Path dir = Files.createDirectories(scratch.resolve("footprint-" + round));
      System.out.println("footprint " + round + "/" + repeat + ": bare JVM ...");
      // The harness's class path, not the agent jar: the floor loads one class of its own.
      settled("bare", () -> true, start(dir.resolve("bare"), List.of("-cp",
          System.getProperty("java.class.path"), Sleep.class.getName()), Map.of()), r);
      try (SimulatedClientSystem server = SimulatedClientSystem.start(KEY)) {
        System.out.println("footprint " + round + "/" + repeat + ": agent idle ...");
        // Started: it has sent its first heartbeat, among the first things a started agent does.
        settled("idle", () -> server.heartbeatCount() > 0, agent(dir.resolve("idle"), server),
            r);
      }
      try (SimulatedClientSystem server = SimulatedClientSystem.start(KEY)) {
        System.out.println("footprint " + round + "/" + repeat + ": agent draining "
            + Benchmark.number(readings) + " readings ...");
        Path drainDir = Files.createDirectories(dir.resolve("drain"));
        seed(drainDir, readings);
        drain(drainDir, server, readings, r);
      }
      // Timings on a machine others share mean little without it.
      r.put("load", Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]));
      System.out.println("footprint " + round + "/" + repeat + ": " + r);
      rounds.add(r);
    }
    return rounds;
  }

  /**
   * Waits for the process to be {@code started} and then to settle, takes its figures and stops
   * it. On a loaded machine a start takes seconds, so a fixed wait alone would catch some agents
   * still starting.
   */
  private void settled(String name, java.util.function.BooleanSupplier started, Process process,
      Map<String, Double> r) throws Exception {
    try {
      long begun = System.nanoTime();
      while (!started.getAsBoolean()) {
        alive(process, begun);
        Thread.sleep(20);
      }
      Thread.sleep(TimeUnit.SECONDS.toMillis(Long.parseLong(options.get("settle-seconds"))));
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " ended early, exit " + process.exitValue());
      }
      long pid = process.pid();
      r.put(name + ".threads", (double) ProcFacts.status(pid, "Threads"));
      r.put(name + ".rss", (double) ProcFacts.status(pid, "VmRSS"));
      r.put(name + ".hwm", (double) ProcFacts.status(pid, "VmHWM"));
      if (name.equals("idle")) {
        System.out.println("footprint: idle agent's threads " + ProcFacts.threadNames(pid));
      }
      ProcFacts.nativeMemory(pid).forEach((k, v) -> r.put(name + "." + k, v));
    } finally {
      stop(process);
    }
  }

  private void drain(Path dir, SimulatedClientSystem server, long readings, Map<String, Double> r)
      throws Exception {
    long started = System.nanoTime();
    Process agent = agent(dir, server);
    try {
      long pid = agent.pid();
      while (server.acceptedCount() == 0) {
        alive(agent, started);
        Thread.sleep(5);
      }
      long first = System.nanoTime();
      int firstCount = server.acceptedCount();
      long cpuAtFirst = ProcFacts.cpuNanos(pid);
      r.put("firstUploadMs", (first - started) / 1e6);
      double rssMax = 0;
      double threadsMax = 0;
      while (server.acceptedCount() < readings) {
        alive(agent, started);
        rssMax = Math.max(rssMax, ProcFacts.status(pid, "VmRSS"));
        threadsMax = Math.max(threadsMax, ProcFacts.status(pid, "Threads"));
        Thread.sleep(20);
      }
      long end = System.nanoTime();
      long cpu = ProcFacts.cpuNanos(pid) - cpuAtFirst;
      long drained = readings - firstCount;
      r.put("drain.rate", drained / ((end - first) / 1e9));
      r.put("drain.cpuUs", cpu / 1e3 / drained);
      r.put("drain.rss", rssMax);
      r.put("drain.hwm", (double) ProcFacts.status(pid, "VmHWM"));
      r.put("drain.threads", threadsMax);
      ProcFacts.nativeMemory(pid).forEach((k, v) -> r.put("drain." + k, v));
    } finally {
      stop(agent);
    }
  }

  /**
   * Makes the class-data-sharing archive: the agent drains a small backlog with {@code
   * -XX:ArchiveClassesAtExit}, so that the archive holds what a start and a drain load, and is
   * stopped as a supervisor stops it; the JVM writes the archive as it exits.
   */
  private void train(Path archive) throws Exception {
    System.out.println("footprint: making the class-data-sharing archive " + archive + " ...");
    Path dir = Files.createDirectories(scratch.resolve("footprint-training"));
    long readings = 20_000;
    seed(dir, readings);
    try (SimulatedClientSystem server = SimulatedClientSystem.start(KEY)) {
      long started = System.nanoTime();
      Process agent = agent(dir, server, "-XX:ArchiveClassesAtExit=" + archive.toAbsolutePath());
      try {
        while (server.acceptedCount() < readings) {
          alive(agent, started);
          Thread.sleep(20);
        }
      } finally {
        stop(agent);
      }
    }
    if (!Files.exists(archive)) {
      throw new IllegalStateException("the JVM wrote no archive; see " + dir);
    }
  }

  private void alive(Process agent, long started) {
    if (!agent.isAlive()) {
      throw new IllegalStateException("the agent ended, exit " + agent.exitValue());
    }
    if (System.nanoTime() - started > DRAIN_LIMIT.toNanos()) {
      throw new IllegalStateException("the agent did not drain within " + DRAIN_LIMIT);
    }
  }

  /** Queues the readings in the agent's default SQLite file, {@code ./data/meter-sync.db}. */
  private static void seed(Path dir, long readings) throws Exception {
    Path file = dir.resolve(JdbcReadingSource.databaseUrl(Map.of())
        .substring("jdbc:sqlite:".length()));
    Files.createDirectories(file.getParent());
    String url = "jdbc:sqlite:" + file;
    try (JdbcReadingSource source = JdbcReadingSource.builder(url, null, null).build()) {
      source.createSchema();
    }
    BenchBacklog.append(url, "meter_readings", new BenchBacklog.Readings(), readings);
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      // Settles the load's writes, so that the agent does not checkpoint them.
      s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
    }
  }

  private Process agent(Path dir, SimulatedClientSystem server) throws Exception {
    String cds = options.get("cds");
    return cds.isEmpty() ? agent(dir, server, null)
        : agent(dir, server, "-XX:SharedArchiveFile=" + Path.of(cds).toAbsolutePath());
  }

  /** @param cdsFlag the class-data-sharing flag, or null */
  private Process agent(Path dir, SimulatedClientSystem server, String cdsFlag)
      throws Exception {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("GATEWAY_ID", "footprint");
    env.put("CLIENT_API_URL", server.url().toString());
    env.put("CLIENT_API_KEY", KEY);
    env.put("CLIENT_API_ALLOW_INSECURE_HTTP", "true");
    List<String> args = new ArrayList<>();
    if (cdsFlag != null) {
      args.add(cdsFlag);
    }
    args.addAll(List.of("-jar", options.get("jar")));
    return start(dir, args, env);
  }

  /** {@code taskset -c <cpus> java <heap> <flags> -XX:NativeMemoryTracking=summary <args>}. */
  private Process start(Path dir, List<String> args, Map<String, String> env) throws Exception {
    Files.createDirectories(dir);
    List<String> command = new ArrayList<>(List.of("taskset", "-c", options.get("cpus"),
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), options.get("heap")));
    command.addAll(flags(options.get("flags")));
    command.add("-XX:NativeMemoryTracking=summary");
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.environment().keySet().removeIf(k -> !k.equals("PATH"));
    builder.environment().putAll(env);
    for (String pair : options.get("env").split(",")) {
      String[] kv = pair.split("=", 2);
      if (kv.length == 2) {
        builder.environment().put(kv[0].trim(), kv[1]);
      }
    }
    builder.redirectErrorStream(true).redirectOutput(dir.resolve("output.log").toFile());
    return builder.start();
  }

  static List<String> flags(String flags) {
    return flags.isBlank() ? List.of() : Arrays.asList(flags.trim().split("\\s+"));
  }

  private static void stop(Process process) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }

  /**
   * The agent jar beside the tools jar this runs from ({@code mvn -Pbench}), else the build's.
   * The agent jar holds the agent alone, so the harness never runs from it.
   */
  private static String defaultJar() {
    String classPath = System.getProperty("java.class.path");
    if (classPath.endsWith(".jar") && !classPath.contains(File.pathSeparator)) {
      Path beside = Path.of(classPath).toAbsolutePath().resolveSibling("meter-sync-agent.jar");
      if (Files.exists(beside)) {
        return beside.toString();
      }
    }
    return "sync-examples/target/meter-sync-agent.jar";
  }

  /** The floor: a JVM that loads nothing of its own and sleeps. */
  public static final class Sleep {
    private Sleep() {}

    public static void main(String[] args) throws InterruptedException {
      Thread.sleep(Long.MAX_VALUE);
    }
  }
}

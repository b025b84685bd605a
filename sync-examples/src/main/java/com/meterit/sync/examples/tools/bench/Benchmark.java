package com.meterit.sync.examples.tools.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.meterit.sync.examples.tools.ToolOptions;
import com.meterit.sync.jdbc.SqliteSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The benchmark harness. Measures, in one run on one machine: backlog drain speed on H2, SQLite
 * and PostgreSQL, the limits that bound it (the queue alone, HTTP alone, serialization alone),
 * wire bytes per reading, memory under {@code -Xmx64m}, idle CPU, and a batch-size sweep. Each
 * measurement runs in a fresh JVM; the server runs here. Writes {@code docs/benchmarks.md} and
 * {@code docs/benchmark-throughput.png}.
 *
 * <p>Run it: {@code mvn -q -Pbench package}. Options: {@code --readings=1000000
 * --sweep-readings=300000 --idle-seconds=60 --postgres=<jdbc url>|none --out=docs}.
 *
 * <p>{@code --only=link} runs {@link LinkBenchmark}, {@code --only=workers} runs
 * {@link WorkersBenchmark}, {@code --only=wire} runs {@link WireBenchmark} (wire bytes per reading
 * on the bench and realistic data sets, JSON and compact), and {@code --only=footprint} runs
 * {@link Footprint} (the full run includes it, with its defaults); the options after it are
 * theirs.
 *
 * <p>{@code --only=drains --repeat=3} measures only the drains and the queue limits they are
 * judged against, each the given number of times, interleaved, and prints their medians and
 * spreads instead of writing the report: the comparison of two versions of the code, run
 * alternately on a noisy machine. {@code --h2-write=durable} (the default, as {@link
 * com.meterit.sync.jdbc.JdbcReadingSource#H2_FILE_URL}: {@code WRITE_DELAY=0}) or {@code
 * lazy} (H2's own default, commits written up to 500 ms later) or {@code both}. {@code
 * --jfr=<dir>} records a JFR profile of each measurement there; {@code --warmup=200000} is the
 * drain each measuring JVM runs first; {@code --small-heap=false} leaves out the -Xmx64m drain;
 * {@code --h2-settings=CACHE_SIZE=4096} (the default, as the library's H2 URL) adds
 * settings to every H2 URL; an empty value leaves H2's own. {@code --sqlite-settings=} sets the
 * SQLite file's URL settings (the default, {@link com.meterit.sync.jdbc.SqliteSettings#PRAGMAS},
 * is what the library sets on every connection); {@code --sqlite=false} leaves SQLite out.
 * {@code --data=realistic} queues {@link RealisticReadings} instead of the default {@code bench}
 * readings ({@link BenchBacklog.Readings}) for every drain and queue measurement.
 */
public final class Benchmark {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String ANALYSIS_MARKER = "<!-- analysis: kept across runs -->";

  private final Map<String, String> options;
  private final BenchServer server;
  private final Path scratch;
  private int workers;

  private Benchmark(Map<String, String> options, BenchServer server, Path scratch) {
    this.options = options;
    this.server = server;
    this.scratch = scratch;
  }

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--only=link")) {
      LinkBenchmark.main(java.util.Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0 && args[0].equals("--only=footprint")) {
      Footprint.main(java.util.Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0 && args[0].equals("--only=wire")) {
      WireBenchmark.main(java.util.Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0 && args[0].equals("--only=workers")) {
      WorkersBenchmark.main(java.util.Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    Map<String, String> options = new LinkedHashMap<>();
    options.put("readings", "1000000");
    options.put("sweep-readings", "300000");
    options.put("idle-seconds", "60");
    String pg = System.getenv("METER_SYNC_TEST_POSTGRES_URL");
    options.put("postgres", pg != null ? pg : "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
    options.put("out", "docs");
    options.put("only", "all");
    options.put("repeat", "1");
    options.put("h2-write", "durable");
    options.put("jfr", "none");
    // As the library's default URL; --h2-settings= (empty) measures H2's own cache size.
    options.put("h2-settings", "CACHE_SIZE=4096");
    // The library's own, chosen by measurement under power cuts (docs/power-cuts.md).
    options.put("sqlite-settings", SqliteSettings.PRAGMAS);
    options.put("sqlite", "true");
    options.put("warmup", "200000");
    options.put("small-heap", "true");
    // The readings every drain and queue measurement queues: bench (BenchBacklog.Readings, the
    // tables' data since the first run) or realistic (RealisticReadings, issue 27).
    options.put("data", "bench");
    ToolOptions.apply("benchmark", options, args);
    Path scratch = Files.createTempDirectory("meter-sync-bench");
    try (BenchServer server = new BenchServer()) {
      new Benchmark(options, server, scratch).run();
    } finally {
      deleteTree(scratch);
    }
  }

  private void run() throws Exception {
    if (options.get("only").equals("drains")) {
      new DrainSeries(this, options).run();
      return;
    }
    long readings = Long.parseLong(options.get("readings"));
    String postgres = options.get("postgres");
    Map<String, JsonNode> results = new LinkedHashMap<>();

    results.put("serialize", worker("serialization alone", null, "scenario=serialize"));
    results.put("http", worker("HTTP alone", null, "scenario=http", "server=" + server.url()));
    results.put("jdbcH2", worker("H2 queue alone (claim + acknowledge)", null,
        "scenario=jdbc", "db=" + h2("jdbc"), "readings=" + readings));
    results.put("drainH2", worker("drain on H2", null,
        "scenario=drain", "db=" + h2("drain"), "readings=" + readings, "server=" + server.url()));
    results.put("drainH2Small", worker("drain on H2 under -Xmx64m", "-Xmx64m",
        "scenario=drain", "db=" + h2("small"), "readings=" + readings, "server=" + server.url()));
    results.put("drainH2Plain", worker("drain on H2, gzip off", null, "scenario=drain",
        "db=" + h2("plain"), "readings=" + options.get("sweep-readings"), "gzip=false",
        "server=" + server.url()));
    if (sqliteOn()) {
      results.put("jdbcSqlite", worker("SQLite queue alone (claim + acknowledge)", null,
          "scenario=jdbc", "db=" + sqlite("jdbc"), "readings=" + readings));
      results.put("drainSqlite", worker("drain on SQLite", null, "scenario=drain",
          "db=" + sqlite("drain"), "readings=" + readings, "server=" + server.url()));
      results.put("drainSqliteSmall", worker("drain on SQLite under -Xmx64m", "-Xmx64m",
          "scenario=drain", "db=" + sqlite("small"), "readings=" + readings,
          "server=" + server.url()));
    }
    if (!postgres.equals("none")) {
      results.put("jdbcPg", worker("PostgreSQL queue alone", null, "scenario=jdbc",
          "db=" + postgres, "readings=" + readings, "table=bench_queue"));
      results.put("drainPg", worker("drain on PostgreSQL", null, "scenario=drain",
          "db=" + postgres, "readings=" + readings, "table=bench_drain", "server=" + server.url()));
    }
    List<Integer> sizes = List.of(100, 500, 1000, 5000);
    for (int size : sizes) {
      results.put("sweep" + size, worker("drain on H2, batch " + size, null, "scenario=drain",
          "db=" + h2("sweep" + size), "readings=" + options.get("sweep-readings"),
          "batch=" + size, "server=" + server.url()));
    }
    results.put("idle", worker("idle manager", null, "scenario=idle", "db=" + h2("idle"),
        "seconds=" + options.get("idle-seconds"), "server=" + server.url()));
    results.put("baseline", worker("idle JVM, nothing started", null, "scenario=baseline",
        "seconds=" + options.get("idle-seconds")));
    Map<String, String> footprintOptions = Footprint.defaults();
    footprintOptions.put("out", options.get("out"));
    String footprint = FootprintReport.render(footprintOptions,
        Footprint.measure(footprintOptions));

    Path out = Path.of(options.get("out"));
    Files.createDirectories(out);
    double queueLimit = results.get("jdbcH2").get("rate").asDouble();
    double httpLimit = results.get("http").get("rate").asDouble();
    double serializeLimit = results.get("serialize").get("gzipRate").asDouble();
    List<Double> sweep = new ArrayList<>();
    sizes.forEach(s -> sweep.add(results.get("sweep" + s).get("rate").asDouble()));
    Map<String, Double> limits = new LinkedHashMap<>();
    limits.put("a. H2 queue alone", queueLimit);
    limits.put("b. HTTP alone", httpLimit);
    limits.put("c. serialization alone", serializeLimit);
    Chart.write(out.resolve("benchmark-throughput.png"), sizes, sweep, limits);
    Path report = out.resolve("benchmarks.md");
    Files.writeString(report, Report.render(options, results, sizes) + "\n" + footprint
        + analysis(report));
    System.out.println("Wrote " + report + " and " + out.resolve("benchmark-throughput.png"));
  }

  private String h2(String name) {
    return h2(name, !options.get("h2-write").equals("lazy"));
  }

  /**
   * An H2 file URL; {@code durable} adds {@code WRITE_DELAY=0}, as the library's default URL
   * does, so that each commit is written to the file before it returns.
   */
  String h2(String name, boolean durable) {
    String settings = options.get("h2-settings");
    return "jdbc:h2:file:" + scratch.resolve(name).resolve("bench") + ";NON_KEYWORDS=VALUE"
        + (durable ? ";WRITE_DELAY=0" : "") + (settings.isEmpty() ? "" : ";" + settings);
  }

  boolean sqliteOn() {
    return Boolean.parseBoolean(options.get("sqlite"));
  }

  /** A SQLite file URL with {@code --sqlite-settings}, which sqlite-jdbc applies per connection. */
  String sqlite(String name) throws IOException {
    Path dir = Files.createDirectories(scratch.resolve(name));
    String settings = options.get("sqlite-settings");
    return "jdbc:sqlite:" + dir.resolve("bench.db") + (settings.isEmpty() ? "" : "?" + settings);
  }

  String serverUrl() {
    return server.url().toString();
  }

  /** Keeps the hand-written analysis at the end of the previous report. */
  private static String analysis(Path report) throws IOException {
    if (!Files.exists(report)) {
      return "\n" + ANALYSIS_MARKER + "\n";
    }
    String text = Files.readString(report);
    int at = text.indexOf(ANALYSIS_MARKER);
    return at < 0 ? "\n" + ANALYSIS_MARKER + "\n" : "\n" + text.substring(at);
  }

  JsonNode worker(String title, String heap, String... args) throws Exception {
    System.out.println("benchmark: " + title + " ...");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (heap != null) {
      command.add(heap);
    }
    if (!options.get("jfr").equals("none")) {
      // A profile per measurement, for where the time and the allocation go.
      command.add("-XX:StartFlightRecording=settings=profile,filename="
          + Path.of(options.get("jfr"), "worker-" + (++workers) + ".jfr"));
    }
    command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(BenchWorker.class.getName());
    command.addAll(List.of(args));
    command.add("warmup=" + options.get("warmup"));
    command.add("data=" + options.get("data"));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    JsonNode result = null;
    StringBuilder output = new StringBuilder();
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.startsWith("RESULT ")) {
          result = JSON.readTree(line.substring(7));
        } else {
          output.append(line).append('\n');
        }
      }
    }
    int exit = process.waitFor();
    if (exit != 0 || result == null) {
      throw new IllegalStateException(title + " failed (exit " + exit + "):\n" + output);
    }
    System.out.println("benchmark: " + title + ": " + result);
    return result;
  }

  static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }

  static String today() {
    return LocalDate.now(ZoneOffset.UTC).toString();
  }

  static String number(double value) {
    return String.format(Locale.ROOT, "%,.0f", value);
  }
}

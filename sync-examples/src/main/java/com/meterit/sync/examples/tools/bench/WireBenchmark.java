package com.meterit.sync.examples.tools.bench;

import com.meterit.sync.api.Reading;
import com.meterit.sync.api.UploadBatch;
import com.meterit.sync.examples.tools.ToolOptions;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Wire bytes per reading and serialization speed, per data set and upload encoding (issue 27):
 * {@code --only=wire} on {@link Benchmark}. The data sets are {@code bench} ({@link
 * BenchBacklog.Readings}, the drains' very regular readings) and {@code realistic} ({@link
 * RealisticReadings}); the encodings are JSON with gzip (the default, and the only one before
 * issue 27), JSON without gzip, and the compact columnar body with gzip, each through the
 * library's own serializer. Bytes are exact; speeds are the median of {@code --repeat} rounds
 * (default 3), each data set in a fresh JVM per round after a warm-up, the encodings interleaved.
 *
 * <p>Options: {@code --readings=300000 --batch=1000 --repeat=3 --seed=2026 --meters=300
 * --write=true --out=docs}. With {@code --write=true} it replaces its section of {@code
 * benchmarks.md}.
 */
final class WireBenchmark {
  static final String BEGIN = "<!-- wire: written by --only=wire -->";
  static final String END = "<!-- /wire -->";
  private static final String GATEWAY = "bench-gateway";
  private static final java.lang.management.ThreadMXBean THREAD =
      java.lang.management.ManagementFactory.getThreadMXBean();

  private WireBenchmark() {}

  /** An encoding under measurement: the library's serializer, reached by reflection. */
  private static final class Encoding {
    final String name;
    final Method method;
    final boolean gzip;

    Encoding(String name, String type, String method, boolean gzip) throws Exception {
      this.name = name;
      this.method = Class.forName(type).getDeclaredMethod(method, String.class, UploadBatch.class,
          boolean.class);
      this.method.setAccessible(true);
      this.gzip = gzip;
    }

    long bytes(List<UploadBatch> batches) throws Exception {
      long total = 0;
      for (UploadBatch b : batches) {
        total += ((byte[]) method.invoke(null, GATEWAY, b, gzip)).length;
      }
      return total;
    }
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new LinkedHashMap<>();
    options.put("readings", "300000");
    options.put("batch", "1000");
    options.put("repeat", "3");
    options.put("seed", Long.toString(BenchBacklog.REALISTIC_SEED));
    options.put("meters", Integer.toString(RealisticReadings.DEFAULT_METERS));
    options.put("write", "true");
    options.put("out", "docs");
    options.put("child", "");
    ToolOptions.apply("wire", options, args);
    int readings = Integer.parseInt(options.get("readings"));
    int batch = Integer.parseInt(options.get("batch"));
    int repeat = Integer.parseInt(options.get("repeat"));
    long seed = Long.parseLong(options.get("seed"));
    int meters = Integer.parseInt(options.get("meters"));

    String json = "com.meterit.sync.core.http.WireFormat";
    String columns = "com.meterit.sync.core.http.ColumnarBatchBody";
    List<Encoding> encodings = List.of(
        new Encoding("JSON + gzip (before: the default)", json, "batchBody", true),
        new Encoding("compact columns + gzip (after, when the server opts in)", columns, "encode",
            true),
        new Encoding("JSON, gzip off", json, "batchBody", false));
    Map<String, List<UploadBatch>> sets = new LinkedHashMap<>();
    String child = options.get("child");
    if (child.isEmpty() || child.equals("bench")) {
      sets.put("bench", batches(benchReadings(readings), batch));
    }
    if (child.isEmpty() || child.equals("realistic")) {
      sets.put("realistic", batches(realisticReadings(readings, seed, meters), batch));
    }

    if (!child.isEmpty()) {
      // A measuring JVM: one data set, every encoding, one timed pass each after the warm-up.
      List<UploadBatch> set = sets.get(child);
      // Warm-up: the JIT compiles every serializer before the timed pass. On a loaded machine
      // its compiler threads wait for a core too, so this is generous.
      for (int pass = 0; pass < 5; pass++) {
        for (Encoding e : encodings) {
          e.bytes(set);
        }
      }
      for (int i = 0; i < encodings.size(); i++) {
        // This thread's CPU time: on a shared machine, the wall clock also counts other
        // processes' turns.
        long start = THREAD.getCurrentThreadCpuTime();
        encodings.get(i).bytes(set);
        double seconds = (THREAD.getCurrentThreadCpuTime() - start) / 1e9;
        System.out.println("RATE " + i + " " + readings / seconds);
      }
      return;
    }
    Map<String, Double> bytes = new LinkedHashMap<>();
    Map<String, List<Double>> rates = new LinkedHashMap<>();
    for (Map.Entry<String, List<UploadBatch>> set : sets.entrySet()) {
      for (Encoding e : encodings) {
        String key = set.getKey() + "|" + e.name;
        bytes.put(key, e.bytes(set.getValue()) / (double) readings);
        rates.put(key, new ArrayList<>());
      }
    }
    // Each round measures each data set in a fresh JVM: one JVM serializing both sets would
    // optimize for the first and recompile for the second, and time that instead.
    for (int round = 1; round <= repeat; round++) {
      for (String set : sets.keySet()) {
        List<Double> measured = child(set, options);
        for (int i = 0; i < encodings.size(); i++) {
          rates.get(set + "|" + encodings.get(i).name).add(measured.get(i));
        }
      }
      System.out.println("wire: round " + round + "/" + repeat + " done");
    }
    Map<Integer, Double> sweep = new LinkedHashMap<>();
    for (int m : List.of(100, 300, 1000)) {
      sweep.put(m, encodings.get(1).bytes(batches(realisticReadings(readings, seed, m), batch))
          / (double) readings);
    }
    String section = render(options, encodings, bytes, rates, sweep);
    System.out.println(section);
    if (Boolean.parseBoolean(options.get("write"))) {
      Path report = Path.of(options.get("out")).resolve("benchmarks.md");
      FootprintReport.writeInto(report, section, Benchmark.ANALYSIS_MARKER, BEGIN, END);
      System.out.println("Wrote " + report);
    }
  }

  /** Runs a measuring JVM on one data set; its rates, in the order of the encodings. */
  private static List<Double> child(String set, Map<String, String> options) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), WireBenchmark.class.getName(),
        "--child=" + set));
    for (String name : List.of("readings", "batch", "seed", "meters")) {
      command.add("--" + name + "=" + options.get(name));
    }
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    List<Double> rates = new ArrayList<>();
    StringBuilder output = new StringBuilder();
    try (java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(
        process.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.startsWith("RATE ")) {
          rates.add(Double.parseDouble(line.split(" ")[2]));
        } else {
          output.append(line).append('\n');
        }
      }
    }
    if (process.waitFor() != 0 || rates.isEmpty()) {
      throw new IllegalStateException("wire measurement of " + set + " failed:\n" + output);
    }
    return rates;
  }

  static List<Reading> benchReadings(int count) {
    BenchBacklog.Readings gen = new BenchBacklog.Readings();
    List<Reading> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int meter = gen.advance();
      out.add(Reading.of(i + 1, gen.meterId(meter), gen.time(), gen.value(meter), "kWh"));
    }
    return out;
  }

  static List<Reading> realisticReadings(int count, long seed, int meters) {
    RealisticReadings gen = new RealisticReadings(seed, meters);
    List<Reading> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(gen.next());
    }
    return out;
  }

  static List<UploadBatch> batches(List<Reading> readings, int size) {
    List<UploadBatch> batches = new ArrayList<>();
    for (int i = 0; i < readings.size(); i += size) {
      batches.add(UploadBatch.of(readings.subList(i, Math.min(readings.size(), i + size))));
    }
    return batches;
  }

  private static String render(Map<String, String> options, List<Encoding> encodings,
      Map<String, Double> bytes, Map<String, List<Double>> rates, Map<Integer, Double> sweep) {
    StringBuilder md = new StringBuilder(BEGIN).append("\n## Wire bytes per reading, by data set and encoding\n\n");
    md.append("Measured on ").append(Benchmark.today()).append(" by `--only=wire` (issue 27): ")
        .append(String.format(Locale.ROOT, "%,d", Integer.parseInt(options.get("readings"))))
        .append(" readings of each data set in batches of ").append(options.get("batch"))
        .append(", serialized by the library's own encoders in one JVM. `bench` is the drains' ")
        .append("data (1,000 meters in a fixed round, 15-minute steps, regular 3-decimal rises); ")
        .append("`realistic` is ").append(options.get("meters"))
        .append(" meters (households and commercial load profiles, cumulative kWh registers ")
        .append("rising 0 to 2 kWh per 15 minutes at random, a third of the commercial ones at 5 ")
        .append("minutes, quality flags now and then, four collectors' rows interleaved in id ")
        .append("order), seed ").append(options.get("seed"))
        .append(". Bytes are exact (the same every run). Speeds are readings per second of the ")
        .append("serializing thread's CPU time (not the wall clock, which on a shared machine ")
        .append("counts other processes' turns too), medians of ").append(options.get("repeat"))
        .append(" rounds, each data set measured in a fresh JVM per round after a warm-up of ")
        .append("five passes, with the lowest and highest.\n\n");
    md.append("| data set | encoding | wire bytes/reading | serialization readings per CPU second: median | spread (min–max) |\n")
        .append("| --- | --- | --- | --- | --- |\n");
    for (String set : List.of("bench", "realistic")) {
      for (Encoding e : encodings) {
        String key = set + "|" + e.name;
        List<Double> r = new ArrayList<>(rates.get(key));
        Collections.sort(r);
        md.append(String.format(Locale.ROOT, "| %s | %s | %.2f | %s | %s–%s |%n", set, e.name,
            bytes.get(key), Benchmark.number(r.get(r.size() / 2)), Benchmark.number(r.get(0)),
            Benchmark.number(r.get(r.size() - 1))));
      }
    }
    String before = encodings.get(0).name;
    String after = encodings.get(1).name;
    md.append("\n| goal (issue 27) | measured | |\n| --- | --- | --- |\n");
    double realistic = bytes.get("realistic|" + after);
    md.append(String.format(Locale.ROOT, "| ≤ 4 bytes/reading on the realistic set | %.3f | %s |%n",
        realistic, realistic <= 4 ? "reached" : "**not reached**"));
    for (String set : List.of("realistic", "bench")) {
      double ratio = bytes.get(set + "|" + before) / bytes.get(set + "|" + after);
      md.append(String.format(Locale.ROOT, "| ≥ 3× fewer than JSON + gzip (%s set) | %.1f× | %s |%n",
          set, ratio, ratio >= 3 ? "reached" : "**not reached**"));
    }
    for (String set : List.of("realistic", "bench")) {
      double speed = median(rates.get(set + "|" + after)) / median(rates.get(set + "|" + before));
      md.append(String.format(Locale.ROOT,
          "| serialization no slower than JSON + gzip (%s set) | %.1f× its rate | %s |%n", set, speed,
          speed >= 1 ? "reached" : "**not reached**"));
    }
    md.append("\nThe compact body's cost per reading depends on how many readings each meter has "
        + "in a batch: every meter's first reading in a batch carries its id and its full register. "
        + "The realistic set with other meter counts, batches of ").append(options.get("batch"))
        .append(":\n\n| meters | compact + gzip bytes/reading |\n| --- | --- |\n");
    sweep.forEach((m, b) -> md.append(String.format(Locale.ROOT, "| %,d | %.2f |%n", m, b)));
    return md.append("\n").append(END).append("\n").toString();
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }
}

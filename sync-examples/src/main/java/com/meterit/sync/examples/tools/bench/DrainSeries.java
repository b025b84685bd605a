package com.meterit.sync.examples.tools.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code --only=drains}: the drains and the queue limits they are judged against, each {@code
 * --repeat} times, interleaved round by round so that a burst of load from elsewhere on the
 * machine spreads over every measurement instead of sinking one. Prints the medians, the spread
 * (lowest to highest) and each round's figures; writes nothing else.
 */
final class DrainSeries {
  private final Benchmark bench;
  private final Map<String, String> options;

  DrainSeries(Benchmark bench, Map<String, String> options) {
    this.bench = bench;
    this.options = options;
  }

  void run() throws Exception {
    int repeat = Integer.parseInt(options.get("repeat"));
    String readings = "readings=" + options.get("readings");
    String server = "server=" + bench.serverUrl();
    String postgres = options.get("postgres");
    String write = options.get("h2-write");
    List<Boolean> modes = write.equals("both") ? List.of(true, false)
        : List.of(!write.equals("lazy"));
    Map<String, List<JsonNode>> results = new LinkedHashMap<>();
    for (int round = 1; round <= repeat; round++) {
      for (boolean durable : modes) {
        String h2 = durable ? "H2 WRITE_DELAY=0" : "H2 lazy writes";
        String tag = durable ? "d" : "l";
        measure(results, h2 + ": queue alone", null, "scenario=jdbc",
            "db=" + bench.h2("jdbc" + tag + round, durable), readings);
        measure(results, h2 + ": drain", null, "scenario=drain",
            "db=" + bench.h2("drain" + tag + round, durable), readings, server);
        if (durable && Boolean.parseBoolean(options.get("small-heap"))) {
          measure(results, h2 + ": drain under -Xmx64m", "-Xmx64m", "scenario=drain",
              "db=" + bench.h2("small" + tag + round, durable), readings, server);
        }
      }
      if (bench.sqliteOn()) {
        measure(results, "SQLite: queue alone", null, "scenario=jdbc",
            "db=" + bench.sqlite("jdbc" + round), readings);
        measure(results, "SQLite: drain", null, "scenario=drain",
            "db=" + bench.sqlite("drain" + round), readings, server);
        if (Boolean.parseBoolean(options.get("small-heap"))) {
          measure(results, "SQLite: drain under -Xmx64m", "-Xmx64m", "scenario=drain",
              "db=" + bench.sqlite("small" + round), readings, server);
        }
      }
      if (!postgres.equals("none")) {
        measure(results, "PostgreSQL: queue alone", null, "scenario=jdbc", "db=" + postgres,
            readings, "table=bench_queue");
        measure(results, "PostgreSQL: drain", null, "scenario=drain", "db=" + postgres,
            readings, "table=bench_drain", server);
      }
    }
    System.out.println(table(results));
  }

  private void measure(Map<String, List<JsonNode>> results, String title, String heap,
      String... args) throws Exception {
    results.computeIfAbsent(title, t -> new ArrayList<>()).add(bench.worker(title, heap, args));
  }

  static String table(Map<String, List<JsonNode>> results) {
    StringBuilder md = new StringBuilder();
    md.append("| measurement | readings/s: median | spread | each run | thirds (median run) "
        + "| CPU µs/reading | allocated bytes/reading | peak heap MiB |\n");
    md.append("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
    for (Map.Entry<String, List<JsonNode>> e : results.entrySet()) {
      List<JsonNode> runs = new ArrayList<>(e.getValue());
      runs.sort((x, y) -> Double.compare(x.get("rate").asDouble(), y.get("rate").asDouble()));
      JsonNode median = runs.get(runs.size() / 2);
      List<String> each = new ArrayList<>();
      e.getValue().forEach(r -> each.add(Benchmark.number(r.get("rate").asDouble())));
      List<String> thirds = new ArrayList<>();
      median.get("thirds").forEach(t -> thirds.add(Benchmark.number(t.asDouble())));
      md.append("| ").append(e.getKey())
          .append(" | ").append(Benchmark.number(median.get("rate").asDouble()))
          .append(" | ").append(Benchmark.number(runs.get(0).get("rate").asDouble())).append("–")
          .append(Benchmark.number(runs.get(runs.size() - 1).get("rate").asDouble()))
          .append(" | ").append(String.join(", ", each))
          .append(" | ").append(String.join(" / ", thirds))
          .append(" | ").append(String.format(Locale.ROOT, "%.1f", medianOf(runs, "cpuMicrosPerReading")))
          .append(" | ").append(Benchmark.number(medianOf(runs, "allocatedBytesPerReading")))
          .append(" | ").append(Benchmark.number(medianOf(runs, "peakHeapMiB")))
          .append(" |\n");
    }
    return md.toString();
  }

  private static double medianOf(List<JsonNode> runs, String field) {
    List<Double> values = new ArrayList<>();
    runs.forEach(r -> values.add(r.get(field).asDouble()));
    Collections.sort(values);
    return values.get(values.size() / 2);
  }
}

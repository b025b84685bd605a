package com.meterit.sync.examples.tools.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders {@link Footprint}'s rounds as a section of {@code docs/benchmarks.md}: medians with
 * the lowest and highest, beside the bare JVM, and the goals of issue 25. The section sits
 * between two markers, so that {@code --only=footprint} replaces it in place.
 */
final class FootprintReport {
  static final String BEGIN = "<!-- footprint: written by --only=footprint -->";
  static final String END = "<!-- /footprint -->";
  private static final double MB = 1024;

  private FootprintReport() {}

  /** One line of medians, for comparing levers on the console. */
  static String summary(List<Map<String, Double>> rounds) {
    return String.format(Locale.ROOT, "idle RSS %s MB, HWM %s MB; draining RSS %s MB, HWM %s MB; "
            + "threads idle %s, draining %s; first upload %s ms; drain %s readings/s, %s µs CPU "
            + "per reading; classes %s; bare RSS %s MB, threads %s",
        mb(rounds, "idle.rss"), mb(rounds, "idle.hwm"), mb(rounds, "drain.rss"),
        mb(rounds, "drain.hwm"), whole(rounds, "idle.threads"), whole(rounds, "drain.threads"),
        whole(rounds, "firstUploadMs"), whole(rounds, "drain.rate"),
        tenth(rounds, "drain.cpuUs"), whole(rounds, "idle.classes"), mb(rounds, "bare.rss"),
        whole(rounds, "bare.threads"));
  }

  static String render(Map<String, String> options, List<Map<String, Double>> rounds) {
    StringBuilder md = new StringBuilder(BEGIN).append("\n## Footprint of the agent\n\n");
    md.append("Measured on ").append(Benchmark.today()).append(" by `--only=footprint` (also part "
        + "of the full run): the agent jar started with `")
        .append(options.get("env").isBlank() ? "" : options.get("env").replace(',', ' ') + " ")
        .append("taskset -c ").append(options.get("cpus"))
        .append(" java ").append(options.get("heap"))
        .append(options.get("flags").isBlank() ? "" : " " + options.get("flags").trim())
        .append(" -XX:NativeMemoryTracking=summary")
        .append(options.get("cds").isEmpty() ? "" : " -XX:SharedArchiveFile=<archive>")
        .append(" -jar meter-sync-agent.jar`")
        .append(options.get("cds").isEmpty() ? "" : " (the archive made by a training drain of "
            + "20,000 readings with `-XX:ArchiveClassesAtExit`)")
        .append(", on its default "
            + "SQLite Sync Database, against the simulated Client System in the harness's JVM. "
            + "The bare JVM runs the same flags and sleeps. Idle: an empty queue, ")
        .append(options.get("settle-seconds")).append(" s after its first heartbeat reached the server (a bare JVM: after its "
            + "start). Draining: ")
        .append(Benchmark.number(Double.parseDouble(options.get("readings"))))
        .append(" readings written into the agent's file before it starts; resident memory is "
            + "sampled every 20 ms, and the native memory tracking (whose own overhead is in "
            + "the resident figures) is read at the end. Medians of ")
        .append(rounds.size()).append(", with the lowest and highest. The machine's load average "
            + "(1 min) at the end of each round: ")
        .append(String.join(", ", rounds.stream()
            .map(r -> String.format(Locale.ROOT, "%.1f", r.get("load"))).toArray(String[]::new)))
        .append(" on ").append(Runtime.getRuntime().availableProcessors())
        .append(" cores; above that, the timings are the loaded machine's.\n\n");
    md.append("| | bare JVM | agent idle | agent draining |\n| --- | --- | --- | --- |\n");
    row(md, rounds, "resident memory, VmRSS (MB)", "rss", true);
    row(md, rounds, "high-water, VmHWM (MB)", "hwm", true);
    row(md, rounds, "heap committed (MB)", "heap", true);
    row(md, rounds, "metaspace and class space committed (MB)", "class", true);
    row(md, rounds, "code cache committed (MB)", "code", true);
    row(md, rounds, "thread stacks committed (MB)", "thread", true);
    row(md, rounds, "collector's own structures (MB)", "gc", true);
    row(md, rounds, "class-data-sharing archive mapped (MB)", "cds", true);
    row(md, rounds, "native memory tracking's own overhead (MB)", "nmt", true);
    row(md, rounds, "NMT total committed (MB)", "committed", true);
    row(md, rounds, "classes loaded", "classes", false);
    row(md, rounds, "threads", "threads", false);
    md.append("\n| agent | median | spread (min–max) |\n| --- | --- | --- |\n");
    single(md, rounds, "time from `java -jar` to the first accepted upload (ms)",
        "firstUploadMs", 1);
    single(md, rounds, "drain rate (readings/s)", "drain.rate", 1);
    single(md, rounds, "CPU per reading over the drain (µs)", "drain.cpuUs", 0.1);
    md.append("\n| goal (issue 25) | measured (median) | |\n| --- | --- | --- |\n");
    goal(md, "resident memory idle ≤ 64 MB", median(rounds, "idle.rss") / MB, 64, " MB");
    goal(md, "resident memory draining ≤ 96 MB (high-water)",
        median(rounds, "drain.hwm") / MB, 96, " MB");
    goal(md, "≤ 16 threads (draining)", median(rounds, "drain.threads"), 16, "");
    goal(md, "first upload ≤ 2 s after start", median(rounds, "firstUploadMs") / 1000, 2, " s");
    return md.append("\n").append(END).append("\n").toString();
  }

  /**
   * Puts the section into the report at {@code path}: in place of the previous one, or else
   * before the hand-written analysis, or else at the end.
   */
  static void writeInto(Path path, String section, String analysisMarker) throws IOException {
    writeInto(path, section, analysisMarker, BEGIN, END);
  }

  /** As above, for the section between the markers {@code open} and {@code close}. */
  static void writeInto(Path path, String section, String analysisMarker, String open,
      String close) throws IOException {
    String text = Files.exists(path) ? Files.readString(path) : "# Benchmarks\n\n";
    int begin = text.indexOf(open);
    int end = text.indexOf(close);
    if (begin >= 0 && end > begin) {
      text = text.substring(0, begin) + section + text.substring(end + close.length() + 1);
    } else if (text.contains(analysisMarker)) {
      int at = text.indexOf(analysisMarker);
      text = text.substring(0, at) + section + "\n" + text.substring(at);
    } else {
      text = text + "\n" + section;
    }
    Files.createDirectories(path.toAbsolutePath().getParent());
    Files.writeString(path, text);
  }

  private static void row(StringBuilder md, List<Map<String, Double>> rounds, String title,
      String key, boolean megabytes) {
    md.append("| ").append(title);
    for (String who : List.of("bare.", "idle.", "drain.")) {
      md.append(" | ").append(has(rounds, who + key)
          ? spread(rounds, who + key, megabytes ? 1 / MB : 1, megabytes ? 0.1 : 1) : "");
    }
    md.append(" |\n");
  }

  private static void single(StringBuilder md, List<Map<String, Double>> rounds, String title,
      String key, double step) {
    List<Double> v = values(rounds, key);
    md.append("| ").append(title).append(" | ").append(format(median(v), step)).append(" | ")
        .append(format(v.get(0), step)).append("–").append(format(v.get(v.size() - 1), step))
        .append(" |\n");
  }

  private static void goal(StringBuilder md, String title, double value, double limit,
      String unit) {
    md.append("| ").append(title).append(" | ")
        .append(String.format(Locale.ROOT, limit >= 10 && unit.isEmpty() ? "%.0f%s" : "%.1f%s",
            value, unit))
        .append(" | ").append(value <= limit ? "reached" : "**not reached**").append(" |\n");
  }

  private static String spread(List<Map<String, Double>> rounds, String key, double scale,
      double step) {
    List<Double> v = values(rounds, key);
    return format(median(v) * scale, step) + " (" + format(v.get(0) * scale, step) + "–"
        + format(v.get(v.size() - 1) * scale, step) + ")";
  }

  private static boolean has(List<Map<String, Double>> rounds, String key) {
    return rounds.get(0).containsKey(key);
  }

  /** The values of {@code key} over the rounds, sorted. */
  private static List<Double> values(List<Map<String, Double>> rounds, String key) {
    List<Double> v = new ArrayList<>();
    rounds.forEach(r -> v.add(r.get(key)));
    Collections.sort(v);
    return v;
  }

  static double median(List<Map<String, Double>> rounds, String key) {
    return median(values(rounds, key));
  }

  private static double median(List<Double> sorted) {
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static String format(double value, double step) {
    return step >= 1 ? Benchmark.number(value) : String.format(Locale.ROOT, "%.1f", value);
  }

  private static String mb(List<Map<String, Double>> rounds, String key) {
    return String.format(Locale.ROOT, "%.1f", median(rounds, key) / MB);
  }

  private static String whole(List<Map<String, Double>> rounds, String key) {
    return String.format(Locale.ROOT, "%.0f", median(rounds, key));
  }

  private static String tenth(List<Map<String, Double>> rounds, String key) {
    return String.format(Locale.ROOT, "%.1f", median(rounds, key));
  }
}

package com.meterit.sync.examples.tools.bench;

import com.meterit.sync.examples.tools.ToolOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The link benchmark: drains a backlog through each emulated link profile ({@link LinkEmulator})
 * and compares the drain rate with what the link could carry at the measured wire bytes per
 * reading. Writes {@code docs/link-benchmarks.md} and {@code docs/link-throughput.png}.
 *
 * <p>Run it: {@code mvn -q -Pbench package -Dbench.args="--only=link"}, or from a built agent jar:
 * {@code java -cp sync-examples/target/meter-sync-tools.jar
 * com.meterit.sync.examples.tools.bench.LinkBenchmark --profiles=lte-m,satellite --window=default,1
 * --http=plain,2}.
 * Options: see {@link #DEFAULTS}.
 */
public final class LinkBenchmark {
  /** The protocol name of the plain bench server's runs: HTTP/1.1 without TLS. */
  static final String PLAIN = "HTTP/1.1 plain";

  /** Every option and its default. */
  static final Map<String, String> DEFAULTS = defaults();

  private LinkBenchmark() {}

  private static Map<String, String> defaults() {
    Map<String, String> o = new LinkedHashMap<>();
    o.put("profiles", "lte,lte-m,gprs,satellite");
    // Each run is sized to take about this long, from the expected rate.
    o.put("seconds", "30");
    o.put("batch", "1000");
    // A comma-separated list runs each profile once per window: "default" is what a host gets
    // without setMaxInFlight, a number is passed to setMaxInFlight (1: one batch at a time).
    o.put("window", "default,1");
    // plain: HTTP/1.1 without TLS (the JDK's server); 1.1 and 2: HTTP/1.1 or HTTP/2 over TLS
    // (Jetty), as a gateway meets a Client System behind https. A list runs each in turn.
    o.put("http", "plain");
    o.put("pipelining", "true");
    o.put("gzip", "true");
    // 0 sizes each run from --seconds; a number drains that many readings on every profile.
    o.put("readings", "0");
    o.put("stalls", "none");
    o.put("seed", "1");
    o.put("out", "docs");
    return o;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new LinkedHashMap<>(DEFAULTS);
    String[] named = new String[args.length];
    for (int i = 0; i < args.length; i++) {
      // --max-in-flight, the engine's name for it, is an alias of --window.
      named[i] = args[i].replaceFirst("^--max-in-flight=", "--window=");
    }
    ToolOptions.apply("link benchmark", options, named);
    // The engine's INFO lines per run would bury the benchmark's own; the harness's workers do the same.
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    // The JDK server closes a connection idle for 30 s; loading the measured backlog can take
    // longer, and a real Client System keeps connections for minutes.
    System.setProperty("sun.net.httpserver.idleInterval", "600");
    Path scratch = Files.createTempDirectory("meter-sync-link-bench");
    try (BenchServer server = new BenchServer()) {
      run(options, server, scratch);
    } finally {
      deleteTree(scratch);
    }
  }

  /** The servers the runs need, each started once, and their targets in the order asked. */
  private static final class Targets implements AutoCloseable {
    final List<LinkDrain.Target> list = new ArrayList<>();
    private final List<TlsBenchServer> servers = new ArrayList<>();

    Targets(String http, BenchServer server, Path scratch) throws Exception {
      BenchCertificate certificate = null;
      for (String name : http.split(",")) {
        String protocol = name.trim();
        if (protocol.equals("plain")) {
          list.add(new LinkDrain.Target(PLAIN, server.url().getPort(), null));
        } else if (protocol.equals("1.1") || protocol.equals("2")) {
          if (certificate == null) {
            certificate = BenchCertificate.create(scratch);
          }
          TlsBenchServer tls = new TlsBenchServer(server, certificate, protocol.equals("2"));
          servers.add(tls);
          list.add(new LinkDrain.Target(tls.protocol(), tls.url().getPort(), certificate.pem));
        } else {
          throw new IllegalArgumentException("--http must list plain, 1.1 or 2: " + protocol);
        }
      }
    }

    @Override
    public void close() throws Exception {
      for (TlsBenchServer tls : servers) {
        tls.close();
      }
    }
  }

  private static void run(Map<String, String> options, BenchServer server, Path scratch)
      throws Exception {
    try (Targets targets = new Targets(options.get("http"), server, scratch)) {
      run(options, targets.list, scratch);
    }
  }

  private static void run(Map<String, String> options, List<LinkDrain.Target> targets,
      Path scratch) throws Exception {
    double seconds = Double.parseDouble(options.get("seconds"));
    long fixedReadings = Long.parseLong(options.get("readings"));
    int batch = Integer.parseInt(options.get("batch"));
    boolean pipelining = Boolean.parseBoolean(options.get("pipelining"));
    boolean gzip = Boolean.parseBoolean(options.get("gzip"));
    long seed = Long.parseLong(options.get("seed"));
    List<LinkProfile> profiles = new ArrayList<>();
    for (String name : options.get("profiles").split(",")) {
      profiles.add(LinkProfile.named(name.trim()));
    }
    List<Integer> windows = new ArrayList<>();
    for (String w : options.get("window").split(",")) {
      windows.add(parseWindow(w.trim()));
    }

    List<LinkRun> runs = new ArrayList<>();
    int n = 0;
    for (LinkProfile profile : profiles) {
      for (LinkDrain.Target target : targets) {
        for (int window : windows) {
          LinkDrain.Engine engine = new LinkDrain.Engine(batch, window, pipelining, gzip);
          long readings = fixedReadings > 0 ? fixedReadings : readingsFor(profile, engine, seconds);
          System.out.printf(Locale.ROOT, "link benchmark: %s, %s, window %s, %,d readings ...%n",
              profile, target.protocol, LinkDrain.Engine.windowName(window), readings);
          String url = "jdbc:h2:file:" + scratch.resolve("link" + n++).resolve("bench")
              + ";NON_KEYWORDS=VALUE";
          // A run that takes ten times longer than expected is broken, not slow.
          Duration deadline = Duration.ofSeconds((long) Math.max(120, 10 * seconds));
          LinkRun run = LinkDrain.run(profile, Stalls.parse(options.get("stalls"), seed), engine,
              target, url, readings, deadline);
          System.out.printf(Locale.ROOT, "link benchmark: %s, %s, window %s: %.1f s, %.1f up + %.1f "
                  + "down bytes/reading, capacity %,.0f, drain %,.0f readings/s, ratio %.2f, %d new "
                  + "connections, window %d at the end (%s)%n",
              profile.name, target.protocol, LinkDrain.Engine.windowName(window), run.seconds,
              run.uplinkBytesPerReading(), run.downlinkBytesPerReading(), run.capacity(), run.drainRate(), run.ratio(),
              run.connections, run.windowAtEnd, run.outcome);
          runs.add(run);
        }
      }
    }

    Path out = Path.of(options.get("out"));
    Files.createDirectories(out);
    LinkChart.write(out.resolve("link-throughput.png"), runs);
    Path report = out.resolve("link-benchmarks.md");
    Files.writeString(report, LinkReport.render(options, runs) + LinkReport.analysis(report));
    System.out.println("Wrote " + report + " and " + out.resolve("link-throughput.png"));
  }

  /** {@code default} (the engine's own window, no host setting) or a {@code setMaxInFlight} value. */
  static int parseWindow(String text) {
    if (text.equals("default")) {
      return LinkDrain.Engine.DEFAULT_WINDOW;
    }
    int window = Integer.parseInt(text);
    if (window < 1) {
      throw new IllegalArgumentException("--window must be 'default' or at least 1: " + text);
    }
    return window;
  }

  /**
   * Readings for a run of about {@code seconds} at the rate this engine should reach: the link's
   * capacity, or a window of batches per round trip when that is less. Byte counts are estimates
   * (about 13 bytes per gzip'd reading, 120 plain, 600 bytes of headers per request); the report
   * gives the measured ones. At least five batches.
   */
  static long readingsFor(LinkProfile profile, LinkDrain.Engine engine, double seconds) {
    double upPerBatch = engine.batchSize * (engine.gzip ? 13.0 : 120.0) + 600;
    double capacity = profile.uplinkBitsPerSecond / 8.0 / (upPerBatch / engine.batchSize);
    double oneInFlight = engine.batchSize / profile.exchangeSeconds(Math.round(upPerBatch), 250);
    // The engine's own window is sized to fill the link; a host's maximum may not be.
    double rate = engine.window == LinkDrain.Engine.DEFAULT_WINDOW ? capacity
        : Math.min(capacity, engine.window * oneInFlight);
    long batches = Math.max(5, Math.round(rate * seconds / engine.batchSize));
    return batches * engine.batchSize;
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }
}

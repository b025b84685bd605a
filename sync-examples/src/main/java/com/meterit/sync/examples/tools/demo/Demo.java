package com.meterit.sync.examples.tools.demo;

import com.meterit.sync.api.BackoffPolicy;
import com.meterit.sync.api.RemoteConfig;
import com.meterit.sync.api.SyncListener;
import com.meterit.sync.api.SyncState;
import com.meterit.sync.api.SyncStats;
import com.meterit.sync.api.SyncStatus;
import com.meterit.sync.core.SyncManager;
import com.meterit.sync.core.http.HttpClientSystemGateway;
import com.meterit.sync.examples.agent.ProgressReporter;
import com.meterit.sync.examples.tools.simulator.Fault;
import com.meterit.sync.examples.tools.simulator.SimulatedClientSystem;
import com.meterit.sync.jdbc.JdbcReadingSource;
import com.meterit.sync.jdbc.QuarantinedReading;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * The one-command demo. Everything runs in this process on loopback: the SQLite Sync Database
 * of the agent's default (under {@code sync-examples/target} when Maven runs it), a simulated Client System, and meters that write readings with plain SQL.
 * Seven stages, each announced in one line, with a live status line throughout, then the
 * statistics and a check that every reading written is on the server exactly once, or
 * quarantined with its reason.
 */
public final class Demo {
  private static final String API_KEY = "demo-api-key";

  private final DemoOptions options;
  private final PrintStream out;

  public Demo(DemoOptions options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    // The demo narrates itself, connectivity included; the engine's INFO lines would double it.
    System.setProperty("org.slf4j.simpleLogger.log.com.meterit.sync.core.SyncManager", "warn");
    System.setProperty("org.slf4j.simpleLogger.log.com.meterit.sync.core.RunReporter", "warn");
    System.setProperty("org.slf4j.simpleLogger.log.com.meterit.sync.core.ConnectivityMonitor", "warn");
    DemoOptions options;
    try {
      options = DemoOptions.parse(args, System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("demo: " + e.getMessage());
      System.exit(2);
      return;
    }
    DemoResult result = new Demo(options, System.out).run();
    System.exit(result.passed() ? 0 : 1);
  }

  // The status line prints for as long as its try block runs; the body never names it.
  @SuppressWarnings("try")
  public DemoResult run() throws Exception {
    Path data = options.dataDirectory.toAbsolutePath();
    deleteDirectory(data);
    Files.createDirectories(data);
    // The agent's default store, the SQLite file, in the demo's own directory.
    String url = "jdbc:sqlite:" + data.resolve("meter-sync.db");

    out.println("meter-sync demo: an embedded Sync Database, a simulated Client System on loopback, "
        + options.meters + " meters");
    try (SimulatedClientSystem server = SimulatedClientSystem.start(API_KEY)) {
      server.publishConfig("1", 2, 1000, 3, 5);
      JdbcReadingSource source = JdbcReadingSource.fromEnv(Map.of(
          JdbcReadingSource.SYNC_DB_URL, url, "GATEWAY_ID", "demo-gateway"));
      source.createSchema();
      HttpClientSystemGateway gateway =
          HttpClientSystemGateway.builder(server.url(), API_KEY, "demo-gateway")
              .setRequestTimeout(Duration.ofSeconds(5))
              .build();
      ProgressReporter progress =
          new ProgressReporter(source, line -> out.println("  " + line), Duration.ofMillis(500));
      SyncManager manager = SyncManager.builder()
          .setSource(source)
          .setGateway(gateway)
          .setSyncInterval(Duration.ofSeconds(2))
          .setHeartbeatInterval(Duration.ofSeconds(5))
          .setMaxRetries(3)
          .setBackoffPolicy(BackoffPolicy.exponentialWithFullJitter(
              Duration.ofMillis(100), Duration.ofSeconds(1), 2.0))
          .setConnectivityProbeInterval(Duration.ofSeconds(1))
          .setConnectivityBackoff(BackoffPolicy.fixed(Duration.ofSeconds(1)))
          .setHistory(source.history())
          .addListener(progress)
          .addListener(narrator())
          .build();
      progress.attach(manager);

      try (MeterSimulator meters = new MeterSimulator(url, options.meters);
          StatusLine status = new StatusLine(manager, server, out)) {
        stage(1, "normal sync: meters write, the gateway syncs every 2 s");
        meters.start();
        manager.start();
        dwell(5);

        stage(2, "outage: the Client System goes down; readings queue locally");
        server.setFault(Fault.DOWN);
        await("the gateway to go OFFLINE", () -> manager.getStatus().state() == SyncState.OFFLINE, 15);
        long before = source.pendingCount();
        meters.write(options.backlog);
        dwell(3);
        // Counted now, from the queue itself, so the line agrees with the status line it follows.
        long after = source.pendingCount();
        out.printf(Locale.ROOT, "  while offline the queue grew from %d to %d readings: the %d-reading "
            + "backlog and %d more from the meters; nothing is lost%n",
            before, after, options.backlog, after - before - options.backlog);

        stage(3, "recovery: the link returns, sync resumes by itself and drains the backlog");
        server.setFault(Fault.NONE);
        await("the backlog to drain",
            () -> manager.getStatus().pendingReadings().orElse(Long.MAX_VALUE)
                < options.meters * 4L, 120);
        dwell(2);

        stage(4, "configuration: the server publishes version 2, the heartbeat picks it up");
        server.publishConfig("2", 3, 2000, 5, 5);
        await("configuration 2 to be applied",
            () -> manager.getStatus().appliedConfigVersion().orElse("").equals("2"), 20);
        dwell(1);

        stage(5, "malformed readings: quarantined with their reasons while the rest flows");
        meters.writeRaw("meter-0007", "12.500", "furlongs");
        meters.writeRaw("meter-0008", "-3.250", "kWh");
        meters.writeRaw("meter-0009", "1.000", " ");
        await("three readings to be quarantined", () -> source.listQuarantined(10).size() >= 3, 20);
        dwell(1);

        stage(6, "token expiry: the server revokes every token; the gateway re-authenticates once");
        int tokens = server.tokensIssued();
        int accepted = server.acceptedCount();
        server.expireAllTokens();
        await("a new token and new uploads",
            () -> server.tokensIssued() > tokens && server.acceptedCount() > accepted, 20);
        out.printf(Locale.ROOT, "  tokens issued: %d -> %d; uploads go on%n", tokens, server.tokensIssued());
        dwell(1);

        stage(7, "graceful stop: meters stop, the queue is drained, the manager stops");
        meters.stop();
        // The first trigger may join a scheduled run that claimed before the meters' last write;
        // the second starts after it, so it sees every reading.
        manager.triggerSync().join();
        manager.triggerSync().join();
        manager.stop().get(30, TimeUnit.SECONDS);
      }
      SyncStatus stopped = manager.getStatus();
      out.printf(Locale.ROOT, "  stopped: state=%s, %s readings pending, nothing in flight%n",
          stopped.state(), ProgressReporter.pending(stopped.pendingReadings()));

      SyncStats stats = manager.getSyncStats(1);
      out.println();
      out.printf(Locale.ROOT, "getSyncStats(1): %d runs (%d succeeded, %d failed), %d readings synced, "
          + "%d rejected, %d bytes sent (%.1f bytes/reading), mean run %d ms, max run %d ms%n",
          stats.runs(), stats.successes(), stats.failures(), stats.readingsSynced(),
          stats.readingsRejected(), stats.bytesSent(),
          stats.readingsSynced() == 0 ? 0.0 : (double) stats.bytesSent() / stats.readingsSynced(),
          stats.meanRunDuration().toMillis(), stats.maxRunDuration().toMillis());
      DemoResult result = check(url, source, server);
      out.println(result.checkLine());
      return result;
    }
  }

  private SyncListener narrator() {
    return new SyncListener() {
      @Override
      public void onConnectivityChanged(boolean connected) {
        out.println(connected ? "  Client System reachable again: auto-resume"
            : "  Client System unreachable: OFFLINE, queuing locally");
      }

      @Override
      public void onConfigurationApplied(RemoteConfig config) {
        out.println("  applied remote configuration " + config.version() + ": " + config);
      }

      @Override
      public void onReadingsRejected(List<com.meterit.sync.api.Rejection> rejections) {
        rejections.forEach(r -> out.println("  quarantined reading " + r.readingId() + ": " + r.reason()));
      }
    };
  }

  /** Every reading written is on the server exactly once with its exact value, or quarantined. */
  private static DemoResult check(String url, JdbcReadingSource source, SimulatedClientSystem server)
      throws Exception {
    Map<Long, BigDecimal> written = new HashMap<>();
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id, value FROM meter_readings")) {
      while (rs.next()) {
        written.put(rs.getLong(1), new BigDecimal(rs.getString(2)));
      }
    }
    Map<Long, BigDecimal> onServer = server.accepted();
    List<QuarantinedReading> quarantined = source.listQuarantined(1000);
    long pending = source.pendingCount();
    List<String> problems = new ArrayList<>();
    Map<Long, String> reasons = new HashMap<>();
    quarantined.forEach(q -> reasons.put(q.id(), q.reason()));
    for (Map.Entry<Long, BigDecimal> w : written.entrySet()) {
      BigDecimal got = onServer.get(w.getKey());
      boolean isQuarantined = reasons.containsKey(w.getKey());
      if (isQuarantined == (got != null)) {
        problems.add("reading " + w.getKey() + (isQuarantined ? " is both quarantined and on the server"
            : " is neither on the server nor quarantined"));
      } else if (got != null && !got.equals(w.getValue())) {
        problems.add("reading " + w.getKey() + " arrived as " + got + " instead of " + w.getValue());
      }
    }
    onServer.keySet().stream().filter(id -> !written.containsKey(id)).forEach(
        id -> problems.add("the server holds reading " + id + ", which was never written"));
    if (!server.acceptedUnderSeveralBatches().isEmpty()) {
      problems.add("readings accepted under several batches: " + server.acceptedUnderSeveralBatches());
    }
    if (server.conflicts() > 0) {
      problems.add(server.conflicts() + " batch ids were replayed with different content");
    }
    StringBuilder line = new StringBuilder();
    if (problems.isEmpty()) {
      line.append(String.format(Locale.ROOT, "CHECK PASSED: %d readings written; %d on the Client "
          + "System exactly once with exact values; %d quarantined", written.size(),
          onServer.size(), quarantined.size()));
      quarantined.stream().sorted(Comparator.comparingLong(QuarantinedReading::id)).forEach(
          q -> line.append(String.format(Locale.ROOT, "%n  quarantined %d (%s): %s", q.id(),
              q.meterId().orElse("?"), q.reason())));
    } else {
      line.append("CHECK FAILED: ").append(problems.size()).append(" problem(s); first: ")
          .append(problems.get(0));
    }
    return new DemoResult(problems.isEmpty(), line.toString(), written.size(), onServer.size(),
        quarantined.size(), pending);
  }

  private void stage(int number, String text) {
    out.println();
    out.println("== " + number + "/7 " + text);
  }

  private void dwell(double seconds) throws InterruptedException {
    TimeUnit.MILLISECONDS.sleep((long) (seconds * 1000 * options.pace));
  }

  private void await(String what, BooleanSupplier condition, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out waiting for " + what);
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
  }

  private static void deleteDirectory(Path directory) throws IOException {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }

  /** Prints the live status once a second. */
  private static final class StatusLine implements AutoCloseable {
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "demo-status");
      t.setDaemon(true);
      return t;
    });
    private int lastAccepted;

    StatusLine(SyncManager manager, SimulatedClientSystem server, PrintStream out) {
      ticker.scheduleAtFixedRate(() -> {
        SyncStatus s = manager.getStatus();
        int accepted = server.acceptedCount();
        out.printf(Locale.ROOT, "  | %-11s %-8s pending %8s | on server %8d | %7d readings/s%n",
            s.state(), s.isConnected() ? "online" : "OFFLINE",
            ProgressReporter.pending(s.pendingReadings()), accepted,
            accepted - lastAccepted);
        lastAccepted = accepted;
      }, 1, 1, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
      ticker.shutdownNow();
    }
  }
}

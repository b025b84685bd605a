package com.meterit.sync.examples.tools.bench;

import com.meterit.sync.api.Claim;
import com.meterit.sync.examples.tools.ToolOptions;
import com.meterit.sync.examples.tools.simulator.SimulatedClientSystem;
import com.meterit.sync.jdbc.JdbcReadingSource;
import com.meterit.sync.jdbc.ReadingsTable;
import java.io.File;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Several worker processes on one PostgreSQL table: 1, 2 and 4 agent processes (one
 * {@code GATEWAY_ID}, distinct {@code SYNC_WORKER_ID}s) drain one table of readings into one
 * {@link SimulatedClientSystem}, whose ledger proves that no reading was lost and none arrived in
 * two batches; and, in the same run, N threads claiming and settling through
 * {@link JdbcReadingSource} with nothing behind them: the database's own limit for N claimers.
 *
 * <p>{@code java -cp sync-examples/target/meter-sync-tools.jar
 * com.meterit.sync.examples.tools.bench.WorkersBenchmark --readings=1000000 --workers=1,2,4
 * --repeats=3 --postgres=jdbc:postgresql://127.0.0.1:5432/test?user=postgres}
 */
public final class WorkersBenchmark {
  // The agent drains the default table; a database of its own keeps it apart from everything else.
  private static final String TABLE = "meter_readings";
  private static final String DATABASE = "meter_sync_workers";

  private WorkersBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> o = new LinkedHashMap<>();
    o.put("readings", "1000000");
    o.put("workers", "1,2,4");
    o.put("repeats", "3");
    String pg = System.getenv("METER_SYNC_TEST_POSTGRES_URL");
    o.put("postgres", pg != null ? pg : "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
    ToolOptions.apply("workers", o, args);
    long readings = Long.parseLong(o.get("readings"));
    int repeats = Integer.parseInt(o.get("repeats"));
    String url = ownDatabase(o.get("postgres"));
    StringBuilder table = new StringBuilder("| workers | agents readings/s (median) | spread | "
        + "claimers alone readings/s (median) | spread | ledger |\n| --- | --- | --- | --- | --- | --- |\n");
    for (String n : o.get("workers").split(",")) {
      int workers = Integer.parseInt(n);
      List<Double> agents = new ArrayList<>();
      List<Double> claimers = new ArrayList<>();
      String ledger = "clean";
      for (int r = 0; r < repeats; r++) {
        populate(url, readings);
        double[] agentRun = agents(url, workers, readings);
        agents.add(agentRun[0]);
        if (agentRun[1] != 0) {
          ledger = String.format(Locale.ROOT, "BROKEN: %.0f missing or twice", agentRun[1]);
        }
        populate(url, readings);
        claimers.add(claimers(url, workers));
        System.out.printf(Locale.ROOT, "workers: %d worker(s), run %d: agents %,.0f readings/s, "
            + "claimers %,.0f readings/s%n", workers, r + 1, agents.get(r), claimers.get(r));
      }
      table.append(String.format(Locale.ROOT, "| %d | %,.0f | %s | %,.0f | %s | %s |%n", workers,
          median(agents), spread(agents), median(claimers), spread(claimers), ledger));
    }
    drop(url);
    System.out.println();
    System.out.println(table);
  }

  /** The same server, a database of this benchmark's own, created if missing. */
  private static String ownDatabase(String url) throws Exception {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      if (count(c, "SELECT count(*) FROM pg_database WHERE datname = '" + DATABASE + "'") == 0) {
        s.execute("CREATE DATABASE " + DATABASE);
      }
    }
    return url.replaceFirst("/[^/?]+(\\?|$)", "/" + DATABASE + "$1");
  }

  private static ReadingsTable names() {
    return ReadingsTable.builder().setTable(TABLE).setHistoryTable(TABLE + "_runs").build();
  }

  /** A fresh table of readings, generated in the database: 1,000 meters, 15-minute steps. */
  private static void populate(String url, long count) throws Exception {
    drop(url);
    try (JdbcReadingSource source = JdbcReadingSource.builder(url, null, null).setTable(names()).build()) {
      source.createSchema();
    }
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute("INSERT INTO " + TABLE + " (meter_id, read_at, value, unit) SELECT "
          + "'meter-' || lpad((i % 1000)::text, 4, '0'), "
          + "timestamptz '2026-01-01 00:00:00+00' + (i / 1000) * interval '15 minutes', "
          + "10000 + (i % 1000) * 7.123 + (i / 1000) * 0.25, 'kWh' "
          + "FROM generate_series(0, " + (count - 1) + ") AS i ORDER BY i");
      s.execute("VACUUM ANALYZE " + TABLE);
    }
  }

  private static void drop(String url) throws Exception {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS " + TABLE);
      s.execute("DROP TABLE IF EXISTS " + TABLE + "_batches");
      s.execute("DROP TABLE IF EXISTS " + TABLE + "_runs");
      // The database is this benchmark's own: its schema record goes with the table.
      s.execute("DROP TABLE IF EXISTS meter_sync_schema");
    }
  }

  /**
   * N agent processes drain the table. The rate is over the time from the first accepted reading
   * to the last, so JVM start-up is not counted. Returns the rate and the ledger's faults.
   */
  private static double[] agents(String url, int workers, long readings) throws Exception {
    try (SimulatedClientSystem server = SimulatedClientSystem.start("bench-key")) {
      String jar = new File(WorkersBenchmark.class.getProtectionDomain().getCodeSource()
          .getLocation().toURI()).getPath();
      List<Process> processes = new ArrayList<>();
      for (int w = 0; w < workers; w++) {
        ProcessBuilder pb = new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", jar, "com.meterit.sync.examples.agent.SyncAgent");
        Map<String, String> env = pb.environment();
        env.put("CLIENT_API_URL", server.url().toString());
        env.put("CLIENT_API_KEY", "bench-key");
        env.put("GATEWAY_ID", "bench-gateway");
        env.put("SYNC_DB_URL", url);
        env.put("SYNC_WORKER_ID", "worker-" + (w + 1));
        env.put("BATCH_SIZE", "1000");
        env.put("SYNC_INTERVAL_MINUTES", "60");
        env.put("LOG_LEVEL", "warn");
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        processes.add(pb.start());
      }
      long first = 0;
      long deadline = System.nanoTime() + Duration.ofMinutes(20).toNanos();
      while (server.acceptedCount() < readings && System.nanoTime() < deadline) {
        if (first == 0 && server.acceptedCount() > 0) {
          first = System.nanoTime();
        }
        Thread.sleep(20);
      }
      long end = System.nanoTime();
      processes.forEach(Process::destroy);
      for (Process p : processes) {
        p.waitFor();
      }
      long accepted = server.acceptedCount();
      int twice = server.acceptedUnderSeveralBatches().size();
      return new double[] {accepted / ((end - first) / 1e9), (readings - accepted) + twice};
    }
  }

  /** N threads, each its own worker, claim and settle until the table is drained. */
  private static double claimers(String url, int workers) throws Exception {
    List<Thread> threads = new ArrayList<>();
    AtomicLong settled = new AtomicLong();
    List<JdbcReadingSource> sources = new ArrayList<>();
    for (int w = 0; w < workers; w++) {
      JdbcReadingSource source = JdbcReadingSource.builder(url, null, null).setTable(names())
          .setWorkerId("claimer-" + (w + 1)).build();
      sources.add(source);
      threads.add(new Thread(() -> {
        while (true) {
          Claim claim = source.claim(1000);
          if (claim.isEmpty()) {
            return;
          }
          source.settle(claim, List.of());
          settled.addAndGet(claim.size());
        }
      }, "claimer-" + (w + 1)));
    }
    long start = System.nanoTime();
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
    double rate = settled.get() / ((System.nanoTime() - start) / 1e9);
    sources.forEach(JdbcReadingSource::close);
    return rate;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    return sorted.get(sorted.size() / 2);
  }

  private static String spread(List<Double> values) {
    return String.format(Locale.ROOT, "%,.0f–%,.0f", values.stream().mapToDouble(d -> d).min()
        .orElse(0), values.stream().mapToDouble(d -> d).max().orElse(0));
  }

  static long count(Connection c, String sql) throws Exception {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}

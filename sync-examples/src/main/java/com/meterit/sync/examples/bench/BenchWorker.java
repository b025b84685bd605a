package com.meterit.sync.examples.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.meterit.sync.api.Claim;
import com.meterit.sync.api.ClientSystemGateway;
import com.meterit.sync.api.Reading;
import com.meterit.sync.api.SyncListener;
import com.meterit.sync.api.UploadBatch;
import com.meterit.sync.api.UploadResult;
import com.meterit.sync.core.SyncManager;
import com.meterit.sync.core.http.HttpClientSystemGateway;
import com.meterit.sync.jdbc.JdbcReadingSource;
import com.meterit.sync.jdbc.ReadingsTable;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One measurement, in a JVM of its own so that heap limits and JIT state are per measurement. The
 * {@link Benchmark} starts it and reads the single {@code RESULT {...}} line it prints.
 */
public final class BenchWorker {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final int METERS = 1000;

  private BenchWorker() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> o = new HashMap<>();
    for (String arg : args) {
      String[] kv = arg.split("=", 2);
      o.put(kv[0], kv[1]);
    }
    String scenario = o.get("scenario");
    Map<String, Object> result;
    if (scenario.equals("drain")) {
      result = drain(o, false);
    } else if (scenario.equals("jdbc")) {
      result = drain(o, true);
    } else if (scenario.equals("loop")) {
      result = loop(o);
    } else if (scenario.equals("http")) {
      result = http(o);
    } else if (scenario.equals("serialize")) {
      result = serialize();
    } else if (scenario.equals("idle")) {
      result = idle(o);
    } else if (scenario.equals("baseline")) {
      result = baseline(o);
    } else {
      throw new IllegalArgumentException("unknown scenario " + scenario);
    }
    System.out.println("RESULT " + JSON.writeValueAsString(result));
    System.exit(0);
  }

  /** The realistic readings of the brief: 1,000 meters, 15-minute steps, rising 3-decimal values. */
  static final class Readings {
    private final long[] thousandths = new long[METERS];
    private final Instant start = Instant.parse("2026-01-01T00:00:00Z");
    private long next;

    Readings() {
      for (int m = 0; m < METERS; m++) {
        thousandths[m] = 10_000_000L + m * 7_123L;
      }
    }

    /** Fills the next reading's fields; returns its meter index. */
    int advance() {
      int meter = (int) (next % METERS);
      long step = next / METERS;
      thousandths[meter] += 250 + (meter * 31L + step * 17L) % 1000;
      next++;
      return meter;
    }

    String meterId(int meter) {
      return String.format("meter-%04d", meter);
    }

    Instant time() {
      return start.plus(Duration.ofMinutes(15 * ((next - 1) / METERS)));
    }

    BigDecimal value(int meter) {
      return BigDecimal.valueOf(thousandths[meter], 3);
    }
  }

  private static ReadingsTable table(Map<String, String> o) {
    String name = o.getOrDefault("table", "meter_readings");
    return ReadingsTable.builder().setTable(name).setHistoryTable(name + "_runs").build();
  }

  private static void populate(String url, ReadingsTable names, String table, long count)
      throws Exception {
    try (JdbcReadingSource source = JdbcReadingSource.builder(url, null, null).setTable(names).build()) {
      source.createSchema();
    }
    boolean postgres = url.startsWith("jdbc:postgresql:");
    try (Connection c = DriverManager.getConnection(url)) {
      c.setAutoCommit(false);
      try (PreparedStatement insert = c.prepareStatement(
          "INSERT INTO " + table + " (meter_id, read_at, value, unit) VALUES (?, ?, ?, ?)")) {
        Readings readings = new Readings();
        for (long i = 0; i < count; i++) {
          int meter = readings.advance();
          insert.setString(1, readings.meterId(meter));
          insert.setObject(2, OffsetDateTime.ofInstant(readings.time(), ZoneOffset.UTC));
          if (postgres) {
            insert.setBigDecimal(3, readings.value(meter));
          } else {
            insert.setString(3, readings.value(meter).toPlainString());
          }
          insert.setString(4, "kWh");
          insert.addBatch();
          if (i % 10_000 == 9_999) {
            insert.executeBatch();
            c.commit();
          }
        }
        insert.executeBatch();
        c.commit();
      }
      c.setAutoCommit(true);
      try (Statement s = c.createStatement()) {
        // Settle the writes of the load, so the drain does not pay for them.
        s.execute(postgres ? "VACUUM ANALYZE " + table : "CHECKPOINT SYNC");
      }
    }
  }

  private static void drop(String url, String table) throws Exception {
    if (url.startsWith("jdbc:h2:")) {
      try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
        s.execute("DROP TABLE IF EXISTS " + table);
        s.execute("DROP TABLE IF EXISTS " + table + "_runs");
        s.execute("DELETE FROM meter_sync_schema WHERE table_name = '" + table + "'");
      }
    } else if (url.startsWith("jdbc:postgresql:")) {
      try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
        s.execute("DROP TABLE IF EXISTS " + table);
        s.execute("DROP TABLE IF EXISTS " + table + "_runs");
        s.execute("DELETE FROM meter_sync_schema WHERE table_name = '" + table + "'");
      }
    }
  }

  /** A gateway that accepts everything at once: what is left is the queue's own cost. */
  private static final class NoopGateway implements ClientSystemGateway {
    @Override
    public boolean testConnection() {
      return true;
    }

    @Override
    public UploadResult uploadBatch(UploadBatch batch) {
      return UploadResult.acceptedAll(batch, 0);
    }
  }

  private static Map<String, Object> drain(Map<String, String> o, boolean queueOnly) throws Exception {
    long warmup = Long.parseLong(o.getOrDefault("warmup", "200000"));
    if (warmup > 0) {
      // A gateway's JVM has been running for days when its link returns; measure it warm.
      Map<String, String> w = new HashMap<>(o);
      w.put("table", o.getOrDefault("table", "meter_readings") + "_warmup");
      w.put("readings", Long.toString(warmup));
      w.put("warmup", "0");
      drain(w, queueOnly);
    }
    String url = o.get("db");
    long count = Long.parseLong(o.get("readings"));
    int batch = Integer.parseInt(o.getOrDefault("batch", "1000"));
    ReadingsTable names = table(o);
    String table = o.getOrDefault("table", "meter_readings");
    populate(url, names, table, count);

    JdbcReadingSource source = JdbcReadingSource.builder(url, null, null).setTable(names).build();
    ClientSystemGateway gateway = queueOnly ? new NoopGateway()
        : HttpClientSystemGateway.builder(URI.create(o.get("server")), "bench-key", "bench-gateway")
            .setGzip(Boolean.parseBoolean(o.getOrDefault("gzip", "true")))
            .build();
    long[] thirdsAt = new long[3];
    AtomicLong synced = new AtomicLong();
    AtomicLong wire = new AtomicLong();
    long[] startNanos = {0};
    SyncListener progress = new SyncListener() {
      @Override
      public void onBatchUploaded(UploadBatch b, UploadResult r) {
        long done = synced.addAndGet(r.acceptedCount());
        wire.addAndGet(r.bytesSent());
        long now = System.nanoTime();
        for (int t = 0; t < 3; t++) {
          if (thirdsAt[t] == 0 && done >= count * (t + 1) / 3) {
            thirdsAt[t] = now;
          }
        }
      }
    };
    SyncManager manager = SyncManager.builder()
        .setSource(source)
        .setGateway(gateway)
        .setBatchSize(batch)
        .setSyncInterval(Duration.ofHours(1))
        .setHeartbeatInterval(Duration.ofHours(1))
        .setConnectivityProbeInterval(Duration.ofHours(1))
        .addListener(progress)
        .build();

    System.gc();
    HeapSampler heap = new HeapSampler();
    Allocation allocation = new Allocation();
    long cpu0 = processCpuNanos();
    startNanos[0] = System.nanoTime();
    manager.start();
    manager.triggerSync().join();
    long end = System.nanoTime();
    long cpu = processCpuNanos() - cpu0;
    long allocated = allocation.since();
    long peak = heap.stop();
    long pending = source.pendingCount();
    manager.close();
    source.close();
    drop(url, table);

    double seconds = (end - startNanos[0]) / 1e9;
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("readings", synced.get());
    r.put("pendingAfter", pending);
    r.put("seconds", seconds);
    r.put("rate", synced.get() / seconds);
    List<Double> thirds = new ArrayList<>();
    long previous = startNanos[0];
    for (int t = 0; t < 3; t++) {
      thirds.add((count / 3.0) / ((thirdsAt[t] - previous) / 1e9));
      previous = thirdsAt[t];
    }
    r.put("thirds", thirds);
    r.put("peakHeapMiB", peak / 1048576.0);
    r.put("maxHeapMiB", Runtime.getRuntime().maxMemory() / 1048576.0);
    r.put("allocatedBytesPerReading", allocated / (double) Math.max(1, synced.get()));
    r.put("cpuMicrosPerReading", cpu / 1000.0 / Math.max(1, synced.get()));
    r.put("wireBytesPerReading", wire.get() / (double) Math.max(1, synced.get()));
    return r;
  }

  /**
   * The source alone, without the engine, one batch after the other on one thread: claim and
   * settle in two transactions each, or ({@code combined=true}) {@code settleAndClaim} in one.
   */
  private static Map<String, Object> loop(Map<String, String> o) throws Exception {
    long warmup = Long.parseLong(o.getOrDefault("warmup", "100000"));
    if (warmup > 0) {
      Map<String, String> w = new HashMap<>(o);
      w.put("table", o.getOrDefault("table", "meter_readings") + "_warmup");
      w.put("readings", Long.toString(warmup));
      w.put("warmup", "0");
      loop(w);
    }
    String url = o.get("db");
    long count = Long.parseLong(o.get("readings"));
    int batch = Integer.parseInt(o.getOrDefault("batch", "1000"));
    boolean combined = Boolean.parseBoolean(o.getOrDefault("combined", "false"));
    ReadingsTable names = table(o);
    String table = o.getOrDefault("table", "meter_readings");
    populate(url, names, table, count);
    long synced = 0;
    long cpu0 = processCpuNanos();
    long start = System.nanoTime();
    try (JdbcReadingSource source = JdbcReadingSource.builder(url, null, null).setTable(names).build()) {
      Claim claim = source.claim(batch);
      while (!claim.isEmpty()) {
        synced += claim.size();
        if (combined) {
          claim = source.settleAndClaim(claim, List.of(), batch);
        } else {
          source.settle(claim, List.of());
          claim = source.claim(batch);
        }
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long cpu = processCpuNanos() - cpu0;
    drop(url, table);
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("readings", synced);
    r.put("seconds", seconds);
    r.put("rate", synced / seconds);
    r.put("cpuMicrosPerReading", cpu / 1000.0 / Math.max(1, synced));
    return r;
  }

  /** The library's own serializer, reached by reflection: it is not public API. */
  private static Method batchBody() throws Exception {
    Class<?> wire = Class.forName("com.meterit.sync.core.http.WireFormat");
    Method body = wire.getDeclaredMethod("batchBody", String.class, UploadBatch.class, boolean.class);
    body.setAccessible(true);
    return body;
  }

  private static List<UploadBatch> batches(int readings, int size) {
    Readings gen = new Readings();
    List<UploadBatch> batches = new ArrayList<>();
    List<Reading> current = new ArrayList<>(size);
    for (int i = 0; i < readings; i++) {
      int meter = gen.advance();
      current.add(Reading.of(i + 1, gen.meterId(meter), gen.time(), gen.value(meter), "kWh"));
      if (current.size() == size) {
        batches.add(UploadBatch.of(current));
        current = new ArrayList<>(size);
      }
    }
    return batches;
  }

  private static Map<String, Object> serialize() throws Exception {
    List<UploadBatch> batches = batches(1_000_000, 1000);
    Map<String, Object> r = new LinkedHashMap<>();
    Method body = batchBody();
    for (boolean gzip : new boolean[] {true, false}) {
      long bytes = 0;
      long start = 0;
      for (int pass = 0; pass < 2; pass++) {
        bytes = 0;
        start = System.nanoTime();
        for (UploadBatch b : batches) {
          bytes += ((byte[]) body.invoke(null, "bench-gateway", b, gzip)).length;
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      r.put(gzip ? "gzipRate" : "plainRate", 1_000_000 / seconds);
      r.put(gzip ? "gzipBytesPerReading" : "plainBytesPerReading", bytes / 1_000_000.0);
    }
    return r;
  }

  private static Map<String, Object> http(Map<String, String> o) throws Exception {
    int requests = Integer.parseInt(o.getOrDefault("requests", "3000"));
    byte[] body = (byte[]) batchBody().invoke(null, "bench-gateway", batches(1000, 1000).get(0), true);
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create(o.get("server") + "/v1/readings/batches"))
        .header("Authorization", "Bearer bench")
        .header("Idempotency-Key", "bench")
        .header("Content-Type", "application/json")
        .header("Content-Encoding", "gzip")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
    for (int i = 0; i < requests / 3; i++) {
      client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }
    long start = System.nanoTime();
    for (int i = 0; i < requests; i++) {
      client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("batchesPerSecond", requests / seconds);
    r.put("rate", requests * 1000 / seconds);
    r.put("bodyBytes", body.length);
    return r;
  }

  private static Map<String, Object> idle(Map<String, String> o) throws Exception {
    int seconds = Integer.parseInt(o.getOrDefault("seconds", "60"));
    String url = o.get("db");
    JdbcReadingSource source = JdbcReadingSource.builder(url, null, null).build();
    source.createSchema();
    SyncManager manager = SyncManager.builder()
        .setSource(source)
        .setGateway(HttpClientSystemGateway.builder(URI.create(o.get("server")), "bench-key", "bench-gateway").build())
        .setHistory(source.history())
        .build();
    manager.start();
    // Let start-up work (class loading, the first probe and heartbeat, JIT) finish first.
    Thread.sleep(15_000);
    Map<String, Long> threads0 = threadCpu();
    long cpu0 = processCpuNanos();
    long t0 = System.nanoTime();
    Thread.sleep(seconds * 1000L);
    double cpuSeconds = (processCpuNanos() - cpu0) / 1e9;
    double wall = (System.nanoTime() - t0) / 1e9;
    Map<String, Long> threads1 = threadCpu();
    manager.close();
    source.close();
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("seconds", wall);
    r.put("cpuSeconds", cpuSeconds);
    r.put("cpuPercentOfOneCore", 100 * cpuSeconds / wall);
    Map<String, Double> byThread = new LinkedHashMap<>();
    threads1.entrySet().stream()
        .map(e -> Map.entry(e.getKey(), e.getValue() - threads0.getOrDefault(e.getKey(), 0L)))
        .filter(e -> e.getValue() > 0)
        .sorted((x, y) -> Long.compare(y.getValue(), x.getValue()))
        .limit(6)
        .forEach(e -> byThread.put(e.getKey(), e.getValue() / 1e6));
    r.put("cpuMillisByThread", byThread);
    return r;
  }

  /** The same wait in a JVM that runs nothing: the floor under the idle cost. */
  private static Map<String, Object> baseline(Map<String, String> o) throws Exception {
    int seconds = Integer.parseInt(o.getOrDefault("seconds", "60"));
    Thread.sleep(15_000);
    long cpu0 = processCpuNanos();
    long t0 = System.nanoTime();
    Thread.sleep(seconds * 1000L);
    double cpuSeconds = (processCpuNanos() - cpu0) / 1e9;
    double wall = (System.nanoTime() - t0) / 1e9;
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("seconds", wall);
    r.put("cpuSeconds", cpuSeconds);
    r.put("cpuPercentOfOneCore", 100 * cpuSeconds / wall);
    return r;
  }

  /** CPU time of each live Java thread, by name (JVM-internal threads are not listed). */
  private static Map<String, Long> threadCpu() {
    java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Map<String, Long> cpu = new HashMap<>();
    for (java.lang.management.ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
      if (info != null) {
        long t = mx.getThreadCpuTime(info.getThreadId());
        if (t > 0) {
          cpu.merge(info.getThreadName(), t, Long::sum);
        }
      }
    }
    return cpu;
  }

  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** Samples the used heap every 10 ms; a sampled peak, not a GC log. */
  private static final class HeapSampler {
    private volatile boolean running = true;
    private volatile long peak;
    private final Thread thread = new Thread(() -> {
      while (running) {
        peak = Math.max(peak, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "bench-heap-sampler");

    HeapSampler() {
      thread.setDaemon(true);
      thread.start();
    }

    long stop() throws InterruptedException {
      running = false;
      thread.join();
      return peak;
    }
  }

  /** Bytes allocated by every thread since construction, threads started since included. */
  private static final class Allocation {
    private final com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private final Map<Long, Long> before = new HashMap<>();

    Allocation() {
      long[] ids = threads.getAllThreadIds();
      long[] bytes = threads.getThreadAllocatedBytes(ids);
      for (int i = 0; i < ids.length; i++) {
        before.put(ids[i], bytes[i]);
      }
    }

    long since() {
      long[] ids = threads.getAllThreadIds();
      long[] bytes = threads.getThreadAllocatedBytes(ids);
      long total = 0;
      for (int i = 0; i < ids.length; i++) {
        if (bytes[i] > 0) {
          total += bytes[i] - before.getOrDefault(ids[i], 0L);
        }
      }
      return total;
    }
  }
}

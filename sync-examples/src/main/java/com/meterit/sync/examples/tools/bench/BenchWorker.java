package com.meterit.sync.examples.tools.bench;

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
import java.lang.reflect.Method;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
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
    ReadingsTable names = BenchBacklog.table(o.getOrDefault("table", "meter_readings"));
    String table = o.getOrDefault("table", "meter_readings");
    BenchBacklog.populate(url, names, table, count, o.getOrDefault("data", "bench"));

    JdbcReadingSource source = JdbcReadingSource.builder(url, null, null).setTable(names).build();
    ClientSystemGateway gateway = queueOnly ? new NoopGateway()
        : HttpClientSystemGateway.builder(URI.create(o.get("server")), "bench-key", "bench-gateway")
            .setGzip(Boolean.parseBoolean(o.getOrDefault("gzip", "true")))
            .build();
    long[] thirdsAt = new long[3];
    AtomicLong synced = new AtomicLong();
    AtomicLong batches = new AtomicLong();
    AtomicLong wire = new AtomicLong();
    long[] startNanos = {0};
    SyncListener progress = new SyncListener() {
      @Override
      public void onBatchUploaded(UploadBatch b, UploadResult r) {
        long done = synced.addAndGet(r.acceptedCount());
        batches.incrementAndGet();
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
    Instruments.HeapSampler heap = new Instruments.HeapSampler();
    Instruments.Allocation allocation = new Instruments.Allocation();
    long cpu0 = Instruments.processCpuNanos();
    long startEpochMillis = System.currentTimeMillis();
    startNanos[0] = System.nanoTime();
    manager.start();
    manager.triggerSync().join();
    long end = System.nanoTime();
    long endEpochMillis = System.currentTimeMillis();
    long cpu = Instruments.processCpuNanos() - cpu0;
    long allocated = allocation.since();
    long peak = heap.stop();
    long pending = source.pendingCount();
    manager.close();
    source.close();
    BenchBacklog.drop(url, table);

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
    r.put("batches", batches.get());
    // Wall-clock bounds of the measured drain, to match against a system-call trace (fsyncs).
    r.put("startEpochMillis", startEpochMillis);
    r.put("endEpochMillis", endEpochMillis);
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
    ReadingsTable names = BenchBacklog.table(o.getOrDefault("table", "meter_readings"));
    String table = o.getOrDefault("table", "meter_readings");
    BenchBacklog.populate(url, names, table, count, o.getOrDefault("data", "bench"));
    long synced = 0;
    long cpu0 = Instruments.processCpuNanos();
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
    long cpu = Instruments.processCpuNanos() - cpu0;
    BenchBacklog.drop(url, table);
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
    BenchBacklog.Readings gen = new BenchBacklog.Readings();
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
    Map<String, Long> threads0 = Instruments.threadCpu();
    long cpu0 = Instruments.processCpuNanos();
    long t0 = System.nanoTime();
    Thread.sleep(seconds * 1000L);
    double cpuSeconds = (Instruments.processCpuNanos() - cpu0) / 1e9;
    double wall = (System.nanoTime() - t0) / 1e9;
    Map<String, Long> threads1 = Instruments.threadCpu();
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
    long cpu0 = Instruments.processCpuNanos();
    long t0 = System.nanoTime();
    Thread.sleep(seconds * 1000L);
    double cpuSeconds = (Instruments.processCpuNanos() - cpu0) / 1e9;
    double wall = (System.nanoTime() - t0) / 1e9;
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("seconds", wall);
    r.put("cpuSeconds", cpuSeconds);
    r.put("cpuPercentOfOneCore", 100 * cpuSeconds / wall);
    return r;
  }
}

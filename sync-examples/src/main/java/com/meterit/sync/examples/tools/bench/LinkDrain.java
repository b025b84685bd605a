package com.meterit.sync.examples.tools.bench;

import com.meterit.sync.api.SyncListener;
import com.meterit.sync.api.SyncRun;
import com.meterit.sync.api.UploadBatch;
import com.meterit.sync.api.UploadResult;
import com.meterit.sync.core.SyncManager;
import com.meterit.sync.core.SyncManagerBuilder;
import com.meterit.sync.core.http.HttpClientSystemGateway;
import com.meterit.sync.core.http.HttpClientSystemGatewayBuilder;
import com.meterit.sync.core.http.TrustMode;
import com.meterit.sync.jdbc.JdbcReadingSource;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One drain of an H2 Sync Database through {@code SyncManager}, {@code HttpClientSystemGateway}
 * and a {@link LinkEmulator} to the {@link BenchServer}, over plain HTTP or over TLS through a
 * {@link TlsBenchServer} (HTTP/1.1 or HTTP/2).
 *
 * <p>Two runs of the same manager: a warm-up of two batches opens the connection, fetches the
 * token and sends the start-up probe and heartbeat; then the measured backlog is loaded and
 * drained. Bytes are the emulator's counts between the two, so they are the measured batches'
 * own, headers and answers included, and nothing else.
 */
final class LinkDrain {
  private static final int WARMUP_BATCHES = 2;
  // Deadlines far above any batch's time on the slowest link, so that a slow link is measured
  // rather than timed out; a window of batches shares the link and waits longer still.
  private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration EXCHANGE_TIMEOUT = Duration.ofMinutes(10);

  /** The engine's settings for a run. */
  static final class Engine {
    /** The window a host gets without {@code setMaxInFlight}: the engine's default. */
    static final int DEFAULT_WINDOW = 0;

    final int batchSize;
    final int window;
    final boolean pipelining;
    final boolean gzip;

    Engine(int batchSize, int window, boolean pipelining, boolean gzip) {
      this.batchSize = batchSize;
      this.window = window;
      this.pipelining = pipelining;
      this.gzip = gzip;
    }

    /** {@code default}, or the host's {@code setMaxInFlight} value. */
    static String windowName(int window) {
      return window == DEFAULT_WINDOW ? "default" : Integer.toString(window);
    }

    /** The builder call that sets this window, or what its absence means. */
    String windowSetting() {
      return window == DEFAULT_WINDOW ? "no setMaxInFlight" : "setMaxInFlight(" + window + ")";
    }
  }

  /** Where the link leads: the plain bench server, or a TLS one with the certificate to trust. */
  static final class Target {
    /** {@code HTTP/1.1 plain}, {@code HTTP/1.1} (over TLS) or {@code HTTP/2} (over TLS). */
    final String protocol;
    final int port;
    /** The PEM certificate the gateway trusts in place of the JVM's, or null without TLS. */
    final Path trustedCertificate;

    Target(String protocol, int port, Path trustedCertificate) {
      this.protocol = protocol;
      this.port = port;
      this.trustedCertificate = trustedCertificate;
    }
  }

  private LinkDrain() {}

  /**
   * @param url an H2 database of its own, created here
   * @param readings how many readings the measured run drains
   * @param deadline how long the measured run may take before the drain is called failed
   */
  static LinkRun run(LinkProfile profile, Stalls stalls, Engine engine, Target target,
      String url, long readings, Duration deadline) throws Exception {
    try (LinkEmulator link = LinkEmulator.start(profile, target.port, stalls,
            deadline.plusMinutes(30));
        JdbcReadingSource source = JdbcReadingSource.builder(url, null, null).build()) {
      source.createSchema();
      BenchBacklog.Readings generator = new BenchBacklog.Readings();
      Progress progress = new Progress();
      HttpClientSystemGatewayBuilder gateway;
      if (target.trustedCertificate == null) {
        gateway = HttpClientSystemGateway.builder(link.url("/api"), "bench-key", "bench-gateway");
      } else {
        // The gateway offers h2 by ALPN over https, as it does for any host; the server decides.
        URI https = URI.create("https://127.0.0.1:" + link.address().getPort() + "/api");
        gateway = HttpClientSystemGateway.builder(https, "bench-key", "bench-gateway")
            .setTrustedCertificates(target.trustedCertificate, TrustMode.REPLACE);
      }
      SyncManagerBuilder builder = SyncManager.builder(source,
          gateway.setGzip(engine.gzip)
              .setRequestTimeout(REQUEST_TIMEOUT)
              .setExchangeTimeout(EXCHANGE_TIMEOUT)
              .build())
          .setBatchSize(engine.batchSize)
          .setPipelining(engine.pipelining)
          .setSyncInterval(Duration.ofHours(1))
          .setHeartbeatInterval(Duration.ofHours(1))
          .setConnectivityProbeInterval(Duration.ofHours(1))
          .addListener(progress);
      if (engine.window != Engine.DEFAULT_WINDOW) {
        builder.setMaxInFlight(engine.window);
      }
      String windowSetting = engine.windowSetting();
      try (SyncManager manager = builder.build()) {
        BenchBacklog.append(url, "meter_readings", generator,
            (long) WARMUP_BATCHES * engine.batchSize);
        manager.start();
        SyncRun warmup = manager.triggerSync().get(deadline.toSeconds(), TimeUnit.SECONDS);
        if (source.pendingCount() != 0) {
          throw new IllegalStateException("the warm-up did not drain: " + warmup);
        }

        BenchBacklog.append(url, "meter_readings", generator, readings);
        long up0 = link.uplinkBytes();
        long down0 = link.downlinkBytes();
        int connections0 = link.connectionsOpened();
        double loadBefore = loadAverage();
        progress.begin(readings);
        SyncRun run = manager.triggerSync().get(deadline.toSeconds(), TimeUnit.SECONDS);
        long end = System.nanoTime();
        int windowAtEnd = manager.getStatus().uploadWindow();
        return new LinkRun(profile, engine.window, windowSetting, target.protocol, engine.batchSize,
            engine.pipelining, run.readingsSynced(), run.batches(), (end - progress.start) / 1e9,
            link.uplinkBytes() - up0, run.bytesSent(), link.downlinkBytes() - down0,
            link.connectionsOpened() - connections0, progress.thirds(end),
            source.pendingCount(), run.outcome().toString(), windowAtEnd,
            new double[] {loadBefore, loadAverage()});
      }
    }
  }

  /** The machine's one-minute load average: the benchmark shares its cores with whatever runs. */
  private static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  /** The times at which the measured run passed each third of its backlog. */
  private static final class Progress implements SyncListener {
    private volatile long start;
    private volatile long total;
    private long synced;
    private final long[] thirdsAt = new long[3];

    void begin(long readings) {
      synchronized (this) {
        synced = 0;
        total = readings;
      }
      start = System.nanoTime();
    }

    @Override
    public synchronized void onBatchUploaded(UploadBatch batch, UploadResult result) {
      if (total == 0) {
        return;
      }
      synced += result.acceptedCount();
      long now = System.nanoTime();
      for (int t = 0; t < 3; t++) {
        if (thirdsAt[t] == 0 && synced >= total * (t + 1) / 3) {
          thirdsAt[t] = now;
        }
      }
    }

    /** Readings/s in each third; a third the run never reached counts to {@code end}. */
    synchronized List<Double> thirds(long end) {
      List<Double> rates = new ArrayList<>();
      long previous = start;
      for (int t = 0; t < 3; t++) {
        long at = thirdsAt[t] == 0 ? end : thirdsAt[t];
        rates.add((total / 3.0) / Math.max(1e-9, (at - previous) / 1e9));
        previous = at;
      }
      return rates;
    }
  }
}

package com.meterit.sync.examples;

import com.meterit.sync.api.ConfigurationException;
import com.meterit.sync.api.SyncException;
import com.meterit.sync.core.SyncConfig;
import com.meterit.sync.core.SyncManager;
import com.meterit.sync.core.http.HttpClientSystemGateway;
import com.meterit.sync.jdbc.JdbcReadingSource;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * The standalone sync agent: the original Sync Service as a process. Configured only from the
 * environment, it syncs the Sync Database to the Client System until SIGTERM or SIGINT, then
 * stops gracefully (the batch in flight is finished or released) and exits 0.
 *
 * <p>Exit codes: 0 after a graceful stop, 2 for bad configuration (a one-line message names the
 * variable), 3 when the Sync Database cannot be prepared.
 */
public final class SyncAgent {
  /** Optional: {@code true} allows plain http to a host other than loopback. */
  public static final String CLIENT_API_ALLOW_INSECURE_HTTP = "CLIENT_API_ALLOW_INSECURE_HTTP";
  /** How often synced readings and old history are purged. */
  static final Duration PURGE_EVERY = Duration.ofHours(1);

  private static final Logger log = LoggerFactory.getLogger("meter-sync-agent");

  private SyncAgent() {}

  public static void main(String[] args) {
    CountDownLatch stop = new CountDownLatch(1);
    // Handling the signals, rather than a shutdown hook, lets the agent stop gracefully and then
    // exit 0; after a hook the JVM exits 143 on SIGTERM.
    for (String signal : new String[] {"TERM", "INT"}) {
      Signal.handle(new Signal(signal), s -> stop.countDown());
    }
    System.exit(run(System.getenv(), stop, System.err));
  }

  /**
   * Runs the agent until {@code stop} opens.
   *
   * @return the process exit code
   */
  static int run(Map<String, String> env, CountDownLatch stop, PrintStream err) {
    SyncManager manager;
    JdbcReadingSource source;
    try {
      SyncConfig config = SyncConfig.fromEnv(env);
      HttpClientSystemGateway gateway = gateway(config, env);
      source = JdbcReadingSource.fromEnv(env);
      source.createSchema();
      ProgressReporter reporter = new ProgressReporter(source, log::info);
      manager = SyncManager.builder(source, gateway)
          .setConfig(config)
          .setHistory(source.history())
          .addListener(reporter)
          .build();
      reporter.attach(manager);
      log.info("Syncing {} to {} as gateway {}", source, config.clientApiUrl(), config.gatewayId());
    } catch (ConfigurationException e) {
      err.println("meter-sync-agent: " + e.getMessage());
      return 2;
    } catch (SyncException e) {
      err.println("meter-sync-agent: the Sync Database could not be prepared: " + e.getMessage());
      return 3;
    }

    ScheduledExecutorService retention = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "meter-sync-retention");
      t.setDaemon(true);
      return t;
    });
    JdbcReadingSource queue = source;
    retention.scheduleWithFixedDelay(() -> {
      try {
        queue.purge();
      } catch (RuntimeException e) {
        log.warn("Purge failed; it runs again in {}", PURGE_EVERY, e);
      }
    }, PURGE_EVERY.toMinutes(), PURGE_EVERY.toMinutes(), TimeUnit.MINUTES);

    manager.start();
    try {
      stop.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    log.info("Stopping: finishing or releasing the batch in flight");
    retention.shutdownNow();
    manager.close();
    log.info("Stopped; {} readings stay queued", manager.getStatus().pendingReadings());
    source.close();
    return 0;
  }

  private static HttpClientSystemGateway gateway(SyncConfig config, Map<String, String> env) {
    String insecure = env.getOrDefault(CLIENT_API_ALLOW_INSECURE_HTTP, "false").trim();
    if (!insecure.equals("true") && !insecure.equals("false")) {
      throw new ConfigurationException(CLIENT_API_ALLOW_INSECURE_HTTP,
          CLIENT_API_ALLOW_INSECURE_HTTP + " must be true or false: '" + insecure + "'");
    }
    try {
      return HttpClientSystemGateway.builder(config.clientApiUrl(), config.apiKey(), config.gatewayId())
          .setAllowInsecureHttp(Boolean.parseBoolean(insecure))
          .build();
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(SyncConfig.CLIENT_API_URL,
          SyncConfig.CLIENT_API_URL + ": " + e.getMessage());
    }
  }
}

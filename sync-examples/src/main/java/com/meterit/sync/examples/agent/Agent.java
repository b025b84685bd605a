package com.meterit.sync.examples.agent;

import com.meterit.sync.api.ConfigurationException;
import com.meterit.sync.api.RemoteConfig;
import com.meterit.sync.api.SyncException;
import com.meterit.sync.api.SyncListener;
import com.meterit.sync.core.SyncConfig;
import com.meterit.sync.core.time.Scheduler;
import com.meterit.sync.core.SyncManager;
import com.meterit.sync.core.http.HttpClientSystemGateway;
import com.meterit.sync.core.internal.HumanDuration;
import com.meterit.sync.jdbc.JdbcReadingSource;
import com.meterit.sync.jdbc.SqliteSettings;
import java.io.PrintStream;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's life: configuration, waiting for the Sync Database, syncing until told to stop.
 * Every user error ends in one line on stderr and an {@link SyncAgent exit code}, never a stack
 * trace.
 */
final class Agent {
  /** How often synced readings and old history are purged. */
  static final Duration PURGE_EVERY = Duration.ofHours(1);

  private final Logger log = LoggerFactory.getLogger("meter-sync-agent");
  private final Map<String, String> env;
  private final CountDownLatch stop;
  private final PrintStream err;

  Agent(Map<String, String> env, CountDownLatch stop, PrintStream err) {
    this.env = env;
    this.stop = stop;
    this.err = err;
  }

  /** Runs until {@code stop} opens; returns the exit code. */
  int run() {
    SyncConfig config;
    HttpClientSystemGateway gateway;
    try {
      config = SyncConfig.fromEnv(env);
      gateway = HttpClientSystemGateway.fromConfig(config);
    } catch (ConfigurationException e) {
      return fail(SyncAgent.EXIT_CONFIGURATION, e.getMessage());
    }
    JdbcReadingSource source;
    try {
      source = openDatabase();
    } catch (ConfigurationException e) {
      return fail(SyncAgent.EXIT_CONFIGURATION, e.getMessage());
    } catch (SyncException e) {
      return fail(SyncAgent.EXIT_DATABASE, "the Sync Database cannot be used: " + e.getMessage());
    }
    if (source == null) {
      log.info("Stopped while waiting for the Sync Database");
      return SyncAgent.EXIT_OK;
    }

    ScheduledExecutorService agentThread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "meter-sync-agent");
      t.setDaemon(true);
      return t;
    });
    ProgressReporter reporter = new ProgressReporter(source, log::info);
    AtomicInteger brokenStore = new AtomicInteger(SyncAgent.EXIT_OK);
    AtomicReference<SyncManager> built = new AtomicReference<>();
    StoreWatch storeWatch = new StoreWatch(storeOf(source), Scheduler.of(agentThread),
        () -> built.get().triggerSync(), code -> {
          brokenStore.set(code);
          stop.countDown();
        }, log::warn);
    SyncManager manager = SyncManager.builder()
        .setSource(source)
        .setGateway(gateway)
        .setConfig(config)
        .setHistory(source.history())
        .addListener(reporter)
        .addListener(storeWatch)
        .addListener(new Narrator(new Reachability(config.clientApiUrl(), gateway.sslContext(), Reachability.DEFAULT_TIMEOUT),
            agentThread))
        .build();
    reporter.attach(manager);
    built.set(manager);
    agentThread.scheduleWithFixedDelay(() -> {
      try {
        source.purge();
      } catch (RuntimeException e) {
        log.warn("Purge failed; it runs again in {} min: {}", PURGE_EVERY.toMinutes(), e.getMessage());
      }
    }, PURGE_EVERY.toMinutes(), PURGE_EVERY.toMinutes(), TimeUnit.MINUTES);

    log.info("Syncing {} to {} as gateway {}, every {}, {} readings per batch", source,
        config.clientApiUrl(), config.gatewayId(), HumanDuration.of(config.syncInterval()),
        config.batchSize());
    manager.start();
    awaitStop();
    log.info(brokenStore.get() == SyncAgent.EXIT_OK
        ? "Stopping: finishing or releasing the batch in flight"
        : "Stopping: the Sync Database stays broken; releasing what the agent holds");
    manager.close();
    agentThread.shutdownNow();
    log.info("Stopped; {} readings stay queued",
        ProgressReporter.pending(manager.getStatus().pendingReadings()));
    // Gives up the pool and, on H2 and SQLite, the drainer lock, before a supervisor restarts.
    source.close();
    int code = brokenStore.get();
    if (code == SyncAgent.EXIT_DATABASE) {
      return fail(code, "the Sync Database is damaged (corrupted, not a database, or a schema "
          + "this agent cannot use) and stays so after reopening; an operator must look");
    }
    return code == SyncAgent.EXIT_OK ? code
        : fail(code, "the Sync Database stays unavailable after reopening; a restart may cure it");
  }

  private static StoreWatch.Store storeOf(JdbcReadingSource source) {
    return new StoreWatch.Store() {
      @Override
      public void reopen() {
        source.reopen();
      }

      @Override
      public void probe() {
        source.pendingCount(0);
      }
    };
  }

  /**
   * Waits for the Sync Database to answer, then opens it and prepares its schema.
   *
   * @return null when stopped while waiting
   */
  private JdbcReadingSource openDatabase() {
    String url = SyncDatabase.url(env);
    H2Files.prepare(url);
    // Before the probe opens it: SQLite would make the file with the process's umask.
    SqliteSettings.createPrivateFile(url);
    while (true) {
      try {
        if (!DatabaseWait.await(() -> probe(url), stop, DatabaseWait.DEFAULT_FIRST_DELAY,
            DatabaseWait.DEFAULT_MAX_DELAY, log::info)) {
          return null;
        }
      } catch (SQLException e) {
        throw refusal(e);
      }
      JdbcReadingSource source;
      try {
        source = JdbcReadingSource.fromEnv(env);
      } catch (ConfigurationException e) {
        // It answered a moment ago; if it went away again, wait again rather than give up.
        if (stillAnswers(url)) {
          throw e;
        }
        continue;
      }
      try {
        source.createSchema();
        return source;
      } catch (RuntimeException e) {
        source.close();
        throw e;
      }
    }
  }

  private void probe(String url) throws SQLException {
    SyncDatabase.probe(url, env);
  }

  private boolean stillAnswers(String url) {
    try {
      probe(url);
      return true;
    } catch (SQLException e) {
      return !DatabaseWait.notUpYet(e);
    }
  }

  private static RuntimeException refusal(SQLException e) {
    if (DatabaseWait.badCredentials(e)) {
      return new ConfigurationException(JdbcReadingSource.SYNC_DB_USER, "the Sync Database refused "
          + "the credentials; check SYNC_DB_USER and SYNC_DB_PASSWORD: " + DatabaseWait.reason(e));
    }
    return new SyncException(DatabaseWait.reason(e));
  }

  private void awaitStop() {
    try {
      stop.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private int fail(int code, String message) {
    err.println("meter-sync-agent: " + message);
    return code;
  }

  /** Says what changed, in one line each: connectivity with the reason, configuration. */
  private final class Narrator implements SyncListener {
    private final Reachability reachability;
    private final ScheduledExecutorService thread;

    Narrator(Reachability reachability, ScheduledExecutorService thread) {
      this.reachability = reachability;
      this.thread = thread;
    }

    @Override
    public void onConnectivityChanged(boolean connected) {
      if (connected) {
        log.info("Client System reachable again");
        return;
      }
      try {
        // The diagnosis waits on the network: on the agent's thread, never the engine's.
        thread.execute(() -> log.info("Client System unreachable ({}); readings queue locally "
            + "until it returns", reachability.diagnose()));
      } catch (RejectedExecutionException e) {
        log.info("Client System unreachable while stopping");
      }
    }

    @Override
    public void onConfigurationApplied(RemoteConfig config) {
      log.info("Applied remote configuration {}", config.version());
    }
  }
}

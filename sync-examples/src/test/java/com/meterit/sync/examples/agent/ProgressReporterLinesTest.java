package com.meterit.sync.examples.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.meterit.sync.api.BackoffPolicy;
import com.meterit.sync.api.Claim;
import com.meterit.sync.api.ReadingSource;
import com.meterit.sync.core.SyncManager;
import com.meterit.sync.core.http.HttpClientSystemGateway;
import com.meterit.sync.core.testing.ForwardingReadingSource;
import com.meterit.sync.core.testing.InMemoryReadingSource;
import com.meterit.sync.core.testing.ManualClock;
import com.meterit.sync.core.testing.ManualScheduler;
import com.meterit.sync.examples.tools.simulator.Fault;
import com.meterit.sync.examples.tools.simulator.SimulatedClientSystem;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The agent's per-run lines, word for word, from a real manager against the simulated Client
 * System: a run that got no answer does not say online, and a stop is not a failure.
 */
class ProgressReporterLinesTest {
  private static final String KEY = "lines-test-key";

  private final ManualClock clock = new ManualClock(Instant.parse("2026-05-01T10:00:00Z"));
  private final InMemoryReadingSource queue = new InMemoryReadingSource(clock, Duration.ofMinutes(5));
  private final List<String> lines = new CopyOnWriteArrayList<>();

  /** A manager whose runs, probes and timers happen only when the test says. */
  private SyncManager manager(SimulatedClientSystem server, ReadingSource source) {
    ProgressReporter reporter = new ProgressReporter(source, lines::add);
    SyncManager manager = SyncManager.builder()
        .setSource(source)
        .setGateway(HttpClientSystemGateway.builder(server.url(), KEY, "gw-lines")
            .setAllowInsecureHttp(true).build())
        .setClock(clock).setTicker(clock).setScheduler(new ManualScheduler(clock))
        .setExecutor(Runnable::run).setBackgroundExecutor(Runnable::run)
        .setUploadExecutor(Runnable::run)
        .setMaxRetries(1).setBackoffPolicy(BackoffPolicy.none()).setSleeper(d -> { })
        .addListener(reporter)
        .build();
    reporter.attach(manager);
    return manager;
  }

  /** The rate depends on the machine's speed: everything else is compared as it is. */
  private List<String> shown() {
    List<String> shown = new CopyOnWriteArrayList<>();
    lines.forEach(l -> shown.add(l.replaceAll("\\| \\d+ readings/s \\|", "| N readings/s |")));
    return shown;
  }

  @Test
  void aRunThatGotNoAnswerSaysUnreachableNotOnline() throws Exception {
    queue.addSample(3);
    try (SimulatedClientSystem server = SimulatedClientSystem.start(KEY)) {
      server.setFault(Fault.DOWN);
      try (SyncManager manager = manager(server, queue)) {
        manager.start();
        String batch = queue.claim(10).batch().batchId();

        assertEquals(List.of("run FAILED | state=IDLE | pending=3 | synced=0 | rejected=0 | "
            + "N readings/s | unreachable | failed: upload of batch " + batch + " failed after 1 "
            + "retries: authentication failed: the connection closed before an answer"), shown());
      }
    }
  }

  @Test
  void aGracefulStopIsLoggedAsAStopNotAFailure() throws Exception {
    queue.addSample(3);
    AtomicBoolean stopped = new AtomicBoolean();
    SyncManager[] manager = new SyncManager[1];
    ReadingSource stopsOnClaim = new ForwardingReadingSource(queue) {
      @Override
      public Claim claim(int maxReadings) {
        if (stopped.compareAndSet(false, true)) {
          manager[0].stop();
        }
        return super.claim(maxReadings);
      }
    };
    try (SimulatedClientSystem server = SimulatedClientSystem.start(KEY)) {
      manager[0] = manager(server, stopsOnClaim);
      manager[0].start();
      manager[0].close();

      assertEquals(List.of("run INTERRUPTED | state=STOPPING | pending=3 | synced=0 | "
          + "rejected=0 | N readings/s | online | stopped on request; unsent readings stay "
          + "queued"), shown());
    }
  }
}

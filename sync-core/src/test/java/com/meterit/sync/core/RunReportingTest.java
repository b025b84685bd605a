package com.meterit.sync.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.meterit.sync.api.AuthenticationFailedException;
import com.meterit.sync.api.SyncOutcome;
import com.meterit.sync.api.SyncState;
import com.meterit.sync.api.SyncStatus;
import com.meterit.sync.api.TransientGatewayException;
import com.meterit.sync.core.testing.Harness;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** What a finished run leaves in the status, the log and the connectivity probe. */
class RunReportingTest {
  private final Harness h = new Harness();
  private final Logger logger = (Logger) LoggerFactory.getLogger(RunReporter.class);
  private final ListAppender<ILoggingEvent> log = new ListAppender<>();

  @BeforeEach
  void capture() {
    log.start();
    logger.addAppender(log);
  }

  @AfterEach
  void release() {
    logger.detachAppender(log);
  }

  private List<String> logged(Level level) {
    return log.list.stream().filter(e -> e.getLevel() == level)
        .map(ILoggingEvent::getFormattedMessage).collect(Collectors.toList());
  }

  private static TransientGatewayException timeout() {
    return new TransientGatewayException("request timed out", new IOException("timed out"));
  }

  @Test
  void theStatusNamesWhenTheLastRunStartedAndWhenOneLastSucceeded() {
    h.source().addSample(2);
    Instant start = h.clock().instant();
    SyncManager manager = h.builder().build();
    manager.start();

    h.clock().advance(Duration.ofMinutes(1));
    SyncStatus status = manager.getStatus();
    assertEquals(Optional.of(start), status.lastAttemptAt());
    assertEquals(Optional.of(start), status.lastSuccessAt());
  }

  @Test
  void aRunLogsWhatItSyncedAndAnEmptyRunLogsNothing() {
    h.source().addSample(2);
    SyncManager manager = h.builder().build();
    manager.start();
    assertEquals(1, logged(Level.INFO).stream()
        .filter(m -> m.startsWith("Sync run done: 2 synced, 0 rejected")).count(), log.list.toString());

    log.list.clear();
    assertEquals(SyncOutcome.SUCCEEDED, manager.triggerSync().join().outcome());
    assertTrue(logged(Level.INFO).stream().noneMatch(m -> m.startsWith("Sync run done")),
        log.list.toString());
  }

  @Test
  void theSameFailureTwiceIsWarnedOnceAndLeavesTheManagerIdle() {
    h.source().addSample(2);
    h.gateway().failNextUploads(timeout(), timeout());
    SyncManager manager = h.builder().setMaxRetries(0).build();
    manager.start();
    assertEquals(SyncOutcome.FAILED, manager.triggerSync().join().outcome());

    List<String> warnings = logged(Level.WARN).stream()
        .filter(m -> m.startsWith("Sync run failed")).collect(Collectors.toList());
    assertEquals(1, warnings.size(), warnings.toString());
    assertEquals(SyncState.IDLE, manager.getStatus().state());
  }

  @Test
  void aFailedRunAsksForAProbeUnlessTheServerRefusedTheKeyOrTheGateway() {
    SyncManager manager = h.builder().setMaxRetries(0).build();
    manager.start();
    h.scheduler().runDueTasks();
    int before = h.gateway().probes();

    h.source().addSample(2);
    h.gateway().failNextUploads(timeout());
    assertEquals(SyncOutcome.FAILED, manager.triggerSync().join().outcome());
    h.scheduler().runDueTasks();
    assertEquals(before + 1, h.gateway().probes(),
        "a failed upload may mean the server is gone: probe at once");

    h.gateway().failNextUploads(new AuthenticationFailedException(
        "the Client System refused the API key (HTTP 401)", 401, null));
    assertEquals(SyncOutcome.FAILED, manager.triggerSync().join().outcome());
    h.scheduler().runDueTasks();
    assertEquals(SyncState.AUTH_FAILED, manager.getStatus().state());
    assertEquals(before + 1, h.gateway().probes(), "a refused key says the server is there");

    h.gateway().setForbidden(true);
    assertEquals(SyncOutcome.FAILED, manager.triggerSync().join().outcome());
    h.scheduler().runDueTasks();
    assertEquals(SyncState.DISABLED, manager.getStatus().state());
    assertEquals(before + 1, h.gateway().probes(), "so does a disabled gateway");
  }
}

package com.meterit.sync.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.api.BackoffPolicy;
import com.meterit.sync.api.ReadingSource;
import com.meterit.sync.api.TransientGatewayException;
import com.meterit.sync.core.SyncManager;
import com.meterit.sync.core.testing.FakeClientSystemGateway;
import com.meterit.sync.core.testing.Harness;
import com.meterit.sync.core.testing.InMemoryReadingSource;
import com.meterit.sync.core.testing.ManualClock;
import com.meterit.sync.core.testing.ManualScheduler;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SyncMetricsTest {
  private final Harness h = new Harness();
  private final ManualClock clock = h.clock();
  private final ManualScheduler scheduler = h.scheduler();
  private final AtomicInteger backlogReads = new AtomicInteger();
  private final InMemoryReadingSource source = h.source();
  /** The source, counting reads of the backlog. */
  private final ReadingSource counted = (ReadingSource) Proxy.newProxyInstance(
      ReadingSource.class.getClassLoader(), new Class<?>[] {ReadingSource.class},
      (proxy, method, args) -> {
        if (method.getName().equals("pendingCount")) {
          backlogReads.incrementAndGet();
        }
        try {
          return method.invoke(source, args);
        } catch (InvocationTargetException e) {
          throw e.getCause();
        }
      });
  private final FakeClientSystemGateway gateway = h.gateway();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private SyncManager manager() {
    return h.builder()
        .setSource(counted)
        .setBatchSize(500)
        .setMaxRetries(0)
        .setBackoffPolicy(BackoffPolicy.none())
        .setSleeper(d -> { })
        .build();
  }

  private double value(String name, Tag... tags) {
    return registry.get(name).tags(java.util.Arrays.asList(tags)).meter().measure()
        .iterator().next().getValue();
  }

  @Test
  void theMetersCountWhatTheManagerDid() {
    source.addSample(2_000);
    gateway.rejectReadings(r -> r.id() % 100 == 0, "unknown meter");
    SyncManager manager = manager();
    SyncMetrics.monitor(registry, manager, Tag.of("gateway", "gw-7"));
    manager.start();

    Tag gw = Tag.of("gateway", "gw-7");
    assertEquals(1_980, value(SyncMetrics.READINGS_SYNCED, gw));
    assertEquals(20, value(SyncMetrics.READINGS_REJECTED, gw));
    assertEquals(manager.getTotals().bytesSent(), value(SyncMetrics.BYTES_SENT, gw));
    assertTrue(value(SyncMetrics.BYTES_SENT, gw) > 2_000);
    assertEquals(1, value(SyncMetrics.RUNS, gw));
    assertEquals(0, value(SyncMetrics.RUNS_FAILED, gw));
    assertEquals(0, value(SyncMetrics.READINGS_PENDING, gw));
    assertEquals(0, value(SyncMetrics.LAG, gw));
    assertEquals(1, value(SyncMetrics.STATE, gw, Tag.of("state", "IDLE")));
    assertEquals(0, value(SyncMetrics.STATE, gw, Tag.of("state", "OFFLINE")));
    assertEquals(1, value(SyncMetrics.HEALTH, gw, Tag.of("health", "HEALTHY")));
    assertEquals(0, value(SyncMetrics.HEALTH, gw, Tag.of("health", "FAILING")));
    FunctionTimer runs = registry.get(SyncMetrics.RUN_DURATION).functionTimer();
    assertEquals(1, runs.count());

    // A failed run, five minutes long, on a queue that waited an hour.
    source.add("meter-1", clock.instant().minus(Duration.ofHours(1)), BigDecimal.ONE, "kWh");
    gateway.beforeUpload(batch -> clock.advance(Duration.ofMinutes(5)));
    gateway.failNextUploads(new TransientGatewayException("unavailable", new IOException("503")));
    manager.triggerSync().join();

    assertEquals(2, value(SyncMetrics.RUNS, gw));
    assertEquals(1, value(SyncMetrics.RUNS_FAILED, gw));
    assertEquals(2, runs.count());
    assertEquals(manager.getTotals().runTime().toMillis(), runs.totalTime(TimeUnit.MILLISECONDS));
    assertTrue(runs.totalTime(TimeUnit.MINUTES) >= 5);
    assertEquals(1, value(SyncMetrics.READINGS_PENDING, gw));
    assertEquals(Duration.ofMinutes(65).getSeconds(), value(SyncMetrics.LAG, gw));
    assertEquals(1, value(SyncMetrics.HEALTH, gw, Tag.of("health", "DEGRADED")));
    assertEquals("meter.sync.readings.synced", SyncMetrics.READINGS_SYNCED);
    assertEquals("readings", registry.get(SyncMetrics.READINGS_SYNCED).meter().getId().getBaseUnit());
    assertEquals("bytes", registry.get(SyncMetrics.BYTES_SENT).meter().getId().getBaseUnit());
  }

  @Test
  void aScrapeNeverReadsTheSource() {
    source.addSample(10);
    SyncManager manager = manager();
    SyncMetrics.monitor(registry, manager);
    manager.start();
    int before = backlogReads.get();
    for (int i = 0; i < 50; i++) {
      for (Meter meter : registry.getMeters()) {
        meter.measure().forEach(m -> m.getValue());
      }
    }
    assertEquals(before, backlogReads.get());
  }
}

package com.meterit.sync.examples;

import com.meterit.sync.core.SyncManager;
import com.meterit.sync.core.metrics.SyncMetrics;
import com.meterit.sync.core.testing.FakeClientSystemGateway;
import com.meterit.sync.core.testing.InMemoryReadingSource;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A manager's metrics in Micrometer, bound with one call. Micrometer is optional: add
 * {@code io.micrometer:micrometer-core} and the registry of your monitoring system (Prometheus,
 * OTLP, your gateway's own telemetry), then call {@link SyncMetrics#monitor}. Scrapes never query
 * the Sync Database: the backlog gauges read the status cached after each run and heartbeat tick.
 *
 * <p>Run it: {@code java -cp sync-examples/target/meter-sync-tools.jar
 * com.meterit.sync.examples.MetricsExample}
 */
public final class MetricsExample {
  private MetricsExample() {}

  /**
   * The registry's meters, one line per measurement, sorted: {@code name{tags} statistic value}.
   */
  static String render(MeterRegistry registry) {
    StringBuilder text = new StringBuilder();
    registry.getMeters().stream()
        .sorted(Comparator.comparing((Meter m) -> m.getId().getName())
            .thenComparing(m -> m.getId().getTags().toString()))
        .forEach(meter -> {
          String tags = meter.getId().getTags().stream()
              .map(t -> t.getKey() + "=\"" + t.getValue() + "\"")
              .collect(Collectors.joining(",", "{", "}"));
          for (Measurement m : meter.measure()) {
            text.append(String.format(Locale.ROOT, "%s%s %s %s%n", meter.getId().getName(), tags,
                m.getStatistic().getTagValueRepresentation(), m.getValue()));
          }
        });
    return text.toString();
  }

  public static void main(String[] args) {
    InMemoryReadingSource source = new InMemoryReadingSource();
    source.addSample(5_000);
    FakeClientSystemGateway gateway = new FakeClientSystemGateway()
        .rejectReadings(r -> r.id() % 1000 == 0, "unknown meter");
    SyncManager manager = SyncManager.builder()
        .setSource(source)
        .setGateway(gateway)
        .build();

    MeterRegistry registry = new SimpleMeterRegistry();   // or your monitoring system's registry
    SyncMetrics.monitor(registry, manager, Tag.of("gateway", "gw-example"));

    manager.start();
    manager.triggerSync().join();
    manager.close();
    System.out.print(render(registry));
  }
}

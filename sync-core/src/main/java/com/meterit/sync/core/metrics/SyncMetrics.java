package com.meterit.sync.core.metrics;

import com.meterit.sync.api.Health;
import com.meterit.sync.api.SyncState;
import com.meterit.sync.api.SyncStatus;
import com.meterit.sync.core.SyncManager;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Binds a {@link SyncManager}'s metrics to a Micrometer {@link MeterRegistry}, in one call:
 *
 * <pre>{@code
 * SyncMetrics.monitor(registry, manager);
 * }</pre>
 *
 * <p>Every meter reads the manager when the registry is scraped, and never the Sync Database:
 * the backlog gauges read {@link SyncManager#getCachedStatus()} (the backlog as of the last run
 * or heartbeat tick), the counters and the timer read {@link SyncManager#getTotals()}. So a
 * scrape every second costs no query. The meters, with their base units:
 *
 * <table>
 * <caption>Meters</caption>
 * <tr><th>name</th><th>type</th><th>meaning</th></tr>
 * <tr><td>{@value #READINGS_PENDING}</td><td>gauge, readings</td><td>readings waiting; NaN when
 *     the queue could not be read</td></tr>
 * <tr><td>{@value #LAG}</td><td>time gauge, seconds</td><td>age of the oldest pending reading; 0
 *     when nothing is pending</td></tr>
 * <tr><td>{@value #READINGS_SYNCED}</td><td>counter, readings</td><td>readings the server
 *     accepted</td></tr>
 * <tr><td>{@value #READINGS_REJECTED}</td><td>counter, readings</td><td>readings
 *     quarantined</td></tr>
 * <tr><td>{@value #BYTES_SENT}</td><td>counter, bytes</td><td>request bytes on the wire</td></tr>
 * <tr><td>{@value #RUNS}</td><td>counter, runs</td><td>runs, whatever their outcome</td></tr>
 * <tr><td>{@value #RUNS_FAILED}</td><td>counter, runs</td><td>runs that failed</td></tr>
 * <tr><td>{@value #RUN_DURATION}</td><td>function timer</td><td>count and total time of
 *     runs</td></tr>
 * <tr><td>{@value #STATE}</td><td>gauge per {@code state} tag</td><td>1 for the current
 *     {@link SyncState}, 0 for the others</td></tr>
 * <tr><td>{@value #HEALTH}</td><td>gauge per {@code health} tag</td><td>1 for the current
 *     {@link Health}, 0 for the others</td></tr>
 * </table>
 *
 * <p>The counters start at zero when the manager is built, as monitoring systems that take rates
 * expect. The registry holds the manager weakly, as Micrometer does for every gauge: keep a
 * reference to the manager for as long as it runs. Thread-safe.
 */
public final class SyncMetrics implements MeterBinder {
  /** The gauge of pending readings. */
  public static final String READINGS_PENDING = "meter.sync.readings.pending";
  /** The time gauge of the sync lag. */
  public static final String LAG = "meter.sync.lag";
  /** The counter of readings the server accepted. */
  public static final String READINGS_SYNCED = "meter.sync.readings.synced";
  /** The counter of readings quarantined. */
  public static final String READINGS_REJECTED = "meter.sync.readings.rejected";
  /** The counter of request bytes sent. */
  public static final String BYTES_SENT = "meter.sync.bytes.sent";
  /** The counter of runs. */
  public static final String RUNS = "meter.sync.runs";
  /** The counter of failed runs. */
  public static final String RUNS_FAILED = "meter.sync.runs.failed";
  /** The timer of run durations. */
  public static final String RUN_DURATION = "meter.sync.run.duration";
  /** The state gauges, one per {@link SyncState}, tagged {@code state}. */
  public static final String STATE = "meter.sync.state";
  /** The health gauges, one per {@link Health}, tagged {@code health}. */
  public static final String HEALTH = "meter.sync.health";

  private static final String READINGS = "readings";
  private static final String RUNS_UNIT = "runs";

  private final SyncManager manager;
  private final Tags tags;

  /**
   * Metrics of {@code manager}, each tagged with {@code tags} (for a host that runs several
   * managers, say {@code Tag.of("gateway", "gw-7")}).
   *
   * @param manager the manager to observe
   * @param tags tags added to every meter
   */
  public SyncMetrics(SyncManager manager, Iterable<Tag> tags) {
    this.manager = Objects.requireNonNull(manager, "manager");
    this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
  }

  /**
   * Binds the metrics of {@code manager} to {@code registry}: the one call a host needs.
   *
   * @param registry where the meters go
   * @param manager the manager to observe
   * @param tags tags added to every meter
   * @return the binder, already bound
   */
  public static SyncMetrics monitor(MeterRegistry registry, SyncManager manager, Tag... tags) {
    Objects.requireNonNull(registry, "registry");
    SyncMetrics metrics = new SyncMetrics(manager, Tags.of(tags));
    metrics.bindTo(registry);
    return metrics;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    Gauge.builder(READINGS_PENDING, manager, m -> pending(m.getCachedStatus()))
        .description("Readings waiting in the Sync Database, as last read")
        .baseUnit(READINGS)
        .tags(tags)
        .register(registry);
    TimeGauge.builder(LAG, manager, TimeUnit.SECONDS, m -> lagSeconds(m.getCachedStatus()))
        .description("Age of the oldest pending reading")
        .tags(tags)
        .register(registry);
    counter(registry, READINGS_SYNCED, "Readings the Client System accepted", READINGS,
        m -> m.getTotals().readingsSynced());
    counter(registry, READINGS_REJECTED, "Readings quarantined", READINGS,
        m -> m.getTotals().readingsRejected());
    counter(registry, BYTES_SENT, "Request bytes sent to the Client System", BaseUnits.BYTES,
        m -> m.getTotals().bytesSent());
    counter(registry, RUNS, "Sync runs, whatever their outcome", RUNS_UNIT,
        m -> m.getTotals().runs());
    counter(registry, RUNS_FAILED, "Sync runs that failed", RUNS_UNIT,
        m -> m.getTotals().failures());
    FunctionTimer.builder(RUN_DURATION, manager, m -> m.getTotals().runs(),
            m -> m.getTotals().runTime().toNanos(), TimeUnit.NANOSECONDS)
        .description("Duration of sync runs")
        .tags(tags)
        .register(registry);
    for (SyncState state : SyncState.values()) {
      Gauge.builder(STATE, manager, m -> m.getCachedStatus().state() == state ? 1 : 0)
          .description("1 for the engine's current state")
          .tags(tags)
          .tag("state", state.name())
          .register(registry);
    }
    for (Health health : Health.values()) {
      Gauge.builder(HEALTH, manager, m -> m.getCachedStatus().health().health() == health ? 1 : 0)
          .description("1 for the engine's current health verdict")
          .tags(tags)
          .tag("health", health.name())
          .register(registry);
    }
  }

  private void counter(MeterRegistry registry, String name, String description, String unit,
      ToDoubleFunction<SyncManager> count) {
    FunctionCounter.builder(name, manager, count)
        .description(description)
        .baseUnit(unit)
        .tags(tags)
        .register(registry);
  }

  private static double pending(SyncStatus status) {
    // An unknown backlog is no number: NaN, which a scrape shows as absent, never -1.
    return status.pendingReadings().isPresent() ? status.pendingReadings().getAsLong() : Double.NaN;
  }

  private static double lagSeconds(SyncStatus status) {
    Duration lag = status.syncLag().orElse(Duration.ZERO);
    return lag.toNanos() / 1e9;
  }

  @Override
  public String toString() {
    return "SyncMetrics{" + manager + ", tags=" + tags + '}';
  }
}

package com.meterit.sync.examples;

import com.meterit.sync.api.Rejection;
import com.meterit.sync.api.SyncListener;
import com.meterit.sync.api.SyncRun;
import com.meterit.sync.api.SyncState;
import com.meterit.sync.api.UploadBatch;
import com.meterit.sync.api.UploadResult;
import com.meterit.sync.core.SyncManager;
import com.meterit.sync.core.testing.FakeClientSystemGateway;
import com.meterit.sync.core.testing.InMemoryReadingSource;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * A {@link SyncListener} that exports metrics, rendered here in the Prometheus text format. Wire
 * the counters to Micrometer, OpenTelemetry or your gateway's own telemetry the same way.
 * Listener methods run on the engine's threads: keep them quick and never let them block.
 *
 * <p>Run it: {@code java -cp sync-examples/target/meter-sync-agent.jar
 * com.meterit.sync.examples.MetricsListenerExample}
 */
public final class MetricsListenerExample implements SyncListener {
  private final LongAdder runs = new LongAdder();
  private final LongAdder failedRuns = new LongAdder();
  private final LongAdder readingsSynced = new LongAdder();
  private final LongAdder readingsRejected = new LongAdder();
  private final LongAdder bytesSent = new LongAdder();
  private final LongAdder readingsDropped = new LongAdder();
  private final AtomicReference<SyncState> state = new AtomicReference<>(SyncState.STOPPED);

  @Override
  public void onBatchUploaded(UploadBatch batch, UploadResult result) {
    readingsSynced.add(result.acceptedCount());
    bytesSent.add(result.bytesSent());
  }

  @Override
  public void onReadingsRejected(List<Rejection> rejections) {
    readingsRejected.add(rejections.size());
  }

  @Override
  public void onSyncCompleted(SyncRun run) {
    runs.increment();
  }

  @Override
  public void onSyncFailed(SyncRun run, Throwable cause) {
    runs.increment();
    failedRuns.increment();
  }

  @Override
  public void onStateChanged(SyncState previous, SyncState current) {
    state.set(current);
  }

  @Override
  public void onReadingsDropped(long count, String reason) {
    readingsDropped.add(count);
  }

  /** The metrics in the Prometheus text exposition format. */
  public String render() {
    StringBuilder text = new StringBuilder();
    counter(text, "meter_sync_runs_total", runs.sum());
    counter(text, "meter_sync_runs_failed_total", failedRuns.sum());
    counter(text, "meter_sync_readings_synced_total", readingsSynced.sum());
    counter(text, "meter_sync_readings_rejected_total", readingsRejected.sum());
    counter(text, "meter_sync_readings_dropped_total", readingsDropped.sum());
    counter(text, "meter_sync_bytes_sent_total", bytesSent.sum());
    text.append("# TYPE meter_sync_state gauge\n");
    for (SyncState s : SyncState.values()) {
      text.append(String.format(Locale.ROOT, "meter_sync_state{state=\"%s\"} %d%n", s,
          s == state.get() ? 1 : 0));
    }
    return text.toString();
  }

  private static void counter(StringBuilder text, String name, long value) {
    text.append("# TYPE ").append(name).append(" counter\n")
        .append(name).append(' ').append(value).append('\n');
  }

  public static void main(String[] args) {
    MetricsListenerExample metrics = new MetricsListenerExample();
    InMemoryReadingSource source = new InMemoryReadingSource();
    source.addSample(5_000);
    FakeClientSystemGateway gateway = new FakeClientSystemGateway()
        .rejectReadings(r -> r.id() % 1000 == 0, "unknown meter");
    SyncManager manager = SyncManager.builder()
        .setSource(source)
        .setGateway(gateway)
        .addListener(metrics).build();
    manager.start();
    manager.triggerSync().join();
    manager.close();
    System.out.print(metrics.render());
  }
}

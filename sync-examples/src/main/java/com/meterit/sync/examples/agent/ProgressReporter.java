package com.meterit.sync.examples.agent;

import com.meterit.sync.api.GatewayException;
import com.meterit.sync.api.ReadingSource;
import com.meterit.sync.api.SyncListener;
import com.meterit.sync.api.SyncOutcome;
import com.meterit.sync.api.SyncRun;
import com.meterit.sync.api.SyncStatus;
import com.meterit.sync.api.UploadBatch;
import com.meterit.sync.api.UploadResult;
import com.meterit.sync.core.SyncManager;
import java.time.Duration;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Prints one concise status line per run that moved readings or failed, and, while a large
 * backlog drains, its progress with the rate and an ETA. Plain ASCII and plain numbers, so the
 * lines read the same in any locale and parse with a regular expression. A plain
 * {@link SyncListener}: copy it to feed your own console or log.
 */
public final class ProgressReporter implements SyncListener {
  /** Runs that start with more pending readings than this show progress: {@value}. */
  public static final long PROGRESS_THRESHOLD = 5_000;
  /** How often progress is shown by default: every 2 seconds. */
  public static final Duration DEFAULT_PROGRESS_INTERVAL = Duration.ofSeconds(2);
  /** Answers after the run's first that the rate behind an ETA spans, at least: {@value}. */
  static final int ETA_MIN_BATCHES = 3;
  /** The time after the run's first answer that the rate behind an ETA spans, at least. */
  static final Duration ETA_MIN_WINDOW = Duration.ofSeconds(5);

  private final ReadingSource source;
  private final Consumer<String> out;
  private final long progressEveryNanos;
  private final LongSupplier ticker;
  private volatile SyncManager manager;
  private long runStartNanos;
  /** The backlog when the run started; negative when it could not be read. */
  private long backlogAtStart;
  private long syncedThisRun;
  private long lastProgressNanos;
  /** The largest total shown this run: a fixed backlog keeps one total, and it never shrinks. */
  private long total;
  private int answers;
  private long firstAnswerNanos;
  private long syncedAtFirstAnswer;

  /**
   * @param source the queue, to size the backlog when a run starts
   * @param out where lines go, such as a logger's {@code info}
   */
  public ProgressReporter(ReadingSource source, Consumer<String> out) {
    this(source, out, DEFAULT_PROGRESS_INTERVAL);
  }

  /** As above, showing progress every {@code progressInterval}. */
  public ProgressReporter(ReadingSource source, Consumer<String> out, Duration progressInterval) {
    this(source, out, progressInterval, System::nanoTime);
  }

  /** As above, timed on {@code ticker}'s nanoseconds. */
  ProgressReporter(ReadingSource source, Consumer<String> out, Duration progressInterval,
      LongSupplier ticker) {
    this.source = source;
    this.out = out;
    this.progressEveryNanos = progressInterval.toNanos();
    this.ticker = ticker;
  }

  /** The manager whose status the per-run line shows. */
  public void attach(SyncManager manager) {
    this.manager = manager;
  }

  @Override
  public synchronized void onSyncStarted() {
    runStartNanos = ticker.getAsLong();
    lastProgressNanos = runStartNanos;
    syncedThisRun = 0;
    answers = 0;
    try {
      backlogAtStart = source.pendingCount();
    } catch (RuntimeException e) {
      backlogAtStart = -1;
    }
    total = Math.max(0, backlogAtStart);
  }

  @Override
  public synchronized void onBatchUploaded(UploadBatch batch, UploadResult result) {
    syncedThisRun += batch.size();
    long now = ticker.getAsLong();
    if (++answers == 1) {
      firstAnswerNanos = now;
      syncedAtFirstAnswer = syncedThisRun;
    }
    if (backlogAtStart >= PROGRESS_THRESHOLD && now - lastProgressNanos >= progressEveryNanos) {
      lastProgressNanos = now;
      // Uploads settle on their own threads, so the count may already miss batches whose answers
      // are still on their way here: it only raises the total (readings written meanwhile).
      total = Math.max(total, syncedThisRun + pendingNow());
      long window = now - firstAnswerNanos;
      if (answers > ETA_MIN_BATCHES && window >= ETA_MIN_WINDOW.toNanos()) {
        // Measured from the first answer on: the first waits for a token, a connection, a cold
        // JIT, and would make the rate of a 20-second drain look like a quarter of an hour's.
        out.accept(progressLine(syncedThisRun, total,
            rate(syncedThisRun - syncedAtFirstAnswer, window)));
      } else {
        out.accept(measuringLine(syncedThisRun, total, rate(syncedThisRun, now - runStartNanos)));
      }
    }
  }

  @Override
  public void onSyncCompleted(SyncRun run) {
    report(run);
  }

  @Override
  public void onSyncFailed(SyncRun run, Throwable cause) {
    SyncManager m = manager;
    if (m != null) {
      out.accept(failureLine(run, m.getStatus(), cause));
    }
  }

  private void report(SyncRun run) {
    report(run, run.error().orElse(null));
  }

  private void report(SyncRun run, String why) {
    SyncManager m = manager;
    if (m == null || (run.readingsSynced() == 0 && run.readingsRejected() == 0 && why == null)) {
      return;
    }
    SyncStatus status = m.getStatus();
    out.accept(statusLine(run, status, why));
  }

  /**
   * The per-run line, such as {@code run SUCCEEDED | state=IDLE | pending=0 | synced=1000 |
   * rejected=0 | 5000 readings/s | online}, with {@code | failed: why} after a failure.
   */
  static String statusLine(SyncRun run, SyncStatus status, String why) {
    return head(run, status, link(status))
        + (why == null ? "" : run.outcome() == SyncOutcome.SUCCEEDED ? " | note: " + why
            : " | failed: " + why);
  }

  /**
   * The line of a run that failed, with {@code | failed: why}, or that a stop ended, with
   * {@code | stopped on request; unsent readings stay queued}. A run that failed for want of an
   * answer says {@code unreachable} where the others say {@code online}: the connectivity probe
   * that turns the engine OFFLINE only follows it.
   */
  static String failureLine(SyncRun run, SyncStatus status, Throwable cause) {
    if (run.outcome() == SyncOutcome.INTERRUPTED) {
      return head(run, status, link(status)) + " | stopped on request; unsent readings stay queued";
    }
    String why = cause == null ? run.error().orElse("unknown") : Failures.why(cause);
    return head(run, status, gotNoAnswer(cause) ? "unreachable" : link(status))
        + " | failed: " + why;
  }

  private static String head(SyncRun run, SyncStatus status, String link) {
    long millis = Math.max(1, run.duration().toMillis());
    return "run " + run.outcome() + " | state=" + status.state() + " | pending="
        + pending(status.pendingReadings()) + " | synced=" + run.readingsSynced() + " | rejected="
        + run.readingsRejected() + " | " + run.readingsSynced() * 1000 / millis + " readings/s | "
        + link;
  }

  private static String link(SyncStatus status) {
    return status.isConnected() ? "online" : "OFFLINE";
  }

  /** Whether the run ended because a request got no answer at all: no status, no refusal. */
  private static boolean gotNoAnswer(Throwable cause) {
    int depth = 0;
    for (Throwable t = cause; t != null && depth < 16; t = t.getCause(), depth++) {
      if (t instanceof GatewayException) {
        GatewayException failure = (GatewayException) t;
        return failure.isTransient() && failure.statusCode().isEmpty();
      }
    }
    return false;
  }

  /**
   * A pending count for a person: the number, or {@code unknown} when the queue could not be
   * read; never -1.
   */
  public static String pending(OptionalLong pending) {
    return pending.isPresent() ? String.valueOf(pending.getAsLong()) : "unknown";
  }

  /**
   * A progress line such as {@code draining [#####.....] 45000/100000 (45%) | 12345 readings/s |
   * ETA 0:04}. Readings written while it drains count in the total, so done never passes it.
   */
  static String progressLine(long done, long total, double perSecond) {
    long left = Math.max(Math.max(1, total), done) - done;
    long etaSeconds = perSecond <= 0 ? 0 : (long) Math.ceil(left / perSecond);
    return bar(done, total, perSecond)
        + String.format(Locale.ROOT, " | ETA %d:%02d", etaSeconds / 60, etaSeconds % 60);
  }

  /**
   * A progress line before the rate is measured well enough for an ETA: {@code draining
   * [#.....] 1000/100000 (1%) | 33 readings/s | ETA measuring}.
   */
  static String measuringLine(long done, long total, double perSecond) {
    return bar(done, total, perSecond) + " | ETA measuring";
  }

  private static String bar(long done, long total, double perSecond) {
    int width = 30;
    long whole = Math.max(Math.max(1, total), done);
    int filled = (int) (width * done / whole);
    return String.format(Locale.ROOT, "draining [%s%s] %d/%d (%d%%) | %d readings/s",
        "#".repeat(filled), ".".repeat(width - filled), done, whole, done * 100 / whole,
        (long) perSecond);
  }

  /** What is left now: readings written since the run started count too. */
  private long pendingNow() {
    try {
      return source.pendingCount();
    } catch (RuntimeException e) {
      return Math.max(0, backlogAtStart - syncedThisRun);
    }
  }

  private static double rate(long readings, long nanos) {
    return nanos <= 0 ? 0 : readings * 1e9 / nanos;
  }
}

package com.meterit.sync.core;

import com.meterit.sync.core.time.Scheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Where a manager's work runs: the host's executors where it gave them, otherwise daemon threads
 * of the manager's own, which only the manager shuts down. One place decides both, so that no
 * thread is created twice and none outlives {@code stop()}.
 */
final class EngineThreads {
  /**
   * How long a thread of the manager's own waits for work before it ends: {@value} s. A gateway
   * idles for minutes between runs, and a thread costs memory while it waits; one started again
   * costs microseconds, against milliseconds for a batch.
   */
  static final long IDLE_SECONDS = 5;

  /** How long an upload waits for a lane's thread that is just ending its task: {@value} ms. */
  static final long HAND_OFF_WAIT_MILLIS = 1_000;

  /** How long an upload waits for an idle lane before a new one starts: {@value} µs. */
  static final long HAND_OFF_MICROS = 5_000;

  /** Timers; each hands its work to one of the others. */
  final Scheduler scheduler;
  /** Sync runs, one at a time. */
  final Executor runs;
  /** Heartbeats, configuration downloads, health probes. */
  final Executor background;
  /** Lease renewals: a thread of their own unless the host chose where background work runs. */
  final Executor leases;
  /** The batches in flight, one lane each. */
  final Executor uploads;
  /** The claim of the next batch while the current one uploads, or null without pipelining. */
  final ExecutorService prefetch;

  private final ExecutorService ownedRuns;
  private final List<ExecutorService> ownedOthers = new ArrayList<>();

  EngineThreads(SyncManagerBuilder b) {
    if (b.scheduler != null) {
      scheduler = b.scheduler;
    } else {
      ScheduledThreadPoolExecutor timers =
          new ScheduledThreadPoolExecutor(1, new DaemonThreadFactory("meter-sync-scheduler"));
      timers.setRemoveOnCancelPolicy(true);
      ownedOthers.add(timers);
      scheduler = Scheduler.of(timers);
    }
    ownedRuns = b.executor == null ? single("meter-sync-worker") : null;
    runs = b.executor != null ? b.executor : ownedRuns;
    background = b.backgroundExecutor != null ? b.backgroundExecutor
        : owned(single("meter-sync-background"));
    leases = b.backgroundExecutor != null ? b.backgroundExecutor
        : owned(single("meter-sync-lease"));
    if (b.uploadExecutor != null) {
      uploads = b.uploadExecutor;
    } else if (b.maxInFlight == 1) {
      // One batch at a time needs no lane of its own: the run's thread uploads it.
      uploads = Runnable::run;
    } else {
      uploads = owned(lanes(b.maxInFlight > 0 ? b.maxInFlight : SyncManager.DEFAULT_MAX_IN_FLIGHT,
          "meter-sync-upload"));
    }
    prefetch = b.pipelining ? (ExecutorService) owned(single("meter-sync-prefetch")) : null;
  }

  private static ExecutorService single(String name) {
    return pool(1, name);
  }

  /**
   * Up to {@code threads} threads, started when work arrives and ended after {@link
   * #IDLE_SECONDS} without any; tasks beyond them wait in order. With one thread, tasks run one at
   * a time: the pool never has a second thread. Their order is the order given but for one race:
   * a task handed in just as the idle thread ends may start a fresh thread and run before a task
   * queued a moment earlier (the JDK's single-thread executor has the same race when a task kills
   * its thread). Nothing here depends on the order: at most one run is queued at a time, and
   * heartbeats, probes, renewals and claims ahead are each complete on their own.
   */
  private static ExecutorService pool(int threads, String name) {
    ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, IDLE_SECONDS,
        TimeUnit.SECONDS, new LinkedBlockingQueue<>(), new DaemonThreadFactory(name));
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  /**
   * Upload lanes: a hand-off pool of up to {@code most} threads, none kept while idle. An upload
   * takes an idle thread if there is one and starts a thread only if none is idle, so the threads
   * follow the batches really in flight (the window's size, not its ceiling): uploads one after
   * the other run on one thread. Each ends after {@link #IDLE_SECONDS} without work. Not a core of
   * {@code most} (a pool starts a thread per task below its core size, idle ones
   * notwithstanding), and no unbounded queue behind a core of 0 (it would run one lane at a time).
   */
  private static ExecutorService lanes(int most, String name) {
    return new ThreadPoolExecutor(0, most, IDLE_SECONDS, TimeUnit.SECONDS,
        new BriefHandOff(), new DaemonThreadFactory(name), EngineThreads::awaitHandOff);
  }

  /**
   * A hand-off that waits {@value #HAND_OFF_MICROS} µs for a thread before the pool starts one:
   * a lane's thread that has just settled its batch is not yet back for more, and without the
   * wait every upload after an answer would start a thread of its own. Nothing ever waits in it.
   */
  private static final class BriefHandOff extends SynchronousQueue<Runnable> {
    private static final long serialVersionUID = 1L;

    @Override
    public boolean offer(Runnable task) {
      try {
        return super.offer(task, HAND_OFF_MICROS, TimeUnit.MICROSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }

  /**
   * The window never lets more than the pool's most uploads run, but a lane gives its place back
   * just before its thread is free again: the next upload may find every thread busy for a few
   * microseconds. It waits for that thread, briefly; a pool shut down, or one still full after
   * the wait, refuses it (the run then ends as on a stop).
   */
  private static void awaitHandOff(Runnable task, ThreadPoolExecutor pool) {
    try {
      if (!pool.isShutdown() && pool.getQueue().offer(task, HAND_OFF_WAIT_MILLIS,
          TimeUnit.MILLISECONDS)) {
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    throw new RejectedExecutionException("upload pool shut down or full");
  }

  private Executor owned(ExecutorService executor) {
    ownedOthers.add(executor);
    return executor;
  }

  /** After the last run ended: every thread of the manager's own ends too. */
  void shutdown() {
    if (ownedRuns != null) {
      ownedRuns.shutdown();
    }
    ownedOthers.forEach(ExecutorService::shutdownNow);
  }

  /** When a run overstays {@code close()}'s deadline: its threads are interrupted. */
  void interruptRuns() {
    if (ownedRuns != null) {
      ownedRuns.shutdownNow();
    }
    ownedOthers.forEach(ExecutorService::shutdownNow);
  }
}

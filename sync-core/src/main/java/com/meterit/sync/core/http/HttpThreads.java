package com.meterit.sync.core.http;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The executor of the gateway's own HTTP client. The JDK's default is a cached pool that grows
 * a thread per concurrent exchange and keeps each for a minute; the client only hands it short,
 * non-blocking steps (delivering a response's bytes to {@code BoundedBody}, completing futures),
 * while the callers wait in {@code Exchange.send}. Two threads keep up with the upload window on
 * a gateway, and they end when idle.
 */
final class HttpThreads {
  /** At most {@value} threads. */
  static final int THREADS = 2;
  /** A thread ends after {@value} s without work. */
  static final long IDLE_SECONDS = 5;

  private static final AtomicInteger CLIENTS = new AtomicInteger();

  private HttpThreads() {}

  static Executor executor() {
    String prefix = "meter-sync-http-" + CLIENTS.incrementAndGet() + "-";
    AtomicInteger threads = new AtomicInteger();
    ThreadPoolExecutor pool = new ThreadPoolExecutor(THREADS, THREADS, IDLE_SECONDS,
        TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
          Thread thread = new Thread(task, prefix + threads.incrementAndGet());
          // Never keeps a host's JVM alive.
          thread.setDaemon(true);
          return thread;
        });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }
}

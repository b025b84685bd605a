package com.meterit.sync.core.http;

import java.util.concurrent.Executor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The executor of the gateway's own HTTP client: a thread for each step that has work, none kept
 * while idle. The JDK's default is a cached pool that keeps each thread for a minute; this one
 * ends them after {@link #IDLE_SECONDS}.
 *
 * <p>It is not capped. The client hands it short steps (delivering a response's bytes to {@code
 * BoundedBody}, completing futures), but not only those: the JDK resolves the server's host name
 * there, a lookup that blocks for seconds on a dead resolver. On a fixed pool of two, two such
 * lookups held up every other exchange's steps, the answers of the batches in flight among them,
 * until their deadlines passed. The threads in use stay bounded by the exchanges in flight (the
 * upload window, the probe, the heartbeat), as callers wait in {@code Exchange.send}.
 */
final class HttpThreads {
  /** A thread ends after {@value} s without work. */
  static final long IDLE_SECONDS = 5;

  private static final AtomicInteger CLIENTS = new AtomicInteger();

  private HttpThreads() {}

  static Executor executor() {
    String prefix = "meter-sync-http-" + CLIENTS.incrementAndGet() + "-";
    AtomicInteger threads = new AtomicInteger();
    // A hand-off queue: a step never waits behind a blocked one while a thread could start.
    return new ThreadPoolExecutor(0, Integer.MAX_VALUE, IDLE_SECONDS, TimeUnit.SECONDS,
        new SynchronousQueue<>(), task -> {
          Thread thread = new Thread(task, prefix + threads.incrementAndGet());
          // Never keeps a host's JVM alive.
          thread.setDaemon(true);
          return thread;
        });
  }
}

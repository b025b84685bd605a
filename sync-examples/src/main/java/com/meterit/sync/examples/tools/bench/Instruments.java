package com.meterit.sync.examples.tools.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;

/** What a measurement reads from its own JVM: CPU time, the heap's peak, bytes allocated. */
final class Instruments {
  private Instruments() {}

  /** CPU time of each live Java thread, by name (JVM-internal threads are not listed). */
  static Map<String, Long> threadCpu() {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Map<String, Long> cpu = new HashMap<>();
    for (ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
      if (info != null) {
        long t = mx.getThreadCpuTime(info.getThreadId());
        if (t > 0) {
          cpu.merge(info.getThreadName(), t, Long::sum);
        }
      }
    }
    return cpu;
  }

  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** Samples the used heap every 10 ms; a sampled peak, not a GC log. */
  static final class HeapSampler {
    private volatile boolean running = true;
    private volatile long peak;
    private final Thread thread = new Thread(() -> {
      while (running) {
        peak = Math.max(peak, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "bench-heap-sampler");

    HeapSampler() {
      thread.setDaemon(true);
      thread.start();
    }

    long stop() throws InterruptedException {
      running = false;
      thread.join();
      return peak;
    }
  }

  /** Bytes allocated by every thread since construction, threads started since included. */
  static final class Allocation {
    private final com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private final Map<Long, Long> before = new HashMap<>();

    Allocation() {
      long[] ids = threads.getAllThreadIds();
      long[] bytes = threads.getThreadAllocatedBytes(ids);
      for (int i = 0; i < ids.length; i++) {
        before.put(ids[i], bytes[i]);
      }
    }

    long since() {
      long[] ids = threads.getAllThreadIds();
      long[] bytes = threads.getThreadAllocatedBytes(ids);
      long total = 0;
      for (int i = 0; i < ids.length; i++) {
        if (bytes[i] > 0) {
          total += bytes[i] - before.getOrDefault(ids[i], 0L);
        }
      }
      return total;
    }
  }
}

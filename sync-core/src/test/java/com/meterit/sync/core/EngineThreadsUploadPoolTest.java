package com.meterit.sync.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.core.testing.FakeClientSystemGateway;
import com.meterit.sync.core.testing.InMemoryReadingSource;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ThreadPoolExecutor;
import org.junit.jupiter.api.Test;

/**
 * Review finding 3: the default upload pool has 32 core threads, and a ThreadPoolExecutor starts a
 * new thread for every task while it has fewer than its core size, even with idle ones. So a
 * drain of 32 batches starts 32 threads whatever the window (4 on LTE-M and GPRS, 6 for batches of
 * 5,000, 1 for 32,768 and more), not "about a window's worth" as EngineThreads says.
 */
class EngineThreadsUploadPoolTest {
  @Test
  void uploadsOneAfterTheOtherNeedNoMoreThanOneOrTwoThreads() throws Exception {
    EngineThreads threads = new EngineThreads(
        SyncManager.builder(new InMemoryReadingSource(), new FakeClientSystemGateway()));
    try {
      ThreadPoolExecutor pool = (ThreadPoolExecutor) threads.uploads;
      for (int i = 0; i < 32; i++) {
        FutureTask<Void> upload = new FutureTask<>(() -> { }, null);
        pool.execute(upload);
        upload.get();
      }
      assertTrue(pool.getLargestPoolSize() <= 2,
          "one batch at a time started " + pool.getLargestPoolSize() + " threads");
    } finally {
      threads.shutdown();
    }
  }
}

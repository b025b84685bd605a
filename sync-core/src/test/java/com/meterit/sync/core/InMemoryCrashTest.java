package com.meterit.sync.core;

import com.meterit.sync.api.ReadingSource;
import com.meterit.sync.core.testing.InMemoryReadingSource;
import java.time.Duration;

/** The crash test on the in-memory fake, which keeps the same contract. */
class InMemoryCrashTest extends CrashAtEveryStepTest {
  private final InMemoryReadingSource queue = new InMemoryReadingSource(clock, Duration.ofMinutes(5));

  @Override
  void addReadings(int count) {
    queue.addSample(count);
  }

  @Override
  ReadingSource startProcess() {
    return queue;
  }

  @Override
  long pending(ReadingSource source) {
    return queue.pendingCount();
  }
}

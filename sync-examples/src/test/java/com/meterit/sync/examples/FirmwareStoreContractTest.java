package com.meterit.sync.examples;

import com.meterit.sync.api.ReadingSource;
import com.meterit.sync.core.testing.ManualClock;
import com.meterit.sync.core.testing.ReadingSourceContractTest;
import com.meterit.sync.examples.CustomReadingSourceExample.FirmwareStore;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;

/**
 * The contract on the custom-source example's store, from sync-core's published test jar, as a
 * host runs it on its own source. The store lives in one process and its leases never lapse, so
 * the cases that let a lease lapse are skipped; a restart is a new manager on the same store.
 */
class FirmwareStoreContractTest extends ReadingSourceContractTest {
  private final FirmwareStore store = new FirmwareStore();

  @Override
  protected ReadingSource newSource(ManualClock clock) {
    return store;
  }

  @Override
  protected void addReadings(int count) {
    for (int i = 0; i < count; i++) {
      store.record("meter-" + (i % 50), BigDecimal.valueOf(1000 + i, 3));
    }
  }

  @Override
  protected Optional<Duration> lease() {
    return Optional.empty();
  }
}

package com.meterit.sync.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.meterit.sync.api.SyncOutcome;
import com.meterit.sync.api.SyncRun;
import com.meterit.sync.core.SyncManager;
import com.meterit.sync.core.SyncManagerBuilder;
import com.meterit.sync.core.testing.FakeClientSystemGateway;
import com.meterit.sync.core.testing.InMemoryReadingSource;
import org.junit.jupiter.api.Test;

/** Host code in a package of its own, so that only the public builder is in reach. */
class BuilderFromHostCodeTest {

  @Test
  void aManagerBuiltWithNoArgumentsSyncs() {
    InMemoryReadingSource source = new InMemoryReadingSource();
    source.addSample(25);
    FakeClientSystemGateway gateway = new FakeClientSystemGateway();

    SyncManager manager = SyncManager.builder()
        .setSource(source)
        .setGateway(gateway)
        .setBatchSize(10)
        .build();
    manager.start();
    SyncRun run = manager.triggerSync().join();
    manager.close();

    assertEquals(SyncOutcome.SUCCEEDED, run.outcome());
    assertEquals(25, gateway.accepted().size());
    assertEquals(0, source.pendingCount());
  }

  @Test
  void buildNamesTheSourceWhenNothingIsSet() {
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> SyncManager.builder().build());
    assertEquals("source must be set", e.getMessage());
  }

  @Test
  void buildNamesTheGatewayWhenOnlyTheSourceIsSet() {
    SyncManagerBuilder builder = SyncManager.builder().setSource(new InMemoryReadingSource());
    IllegalStateException e = assertThrows(IllegalStateException.class, builder::build);
    assertEquals("gateway must be set", e.getMessage());
  }

  @Test
  void buildNamesTheSourceWhenOnlyTheGatewayIsSet() {
    SyncManagerBuilder builder = SyncManager.builder().setGateway(new FakeClientSystemGateway());
    IllegalStateException e = assertThrows(IllegalStateException.class, builder::build);
    assertEquals("source must be set", e.getMessage());
  }

  @Test
  void theSettersRefuseNull() {
    SyncManagerBuilder builder = SyncManager.builder();
    assertEquals("source",
        assertThrows(NullPointerException.class, () -> builder.setSource(null)).getMessage());
    assertEquals("gateway",
        assertThrows(NullPointerException.class, () -> builder.setGateway(null)).getMessage());
  }
}

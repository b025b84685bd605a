package com.meterit.sync.core.internal.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.meterit.sync.api.ClientSystemGateway;
import com.meterit.sync.api.SyncOutcome;
import com.meterit.sync.api.SyncState;
import com.meterit.sync.api.TransientGatewayException;
import com.meterit.sync.api.UploadBatch;
import com.meterit.sync.api.UploadResult;
import com.meterit.sync.core.SyncManager;
import com.meterit.sync.core.testing.Harness;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The token request before a run: only a refusal fails the run. */
class CredentialCheckTest {
  private final Harness h = new Harness();

  @Test
  void aNetworkFailureWhileCheckingTheKeyLetsTheRunGoOn() {
    AtomicInteger checks = new AtomicInteger();
    ClientSystemGateway flakyTokens = new ClientSystemGateway() {
      @Override
      public boolean testConnection() {
        return h.gateway().testConnection();
      }

      @Override
      public void authenticate() {
        if (checks.incrementAndGet() == 1) {
          throw new TransientGatewayException("authentication failed: connection refused",
              new IOException("refused"));
        }
        h.gateway().authenticate();
      }

      @Override
      public UploadResult uploadBatch(UploadBatch batch) {
        return h.gateway().uploadBatch(batch);
      }
    };
    h.source().addSample(5);
    SyncManager manager = h.builder().setGateway(flakyTokens).build();
    manager.start();

    assertEquals(5, h.source().syncedIds().size(), "the run went on");
    assertEquals(SyncState.IDLE, manager.getStatus().state());
    h.source().addSample(2);
    assertEquals(SyncOutcome.SUCCEEDED, manager.triggerSync().join().outcome());
    assertEquals(2, checks.get(), "not known good yet: the next run checked again");
    manager.triggerSync().join();
    assertEquals(2, checks.get(), "known good: no more checks");
  }

  @Test
  void aDisabledGatewayFailsTheFirstRunWithNothingClaimed() {
    h.gateway().setForbidden(true);
    SyncManager manager = h.builder().build();
    manager.start();

    assertEquals(SyncState.DISABLED, manager.getStatus().state());
    assertEquals(0, h.gateway().uploads().size());
  }
}

package com.meterit.sync.examples.agent;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Review finding 4: before the adaptive window, every agent of a fleet held at most 4 batches in
 * flight. Now the default ceiling is 32 per gateway, and the only cap is the host's
 * {@code SyncManagerBuilder.setMaxInFlight}, which the packaged agent never calls and which no
 * environment variable (nor the Client System's remote configuration, which has batch size,
 * interval, retries and heartbeat only) can set. The README's advice ("set it to hold each gateway
 * of a fleet lower") is out of reach for a fleet that runs the agent; the server team's only
 * lever left is 429/503.
 */
class AgentWindowCapTest {
  @Test
  void anOperatorCanCapTheBatchesAnAgentHoldsInFlight() {
    assertTrue(AgentVariables.ALL.stream().anyMatch(v -> v.name.contains("IN_FLIGHT")),
        "no agent variable caps the upload window: every agent may hold 32 batches in flight");
  }
}

/**
 * The agent, the product of this module: {@link com.meterit.sync.examples.agent.SyncAgent} syncs
 * the Sync Database to the Client System, configured from the environment alone, and answers the
 * operator commands ({@code status}, {@code quarantine}). It is all that {@code
 * meter-sync-agent.jar} holds besides its runtime dependencies; it depends on no tool and no
 * example.
 */
package com.meterit.sync.examples.agent;

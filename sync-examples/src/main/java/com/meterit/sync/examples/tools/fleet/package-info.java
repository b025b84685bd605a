/**
 * The fleet simulator: thousands of real {@code SyncManager}s on one virtual clock against one
 * simulated Client System of bounded capacity, through an outage. See
 * {@link com.meterit.sync.examples.tools.fleet.FleetSimulator} and {@code docs/fleet.md}.
 */
package com.meterit.sync.examples.tools.fleet;

/**
 * {@link com.meterit.sync.examples.tools.simulator.SimulatedClientSystem}: an in-process Client
 * System API v1 server on loopback, with switchable faults, for the demo, the examples, tests and
 * benchmarks.
 */
package com.meterit.sync.examples.tools.simulator;

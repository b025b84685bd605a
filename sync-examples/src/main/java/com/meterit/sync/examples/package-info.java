/**
 * Small examples of meter-sync to copy: a custom reading source, a custom gateway, metrics, and
 * PostgreSQL as the Sync Database (the quick start is a project of its own: docs/quickstart).
 * The product, a standalone agent configured from the environment, is in {@link
 * com.meterit.sync.examples.agent}; the demo, the simulated Client System, the benchmark harness
 * and the fleet simulator are in {@link com.meterit.sync.examples.tools} and its sub-packages.
 */
package com.meterit.sync.examples;

/**
 * The benchmark harness: {@link com.meterit.sync.examples.tools.bench.Benchmark} measures backlog
 * drain speed, wire bytes, memory and idle cost, each against the limits measured in the same
 * run, and writes {@code docs/benchmarks.md}; {@link
 * com.meterit.sync.examples.tools.bench.LinkBenchmark} drains through emulated cellular and
 * satellite links and writes {@code docs/link-benchmarks.md}. Not part of the test suite.
 */
package com.meterit.sync.examples.tools.bench;

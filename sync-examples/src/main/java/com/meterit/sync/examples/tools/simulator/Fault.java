package com.meterit.sync.examples.tools.simulator;

/** A failure the simulated Client System can be switched into. */
public enum Fault {
  /** Healthy. */
  NONE,
  /** Down: every request, health included, has its connection dropped without an answer. */
  DOWN,
  /** Slow: every answer waits two seconds. */
  SLOW,
  /** Overloaded: uploads get 503 with {@code Retry-After: 1}. Health still answers. */
  UNAVAILABLE,
  /** Flaky: every third upload is processed, then its connection is dropped (a lost answer). */
  RESET
}

package com.meterit.sync.examples.fleet;

import com.meterit.sync.core.SyncManagerBuilder;

/** The engine settings beyond the backoff policies that a "no jitter" client turns off. */
final class NoJitter {
  private NoJitter() {}

  static void configure(SyncManagerBuilder b) {
  }
}

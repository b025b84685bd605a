package com.meterit.sync.core.internal.run;

/**
 * Sends as a busy run does: the window full at every send (the window grows only while it is
 * used), and each answer's place given back.
 */
final class FullWindow {
  private FullWindow() {}

  /** Fills the window's free places, then sends one batch: what to hand to {@link #answered}. */
  static long send(UploadWindow window) {
    while (window.inFlight() < window.size()) {
      window.enter();
    }
    return window.sending();
  }

  /** The answer to a batch from {@link #send}: measured, and its place given back. */
  static void answered(UploadWindow window, long sent) {
    window.answered(sent);
    window.leave();
  }
}

package com.meterit.sync.examples.tools.demo;

/** The demo's final check: every reading written is on the server exactly once, or quarantined. */
public final class DemoResult {
  final boolean passed;
  final String checkLine;
  final long written;
  final long onServer;
  final long quarantined;
  final long pending;

  DemoResult(boolean passed, String checkLine, long written, long onServer, long quarantined,
      long pending) {
    this.passed = passed;
    this.checkLine = checkLine;
    this.written = written;
    this.onServer = onServer;
    this.quarantined = quarantined;
    this.pending = pending;
  }

  public boolean passed() {
    return passed;
  }

  public String checkLine() {
    return checkLine;
  }

  public long written() {
    return written;
  }

  public long onServer() {
    return onServer;
  }

  public long quarantined() {
    return quarantined;
  }

  @Override
  public String toString() {
    return checkLine;
  }
}

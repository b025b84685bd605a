package com.meterit.sync.core.internal.run;


/** Unwinds a run when {@code stop()} was called. Internal; never escapes the engine. */
final class StopRequestedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  StopRequestedException() {
    super("stop requested", null, false, false);
  }
}

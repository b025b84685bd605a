package com.meterit.sync.core.internal;

/** Rethrows a failure that was caught as a {@link Throwable}, on another thread or not. */
public final class Rethrow {
  private Rethrow() {}

  /**
   * Throws {@code failure} as it is when it is unchecked; a checked exception, which some code
   * threw undeclared, wrapped and quoted by type only, since its message may carry a secret into
   * the run's error.
   *
   * @param what what failed, for the wrapper's message
   * @return never; declared so that a caller can write {@code throw Rethrow.unchecked(...)}
   */
  public static RuntimeException unchecked(Throwable failure, String what) {
    if (failure instanceof RuntimeException) {
      throw (RuntimeException) failure;
    }
    if (failure instanceof Error) {
      throw (Error) failure;
    }
    throw new IllegalStateException(what + ": " + failure.getClass().getName(), failure);
  }
}

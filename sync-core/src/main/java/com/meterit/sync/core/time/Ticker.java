package com.meterit.sync.core.time;

/**
 * Monotonic time, in nanoseconds from an arbitrary origin: what every wait, deadline and timer of
 * the engine is measured on. The wall {@link java.time.Clock} only stamps (readings, history,
 * status); a gateway's wall clock steps (NTP after boot, RTC drift), and a wait measured on it
 * would be stretched or cut by the step. Injected beside the clock with
 * {@link com.meterit.sync.core.SyncManagerBuilder#setTicker(Ticker)}, so that a test moves both by hand
 * ({@code com.meterit.sync.core.testing.ManualClock} is one).
 *
 * <p>Only differences between two readings mean anything, as with {@link System#nanoTime()};
 * compare them as {@code a - b > 0}, never {@code a > b}, so that a wrap-around is harmless.
 * Implementations must be thread-safe and never go backwards.
 */
@FunctionalInterface
public interface Ticker {

  /** The monotonic time now, in nanoseconds. */
  long nanos();

  /** The JVM's monotonic clock, {@link System#nanoTime()}: the default. */
  static Ticker system() {
    return System::nanoTime;
  }
}

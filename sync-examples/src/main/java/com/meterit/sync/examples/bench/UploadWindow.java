package com.meterit.sync.examples.bench;

import com.meterit.sync.core.SyncManagerBuilder;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Optional;

/**
 * How many batches the engine may have in flight, passed to {@link SyncManagerBuilder} only if
 * this engine has such a setting. The benchmark is written before the engine's upload window, so
 * it looks the setter up by name rather than calling it.
 *
 * <p>TODO(issue 14): once the builder has its window setter, call it directly in
 * {@link #apply} and drop the reflection; keep the names below in step until then.
 */
final class UploadWindow {
  /** The setter names tried, in order; each takes one {@code int}. */
  static final List<String> SETTERS =
      List.of("setMaxInFlight", "setUploadWindow", "setMaxBatchesInFlight", "setWindow");

  private UploadWindow() {}

  /** The builder's window setter, if it has one. */
  static Optional<Method> setter() {
    for (String name : SETTERS) {
      try {
        return Optional.of(SyncManagerBuilder.class.getMethod(name, int.class));
      } catch (NoSuchMethodException e) {
        // Try the next name.
      }
    }
    return Optional.empty();
  }

  /**
   * Checks that this engine can run with {@code window} batches in flight, before any work.
   *
   * @throws IllegalArgumentException when {@code window} is below 1, or above 1 on an engine
   *     without a window: the run would silently measure one batch at a time
   */
  static void require(int window) {
    if (window < 1) {
      throw new IllegalArgumentException("window must be at least 1: " + window);
    }
    if (window > 1 && setter().isEmpty()) {
      throw new IllegalArgumentException("window " + window + " asked for, but this engine's "
          + "SyncManagerBuilder has none of " + SETTERS + "(int): it uploads one batch at a time");
    }
  }

  /**
   * Sets the window on {@code builder}.
   *
   * @return how the window was set, for the report
   * @throws IllegalArgumentException as {@link #require} does, or as the setter does
   */
  static String apply(SyncManagerBuilder builder, int window) {
    require(window);
    Optional<Method> setter = setter();
    if (setter.isEmpty()) {
      return "engine has no window setting";
    }
    try {
      setter.get().invoke(builder, window);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    } catch (InvocationTargetException e) {
      throw new IllegalArgumentException(e.getCause().getMessage(), e.getCause());
    }
    return setter.get().getName() + "(" + window + ")";
  }
}

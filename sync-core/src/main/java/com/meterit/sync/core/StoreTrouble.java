package com.meterit.sync.core;

import com.meterit.sync.api.ReadingSourceException;
import com.meterit.sync.api.StoreFault;
import com.meterit.sync.core.internal.Redaction;

/**
 * A fault of the Sync Database that a run met and that outlasts it (full, unavailable, damaged),
 * with the source's reason, escaped and bounded for a status line. Immutable.
 */
final class StoreTrouble {
  /** The longest reason kept: {@value} characters. */
  static final int MAX_REASON = 300;

  final StoreFault fault;
  final String reason;

  private StoreTrouble(StoreFault fault, String reason) {
    this.fault = fault;
    this.reason = reason;
  }

  /** The trouble {@code failure} reports, or null when it is none or a transient one. */
  static StoreTrouble of(Throwable failure) {
    StoreFault fault = ReadingSourceException.faultOf(failure);
    if (failure == null || fault == StoreFault.TRANSIENT) {
      return null;
    }
    return new StoreTrouble(fault, reason(failure));
  }

  /** The message of the {@link ReadingSourceException} in {@code failure}, fit for a status. */
  static String reason(Throwable failure) {
    Throwable shown = failure;
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ReadingSourceException) {
        shown = t;
        break;
      }
    }
    String message = shown == null ? null : shown.getMessage();
    if (message == null) {
      message = shown == null ? "unknown" : shown.getClass().getName();
    }
    return Redaction.escape(Redaction.bounded(message, MAX_REASON));
  }
}

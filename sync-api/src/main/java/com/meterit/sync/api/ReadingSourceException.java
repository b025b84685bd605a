package com.meterit.sync.api;

import java.util.Objects;

/**
 * The local queue could not be read or written, such as a database that is down or full. The
 * engine fails the run and tries again later; claimed readings come back when their lease ends.
 */
public class ReadingSourceException extends SyncException {
  private static final long serialVersionUID = 1L;

  private final StoreFault fault;

  /**
   * A failure of kind {@link StoreFault#TRANSIENT}.
   *
   * @param message what went wrong, never containing a secret
   * @param cause the underlying failure, or null
   */
  public ReadingSourceException(String message, Throwable cause) {
    this(message, cause, StoreFault.TRANSIENT);
  }

  /**
   * @param message what went wrong, never containing a secret
   * @param cause the underlying failure, or null
   * @param fault what kind of failure it is, and so what may cure it
   */
  public ReadingSourceException(String message, Throwable cause, StoreFault fault) {
    super(message, cause);
    this.fault = Objects.requireNonNull(fault, "fault");
  }

  /** What kind of failure this is: whether waiting, a reopen or an operator cures it. */
  public StoreFault fault() {
    return fault;
  }

  /**
   * The kind of store failure {@code failure} reports: its own, or that of the first {@link
   * ReadingSourceException} among its causes; {@link StoreFault#TRANSIENT} when there is none.
   */
  public static StoreFault faultOf(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ReadingSourceException) {
        return ((ReadingSourceException) t).fault();
      }
    }
    return StoreFault.TRANSIENT;
  }
}

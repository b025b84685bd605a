package com.meterit.sync.core;

/**
 * Told once per transition of a {@link ConnectivityMonitor}, on the scheduler's thread. Both
 * methods default to no-ops. A listener that throws is logged and ignored.
 */
interface ConnectivityListener {

  /** The Client System became reachable again. */
  default void connected() {}

  /** The Client System stopped answering its health probe. */
  default void disconnected() {}
}

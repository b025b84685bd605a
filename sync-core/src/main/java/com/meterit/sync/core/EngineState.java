package com.meterit.sync.core;

import com.meterit.sync.api.GatewayException;
import com.meterit.sync.api.SyncState;
import com.meterit.sync.core.internal.run.BackoffObserver;
import com.meterit.sync.core.internal.run.StopSignal;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's {@link SyncState} and the rules of its transitions; listeners hear of each change.
 * Once stopped it only starts again through IDLE, and once a stop was asked for nothing but
 * STOPPING and STOPPED may follow. Also what a backing-off upload reports to. Thread-safe.
 */
final class EngineState implements BackoffObserver {
  private static final Logger log = LoggerFactory.getLogger(EngineState.class);

  private final Listeners listeners;
  private final StopSignal stop;
  private volatile SyncState state = SyncState.STOPPED;

  EngineState(Listeners listeners, StopSignal stop) {
    this.listeners = listeners;
    this.stop = stop;
  }

  SyncState get() {
    return state;
  }

  /** Moves to {@code next} where the rules allow it. */
  void set(SyncState next) {
    move(null, next);
  }

  /** Moves from {@code from} to {@code next}, and only from there. */
  void moveFrom(SyncState from, SyncState next) {
    move(from, next);
  }

  private void move(SyncState from, SyncState next) {
    SyncState previous;
    synchronized (this) {
      previous = state;
      if (previous == next
          || (from != null && previous != from)
          || (previous == SyncState.STOPPED && next != SyncState.IDLE)
          || (stop.isRaised()
              && next != SyncState.STOPPING && next != SyncState.STOPPED)) {
        return;
      }
      state = next;
    }
    log.debug("State {} -> {}", previous, next);
    listeners.onStateChanged(previous, next);
  }

  @Override
  public void backingOff(Duration delay, GatewayException cause) {
    set(SyncState.BACKING_OFF);
  }

  @Override
  public void resumed() {
    set(SyncState.SYNCING);
  }

  @Override
  public String toString() {
    return state.toString();
  }
}

package com.meterit.sync.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.meterit.sync.api.SyncListener;
import com.meterit.sync.api.SyncState;
import com.meterit.sync.core.internal.run.StopSignal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EngineStateTest {
  private final List<String> heard = new ArrayList<>();
  private final StopSignal stop = new StopSignal();
  private final EngineState state = new EngineState(new Listeners(List.of(new SyncListener() {
    @Override
    public void onStateChanged(SyncState previous, SyncState current) {
      heard.add(previous + ">" + current);
    }
  })), stop);

  @Test
  void aStoppedEngineStartsOnlyThroughIdle() {
    state.set(SyncState.SYNCING);
    assertEquals(SyncState.STOPPED, state.get());
    state.set(SyncState.IDLE);
    state.set(SyncState.IDLE);
    assertEquals(List.of("STOPPED>IDLE"), heard, "one change, told once");
  }

  @Test
  void aMoveFromAnotherStateIsNoMove() {
    state.set(SyncState.IDLE);
    state.moveFrom(SyncState.OFFLINE, SyncState.SYNCING);
    assertEquals(SyncState.IDLE, state.get());
    state.moveFrom(SyncState.IDLE, SyncState.OFFLINE);
    assertEquals(SyncState.OFFLINE, state.get());
  }

  @Test
  void onceAStopIsAskedForOnlyStoppingAndStoppedFollow() {
    state.set(SyncState.IDLE);
    stop.raise();
    state.resumed();
    state.set(SyncState.BACKING_OFF);
    assertEquals(SyncState.IDLE, state.get());
    state.set(SyncState.STOPPING);
    state.set(SyncState.STOPPED);
    assertEquals(List.of("STOPPED>IDLE", "IDLE>STOPPING", "STOPPING>STOPPED"), heard);
  }
}

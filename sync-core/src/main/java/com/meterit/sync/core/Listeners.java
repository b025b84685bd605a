package com.meterit.sync.core;

import com.meterit.sync.api.Heartbeat;
import com.meterit.sync.api.Rejection;
import com.meterit.sync.api.RemoteConfig;
import com.meterit.sync.api.SyncListener;
import com.meterit.sync.api.SyncRun;
import com.meterit.sync.api.SyncState;
import com.meterit.sync.api.UploadBatch;
import com.meterit.sync.api.UploadResult;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls every registered listener, containing what they throw: a broken listener is logged once
 * at WARN (later failures at DEBUG) and never stops synchronization.
 */
final class Listeners implements SyncListener {
  private static final Logger log = LoggerFactory.getLogger(Listeners.class);

  private final List<SyncListener> listeners;
  private final Set<SyncListener> alreadyWarned = ConcurrentHashMap.newKeySet();

  Listeners(List<SyncListener> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  private void each(String hook, Consumer<SyncListener> call) {
    for (SyncListener listener : listeners) {
      try {
        call.accept(listener);
      } catch (VirtualMachineError e) {
        throw e;
      } catch (Throwable t) {
        if (alreadyWarned.add(listener)) {
          log.warn("Listener {} failed in {}; it is ignored and sync goes on", listener, hook, t);
        } else {
          log.debug("Listener {} failed again in {}", listener, hook, t);
        }
      }
    }
  }

  @Override
  public void onSyncStarted() {
    each("onSyncStarted", SyncListener::onSyncStarted);
  }

  @Override
  public void onBatchUploaded(UploadBatch batch, UploadResult result) {
    each("onBatchUploaded", l -> l.onBatchUploaded(batch, result));
  }

  @Override
  public void onSyncCompleted(SyncRun run) {
    each("onSyncCompleted", l -> l.onSyncCompleted(run));
  }

  @Override
  public void onSyncFailed(SyncRun run, Throwable cause) {
    each("onSyncFailed", l -> l.onSyncFailed(run, cause));
  }

  @Override
  public void onReadingsRejected(List<Rejection> rejections) {
    each("onReadingsRejected", l -> l.onReadingsRejected(rejections));
  }

  @Override
  public void onStateChanged(SyncState previous, SyncState current) {
    each("onStateChanged", l -> l.onStateChanged(previous, current));
  }

  @Override
  public void onConnectivityChanged(boolean connected) {
    each("onConnectivityChanged", l -> l.onConnectivityChanged(connected));
  }

  @Override
  public void onConfigurationApplied(RemoteConfig config) {
    each("onConfigurationApplied", l -> l.onConfigurationApplied(config));
  }

  @Override
  public void onConfigurationRefused(RemoteConfig config, String reason) {
    each("onConfigurationRefused", l -> l.onConfigurationRefused(config, reason));
  }

  @Override
  public void onHeartbeatSent(Heartbeat heartbeat) {
    each("onHeartbeatSent", l -> l.onHeartbeatSent(heartbeat));
  }

  @Override
  public void onHeartbeatFailed(Throwable cause) {
    each("onHeartbeatFailed", l -> l.onHeartbeatFailed(cause));
  }
}

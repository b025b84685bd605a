package com.meterit.sync.core.internal.run;

import com.meterit.sync.api.GatewayException;
import java.time.Duration;

/** Told when an upload starts and stops waiting out a backoff, so the status can say BACKING_OFF. */
public interface BackoffObserver {
  void backingOff(Duration delay, GatewayException cause);

  void resumed();
}

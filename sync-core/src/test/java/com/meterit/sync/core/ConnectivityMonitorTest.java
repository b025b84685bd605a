package com.meterit.sync.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.api.BackoffPolicy;
import com.meterit.sync.api.ClientSystemGateway;
import com.meterit.sync.api.UploadBatch;
import com.meterit.sync.api.UploadResult;
import com.meterit.sync.core.testing.Harness;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConnectivityMonitorTest {
  private final Harness h = new Harness();
  private final List<String> events = new ArrayList<>();

  private ConnectivityMonitor monitor() {
    return ConnectivityMonitor.builder(h.gateway())
        .setScheduler(h.scheduler())
        .setClock(h.clock())
        .setProbeInterval(Duration.ofSeconds(30))
        .setOfflineBackoff(BackoffPolicy.exponentialWithFullJitter(
            Duration.ofSeconds(10), Duration.ofMinutes(10), 2.0))
        .setRandom(() -> 0.999)
        .addListener(new ConnectivityListener() {
          @Override
          public void connected() {
            events.add("connected");
          }

          @Override
          public void disconnected() {
            events.add("disconnected");
          }
        })
        .build();
  }

  @Test
  void tellsEachTransitionOnce() {
    ConnectivityMonitor monitor = monitor();
    monitor.start();
    h.scheduler().runDueTasks();
    assertTrue(monitor.isConnected());
    assertEquals(List.of(), events, "starting connected is no transition");

    h.gateway().setReachable(false);
    h.scheduler().advance(Duration.ofMinutes(10));
    assertFalse(monitor.isConnected());
    assertTrue(monitor.getStatus().consecutiveFailures() > 1);

    h.gateway().setReachable(true);
    h.scheduler().advance(Duration.ofMinutes(10));
    assertEquals(List.of("disconnected", "connected"), events);
    assertEquals(0, monitor.getStatus().consecutiveFailures());
  }

  @Test
  void backsOffWhileDisconnected() {
    ConnectivityMonitor monitor = monitor();
    h.gateway().setReachable(false);
    monitor.start();
    h.scheduler().runDueTasks();
    int before = h.gateway().probes();
    h.scheduler().advance(Duration.ofHours(1));
    int probesInAnHour = h.gateway().probes() - before;
    // Connected, 30 s probes would make 120 an hour; backoff growing to 10 min makes far fewer.
    assertTrue(probesInAnHour < 15, "probes in an hour: " + probesInAnHour);
    assertTrue(probesInAnHour >= 5, "probes in an hour: " + probesInAnHour);
  }

  @Test
  void stopsProbing() {
    ConnectivityMonitor monitor = monitor();
    monitor.start();
    h.scheduler().runDueTasks();
    monitor.stop();
    int probes = h.gateway().probes();
    h.scheduler().advance(Duration.ofHours(1));
    assertEquals(probes, h.gateway().probes());
  }

  @Test
  void aProbeRequestedWhileAProbeIsInFlightFollowsIt() {
    Deque<Runnable> inFlight = new ArrayDeque<>();
    ConnectivityMonitor monitor = ConnectivityMonitor.builder(h.gateway())
        .setScheduler(h.scheduler()).setClock(h.clock())
        .setProbeInterval(Duration.ofSeconds(30))
        .setExecutor(inFlight::add)
        .build();
    monitor.start();
    h.scheduler().runDueTasks();
    assertEquals(1, inFlight.size(), "the first probe is on its way");

    h.gateway().setReachable(false);
    monitor.probeSoon();
    h.scheduler().runDueTasks();
    assertEquals(1, inFlight.size(), "no second probe overlaps the first");
    inFlight.poll().run();
    h.scheduler().runDueTasks();
    assertEquals(1, inFlight.size(), "the request was not swallowed by the probe in flight");
    inFlight.poll().run();
    assertFalse(monitor.isConnected());
    assertEquals(2, h.gateway().probes());
  }

  @Test
  void aStalledProbeDoesNotHoldUpTheScheduler() {
    Deque<Runnable> stalled = new ArrayDeque<>();
    ConnectivityMonitor monitor = ConnectivityMonitor.builder(h.gateway())
        .setScheduler(h.scheduler()).setClock(h.clock())
        .setProbeInterval(Duration.ofSeconds(30))
        .setExecutor(stalled::add)
        .build();
    List<String> fired = new ArrayList<>();
    monitor.start();
    h.scheduler().schedule(() -> fired.add("other timer"), Duration.ofSeconds(1));
    h.scheduler().advance(Duration.ofMinutes(5));
    assertEquals(List.of("other timer"), fired);
    assertEquals(1, stalled.size(), "one probe, still on its way, and no pile-up behind it");
  }

  @Test
  void aProbeThatThrowsAnErrorStillSchedulesTheNext() {
    AtomicInteger probes = new AtomicInteger();
    ClientSystemGateway broken = new ClientSystemGateway() {
      @Override
      public boolean testConnection() {
        probes.incrementAndGet();
        throw new AssertionError("a host's gateway gone wrong");
      }

      @Override
      public UploadResult uploadBatch(UploadBatch batch) {
        throw new UnsupportedOperationException();
      }
    };
    ConnectivityMonitor monitor = ConnectivityMonitor.builder(broken)
        .setScheduler(h.scheduler()).setClock(h.clock())
        .setOfflineBackoff(BackoffPolicy.fixed(Duration.ofSeconds(10)))
        .build();
    monitor.start();
    h.scheduler().advance(Duration.ofSeconds(35));
    assertEquals(4, probes.get(), "at 0, 10, 20 and 30 s");
    assertFalse(monitor.isConnected());
  }
}

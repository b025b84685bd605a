package com.meterit.sync.examples.tools.fleet;

import com.meterit.sync.api.ClientSystemGateway;
import com.meterit.sync.api.Heartbeat;
import com.meterit.sync.api.HeartbeatReply;
import com.meterit.sync.api.Reading;
import com.meterit.sync.api.TransientGatewayException;
import com.meterit.sync.api.UploadBatch;
import com.meterit.sync.api.UploadResult;
import java.net.ConnectException;
import java.time.Duration;
import java.util.BitSet;

/**
 * The Client System the fleet uploads to, in process: a capacity in upload requests/s and
 * readings/s (token buckets holding one second's worth), past which it answers 503, with a
 * {@code Retry-After} or not, as configured; an outage during which nothing answers; per-second
 * counters of what it sees; and a ledger of every reading it accepted, per gateway, which proves
 * that none was lost and none accepted twice.
 *
 * <p>Health probes and heartbeats are answered whenever the server is up and do not count
 * against the capacity: they are cheap, and the question is what the uploads do. They are
 * counted, though. Not thread-safe: the simulation runs one event at a time.
 */
final class SimServer {
  private final VirtualTime time;
  private final FleetOptions options;
  private final long outageFrom;
  private final long outageTo;
  private double requestTokens;
  private double readingTokens;
  private long refilledAt;
  private long nextSlot;

  final Series uploads;
  final Series rejected;
  final Series refused;
  final Series readings;
  final Series probes;
  final Series heartbeats;

  private final BitSet[] ledger;
  private long duplicates;
  private long accepted;
  // The backlog at the end of the outage, and what is left of it.
  private long[] mark;
  private long[] left;
  private int gatewaysLeft = -1;
  private long backlog;
  private double drainedAt = -1;

  SimServer(VirtualTime time, FleetOptions options) {
    this.time = time;
    this.options = options;
    this.outageFrom = options.outageStart.toNanos();
    this.outageTo = options.outageStart.plus(options.outage).toNanos();
    int seconds = (int) options.horizon().getSeconds() + 1;
    uploads = new Series(seconds);
    rejected = new Series(seconds);
    refused = new Series(seconds);
    readings = new Series(seconds);
    probes = new Series(seconds);
    heartbeats = new Series(seconds);
    ledger = new BitSet[options.gateways];
    for (int i = 0; i < ledger.length; i++) {
      ledger[i] = new BitSet();
    }
    requestTokens = options.requestsPerSecond;
    readingTokens = options.readingsPerSecond;
  }

  /** The gateway of one simulated site, bound to this server. */
  ClientSystemGateway gateway(int index) {
    return new ClientSystemGateway() {
      @Override
      public boolean testConnection() {
        probes.add(time.seconds(), 1);
        return !down();
      }

      @Override
      public UploadResult uploadBatch(UploadBatch batch) {
        return upload(index, batch);
      }

      @Override
      public HeartbeatReply sendHeartbeat(Heartbeat heartbeat) {
        heartbeats.add(time.seconds(), 1);
        if (down()) {
          throw unreachable();
        }
        return HeartbeatReply.empty();
      }
    };
  }

  boolean down() {
    long now = time.nowNanos();
    return now >= outageFrom && now < outageTo;
  }

  private static TransientGatewayException unreachable() {
    return new TransientGatewayException("connection refused (simulated outage)", 0, null, null,
        new ConnectException("simulated outage"));
  }

  private UploadResult upload(int gateway, UploadBatch batch) {
    double second = time.seconds();
    if (down()) {
      refused.add(second, 1);
      throw unreachable();
    }
    uploads.add(second, 1);
    refill();
    int size = batch.size();
    // Admitted while the buckets are not in debt; a large batch may take the reading bucket
    // below zero, and later ones wait until it refills. A bucket that had to hold a whole batch
    // would starve large batches behind a stream of small ones.
    if (requestTokens <= 0 || readingTokens <= 0) {
      rejected.add(second, 1);
      throw new TransientGatewayException("server overloaded (503)", 503, "{\"error\":\"overloaded\"}",
          retryAfter(size), null);
    }
    requestTokens -= 1;
    readingTokens -= size;
    readings.add(second, size);
    BitSet seen = ledger[gateway];
    for (Reading r : batch.readings()) {
      int id = Math.toIntExact(r.id());
      if (seen.get(id)) {
        duplicates++;
        continue;
      }
      seen.set(id);
      accepted++;
      if (mark != null && id <= mark[gateway] && --left[gateway] == 0 && --gatewaysLeft == 0) {
        drainedAt = second;
      }
    }
    return UploadResult.acceptedAll(batch, 12L * size);
  }

  private void refill() {
    long now = time.nowNanos();
    double elapsed = (now - refilledAt) / 1e9;
    refilledAt = now;
    requestTokens = Math.min(options.requestsPerSecond,
        requestTokens + elapsed * options.requestsPerSecond);
    readingTokens = Math.min(options.readingsPerSecond,
        readingTokens + elapsed * options.readingsPerSecond);
  }

  /**
   * What the server asks for. {@code FIXED}: the same wait for everyone. {@code PACED}: each
   * refused request is given its own slot in the future, one slot per request the capacity takes,
   * so that the refused come back spread out at the rate they can be served.
   */
  private Duration retryAfter(int size) {
    switch (options.retryAfter) {
      case FIXED:
        return options.fixedRetryAfter;
      case PACED:
        long now = time.nowNanos();
        // Slots at the rate of the spare capacity: the current readings keep coming meanwhile.
        double spare = options.readingsPerSecond - options.productionPerSecond();
        double spacing = Math.max(1 / options.requestsPerSecond, size / Math.max(1, spare));
        nextSlot = Math.max(nextSlot, now) + (long) (spacing * 1e9);
        // Retry-After is whole seconds on the wire (RFC 9110 delay-seconds).
        return Duration.ofSeconds(Math.max(1, (nextSlot - now + 999_999_999L) / 1_000_000_000L));
      default:
        return null;
    }
  }

  /** Marks the backlog at the end of the outage: every reading written by now must arrive. */
  void markBacklog(long[] produced) {
    mark = produced.clone();
    left = new long[produced.length];
    gatewaysLeft = 0;
    backlog = 0;
    for (int g = 0; g < produced.length; g++) {
      left[g] = produced[g] - ledger[g].get(1, (int) produced[g] + 1).cardinality();
      backlog += left[g];
      if (left[g] > 0) {
        gatewaysLeft++;
      }
    }
    if (gatewaysLeft == 0) {
      drainedAt = time.seconds();
    }
  }

  long backlog() {
    return backlog;
  }

  /** When the last reading written before the outage ended was accepted, or -1. */
  double drainedAt() {
    return drainedAt;
  }

  int gatewaysLeft() {
    return gatewaysLeft;
  }

  long duplicates() {
    return duplicates;
  }

  long accepted() {
    return accepted;
  }

  /** How many readings of this gateway the ledger holds, and whether ids 1 to that are all there. */
  BitSet ledger(int gateway) {
    return ledger[gateway];
  }

  /** A count per virtual second. */
  static final class Series {
    final long[] perSecond;

    Series(int seconds) {
      perSecond = new long[seconds];
    }

    void add(double second, long n) {
      int s = (int) second;
      if (s < perSecond.length) {
        perSecond[s] += n;
      }
    }

    /** The mean per second over [from, to) seconds. */
    double mean(int from, int to) {
      long sum = 0;
      for (int s = Math.max(0, from); s < Math.min(to, perSecond.length); s++) {
        sum += perSecond[s];
      }
      return sum / (double) Math.max(1, to - from);
    }

    long total() {
      long sum = 0;
      for (long n : perSecond) {
        sum += n;
      }
      return sum;
    }
  }
}

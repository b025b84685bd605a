package com.meterit.sync.examples.tools.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An emulated cellular or satellite link in user space: a TCP proxy on loopback that delays and
 * rate-limits what crosses it, for measuring the engine against the link it will meet in the
 * field. Kernel traffic shaping (netem) is not available where the benchmark runs.
 *
 * <p>The model, per direction: one transmitter shared by every connection at the profile's rate,
 * first come first served, in chunks of at most one TCP segment; a byte reaches the far side no
 * earlier than its arrival, plus the wait for the transmitter, plus its chunk's time on the wire,
 * plus half the round trip. A new connection's first byte waits one round trip, the TCP handshake.
 * Optional {@link Stalls} stop both directions. Not modelled: packet loss, TCP slow start and
 * congestion control, IP/TCP header bytes, TLS; the link is an ideal pipe with a fully open window.
 *
 * <p>It binds to 127.0.0.1 only and connects to 127.0.0.1 only: the target is a port, never a
 * host. It serves at most {@value #MAX_CONNECTIONS} connections at a time and stops by itself
 * after its lifetime, so a forgotten one cannot outlive its run for long. Thread-safe.
 */
final class LinkEmulator implements AutoCloseable {
  /**
   * The most connections served at a time; more are refused. Above the engine's default window
   * (32 batches, a connection each on HTTP/1.1) with the probe's and the heartbeat's.
   */
  static final int MAX_CONNECTIONS = 64;
  private static final InetAddress LOOPBACK = loopback();
  private static final int MIN_WINDOW = 256 * 1024;

  final LinkProfile profile;
  final Bottleneck uplink;
  final Bottleneck downlink;
  final AtomicLong uplinkBytes = new AtomicLong();
  final AtomicLong downlinkBytes = new AtomicLong();
  private final AtomicInteger connectionsOpened = new AtomicInteger();
  private final int targetPort;
  private final ServerSocket server;
  private final long origin = System.nanoTime();
  private final Set<LinkConnection> open = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService lifetime =
      Executors.newSingleThreadScheduledExecutor(LinkConnection.daemon("link-emulator-lifetime"));
  private final CompletableFuture<Void> stopped = new CompletableFuture<>();
  private final Thread acceptor;

  private LinkEmulator(LinkProfile profile, int targetPort, Stalls stalls) throws IOException {
    this.profile = profile;
    this.targetPort = targetPort;
    // Both directions share the stalls: when the radio is gone, it is gone both ways.
    this.uplink = new Bottleneck(profile.uplinkBitsPerSecond, profile.oneWayNanos(), stalls);
    this.downlink = new Bottleneck(profile.downlinkBitsPerSecond, profile.oneWayNanos(), stalls);
    this.server = new ServerSocket(0, 50, LOOPBACK);
    this.acceptor = LinkConnection.daemon("link-emulator-" + profile.name + "-accept")
        .newThread(this::accept);
  }

  /**
   * Starts an emulator in front of {@code 127.0.0.1:targetPort}.
   *
   * @param stalls {@link Stalls#NONE} for a link that never stops
   * @param maxLifetime when it stops by itself, at most one hour
   * @throws IOException when it cannot bind
   */
  static LinkEmulator start(LinkProfile profile, int targetPort, Stalls stalls,
      Duration maxLifetime) throws IOException {
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(stalls, "stalls");
    if (targetPort < 1 || targetPort > 65535) {
      throw new IllegalArgumentException("targetPort must be between 1 and 65535: " + targetPort);
    }
    if (maxLifetime.isNegative() || maxLifetime.isZero()
        || maxLifetime.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException("maxLifetime must be between 0 and 1 hour: " + maxLifetime);
    }
    LinkEmulator link = new LinkEmulator(profile, targetPort, stalls);
    link.lifetime.schedule(link::close, maxLifetime.toNanos(), TimeUnit.NANOSECONDS);
    link.acceptor.start();
    return link;
  }

  /** The address clients connect to instead of the target. */
  InetSocketAddress address() {
    return new InetSocketAddress(LOOPBACK, server.getLocalPort());
  }

  /** {@code http://127.0.0.1:<port><path>}: the target's URL, through the link. */
  URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.getLocalPort() + path);
  }

  /** Bytes the clients sent, so far. */
  long uplinkBytes() {
    return uplinkBytes.get();
  }

  /** Bytes the target sent back, so far. */
  long downlinkBytes() {
    return downlinkBytes.get();
  }

  int connectionsOpened() {
    return connectionsOpened.get();
  }

  /** Completes when the emulator has stopped, by {@link #close()} or at the end of its lifetime. */
  CompletableFuture<Void> stopped() {
    return stopped;
  }

  /** Nanoseconds since the emulator started: the time axis of the model. */
  long now() {
    return System.nanoTime() - origin;
  }

  /** At least twice the bandwidth-delay product, so that the window never limits the rate. */
  int windowBytes(long bitsPerSecond) {
    long bdp = bitsPerSecond / 8 * profile.roundTrip.toMillis() / 1000;
    return (int) Math.min(16L << 20, Math.max(MIN_WINDOW, 2 * bdp));
  }

  private void accept() {
    int n = 0;
    while (!server.isClosed()) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        break;
      }
      long acceptedAt = now();
      if (open.size() >= MAX_CONNECTIONS) {
        closeQuietly(client);
        continue;
      }
      Socket target = new Socket();
      try {
        client.setTcpNoDelay(true);
        target.setTcpNoDelay(true);
        target.connect(new InetSocketAddress(LOOPBACK, targetPort), 5_000);
      } catch (IOException e) {
        closeQuietly(client);
        closeQuietly(target);
        continue;
      }
      connectionsOpened.incrementAndGet();
      LinkConnection[] holder = new LinkConnection[1];
      holder[0] = new LinkConnection(this, "link-emulator-" + profile.name + "-" + ++n, client,
          target, acceptedAt, () -> open.remove(holder[0]));
      open.add(holder[0]);
      holder[0].start();
      if (server.isClosed()) {
        // close() may have run between accept() and add(): leave nothing open behind it.
        holder[0].close();
      }
    }
  }

  /** Stops accepting, closes every connection and its threads; idempotent. */
  @Override
  public void close() {
    closeQuietly(server);
    for (LinkConnection c : open) {
      c.close();
    }
    lifetime.shutdownNow();
    stopped.complete(null);
  }

  private static void closeQuietly(java.io.Closeable c) {
    try {
      c.close();
    } catch (IOException e) {
      // Closing is all that is left to do with it.
    }
  }

  private static InetAddress loopback() {
    try {
      return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "LinkEmulator[" + profile + ", 127.0.0.1:" + server.getLocalPort() + " -> 127.0.0.1:"
        + targetPort + "]";
  }
}

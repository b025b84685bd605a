package com.meterit.sync.examples.tools.bench;

import java.io.IOException;
import java.net.Socket;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One client connection through the emulator: the client's socket, the socket to the target, and
 * a {@link LinkPipe} each way, each on its own reader and writer thread (four daemon threads).
 */
final class LinkConnection {
  private final Socket client;
  private final Socket target;
  private final ScheduledExecutorService upWriter;
  private final ScheduledExecutorService downWriter;
  private final Thread upReader;
  private final Thread downReader;
  private final AtomicInteger halfClosed = new AtomicInteger();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Runnable onClose;

  LinkConnection(LinkEmulator link, String name, Socket client, Socket target, long acceptedAt,
      Runnable onClose) {
    this.client = client;
    this.target = target;
    this.onClose = onClose;
    upWriter = Executors.newSingleThreadScheduledExecutor(daemon(name + "-up-write"));
    downWriter = Executors.newSingleThreadScheduledExecutor(daemon(name + "-down-write"));
    // A real client's first byte leaves after the TCP handshake, one round trip after connect();
    // on loopback connect() returns at once, so the uplink holds the first byte back instead.
    // HTTP's server speaks second, so the downlink needs no such hold.
    LinkPipe up = new LinkPipe(this, client, target, link.uplink, link::now,
        acceptedAt + link.profile.roundTrip.toNanos(), upWriter,
        link.windowBytes(link.profile.uplinkBitsPerSecond), link.uplinkBytes);
    LinkPipe down = new LinkPipe(this, target, client, link.downlink, link::now, acceptedAt,
        downWriter, link.windowBytes(link.profile.downlinkBitsPerSecond), link.downlinkBytes);
    upReader = daemon(name + "-up-read").newThread(up);
    downReader = daemon(name + "-down-read").newThread(down);
  }

  void start() {
    upReader.start();
    downReader.start();
  }

  /** Both directions have delivered their end of stream: the connection is over. */
  void halfClosed() {
    if (halfClosed.incrementAndGet() == 2) {
      close();
    }
  }

  /** Closes both sockets and stops the four threads; idempotent. */
  void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    closeQuietly(client);
    closeQuietly(target);
    upWriter.shutdownNow();
    downWriter.shutdownNow();
    // A reader may wait for window space that its stopped writer will never free.
    upReader.interrupt();
    downReader.interrupt();
    onClose.run();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // Closing is all that is left to do with it.
    }
  }

  static ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}

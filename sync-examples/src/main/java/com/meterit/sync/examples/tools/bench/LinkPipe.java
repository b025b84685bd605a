package com.meterit.sync.examples.tools.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One direction of one emulated connection. The reader takes bytes off the near socket the moment
 * they arrive, books them on the direction's shared {@link Bottleneck}, and hands each chunk to a
 * single-threaded scheduler that writes it to the far socket at its delivery time. One writer per
 * pipe and delivery times that never go backwards keep the bytes in order.
 */
final class LinkPipe implements Runnable {
  /** One TCP segment's payload on a 1,500-byte MTU: a chunk's first byte is not held back by a big read. */
  static final int CHUNK = 1460;

  private final Socket from;
  private final Socket to;
  private final Bottleneck link;
  private final LinkClock clock;
  private final long notBefore;
  private final ScheduledExecutorService writer;
  // Bytes read but not yet written: a bound on memory, and the back pressure a TCP window gives.
  private final Semaphore window;
  private final AtomicLong bytes;
  private final LinkConnection connection;
  private long lastDelivery;

  /** Nanoseconds on the emulator's time axis. */
  interface LinkClock {
    long now();
  }

  /**
   * @param notBefore the link time before which nothing leaves: the end of the TCP handshake
   * @param windowBytes how many bytes may be in the pipe; at least twice the bandwidth-delay
   *     product, so the window never limits the rate
   */
  LinkPipe(LinkConnection connection, Socket from, Socket to, Bottleneck link, LinkClock clock,
      long notBefore, ScheduledExecutorService writer, int windowBytes, AtomicLong bytes) {
    this.connection = connection;
    this.from = from;
    this.to = to;
    this.link = link;
    this.clock = clock;
    this.notBefore = notBefore;
    this.writer = writer;
    this.window = new Semaphore(windowBytes);
    this.bytes = bytes;
  }

  @Override
  public void run() {
    byte[] buffer = new byte[CHUNK];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      while (true) {
        window.acquire(CHUNK);
        int n = in.read(buffer);
        if (n < 0) {
          // The end of the stream travels like a byte: after the data, one delay later.
          long at = Math.max(lastDelivery, link.propagate(Math.max(clock.now(), notBefore)));
          schedule(at, () -> {
            to.shutdownOutput();
            connection.halfClosed();
          });
          return;
        }
        window.release(CHUNK - n);
        lastDelivery = link.deliver(Math.max(clock.now(), notBefore), n);
        bytes.addAndGet(n);
        byte[] chunk = Arrays.copyOf(buffer, n);
        schedule(lastDelivery, () -> {
          out.write(chunk);
          window.release(chunk.length);
        });
      }
    } catch (IOException | RejectedExecutionException e) {
      connection.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      connection.close();
    }
  }

  private interface Delivery {
    void run() throws IOException;
  }

  private void schedule(long at, Delivery delivery) {
    writer.schedule(() -> {
      try {
        delivery.run();
      } catch (IOException e) {
        connection.close();
      }
    }, at - clock.now(), TimeUnit.NANOSECONDS);
  }
}

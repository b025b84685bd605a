package com.meterit.sync.examples.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The emulator against the wall clock: known payloads through lte-m take the time the profile
 * predicts. Bytes must never arrive early (the model is a lower bound, so the floor is tight) and
 * may arrive late by scheduling on a loaded 2-core machine (the ceiling is generous: +20%). Small
 * payloads keep the whole class to about four seconds.
 */
class LinkEmulatorTest {
  private static final LinkProfile LTE_M = LinkProfile.LTE_M;
  private static final double EARLY = 0.005;
  private static final double LATE = 0.20;

  private AnsweringServer server;
  private LinkEmulator link;

  @BeforeEach
  void start() throws IOException {
    server = new AnsweringServer();
    link = LinkEmulator.start(LTE_M, server.port(), Stalls.NONE, Duration.ofMinutes(1));
  }

  @AfterEach
  void stop() throws IOException {
    link.close();
    server.close();
  }

  @Test
  void newConnectionPaysTheHandshakeThenOneRoundTrip() throws Exception {
    try (Client warm = new Client(link)) {
      // Class loading and the first threads would otherwise count as link time.
      warm.exchange(1, 1);
    }
    long start = System.nanoTime();
    try (Client client = new Client(link)) {
      client.exchange(1, 1);
      double seconds = (System.nanoTime() - start) / 1e9;
      // The handshake's round trip, then the request's: 8 + 1 bytes up, 1 byte down.
      assertWithin(LTE_M.roundTrip.toNanos() / 1e9 + LTE_M.exchangeSeconds(9, 1), seconds);
    }
  }

  @Test
  void payloadUpTakesItsSerializationPlusTheRoundTrip() throws Exception {
    try (Client client = new Client(link)) {
      client.exchange(1, 1);
      double seconds = client.exchange(64 * 1024, 1);
      // 65,544 bytes at 375 kbit/s is 1.398 s; plus 200 ms.
      assertWithin(LTE_M.exchangeSeconds(64 * 1024 + 8, 1), seconds);
      assertEquals(64 * 1024 + 8 + 9, link.uplinkBytes());
      assertEquals(2, link.downlinkBytes());
    }
  }

  @Test
  void answerDownTakesTheDownlinksSerialization() throws Exception {
    try (Client client = new Client(link)) {
      client.exchange(1, 1);
      double seconds = client.exchange(1, 64 * 1024);
      // 64 KiB at 1.5 Mbit/s is 0.350 s; plus 200 ms.
      assertWithin(LTE_M.exchangeSeconds(9, 64 * 1024), seconds);
    }
  }

  @Test
  void twoConnectionsShareTheUplink() throws Exception {
    try (Client a = new Client(link); Client b = new Client(link)) {
      a.exchange(1, 1);
      b.exchange(1, 1);
      CountDownLatch ready = new CountDownLatch(2);
      CountDownLatch go = new CountDownLatch(1);
      CompletableFuture<Double> first =
          CompletableFuture.supplyAsync(() -> a.after(ready, go, 16 * 1024));
      CompletableFuture<Double> second =
          CompletableFuture.supplyAsync(() -> b.after(ready, go, 16 * 1024));
      assertTrue(ready.await(10, TimeUnit.SECONDS));
      long start = System.nanoTime();
      go.countDown();
      first.get(10, TimeUnit.SECONDS);
      second.get(10, TimeUnit.SECONDS);
      double both = (System.nanoTime() - start) / 1e9;
      // Both requests go through one transmitter: the second ends when 32 KiB have gone out.
      assertWithin(LTE_M.exchangeSeconds(2 * (16 * 1024 + 8), 1), both);
    }
  }

  @Test
  void bindsToLoopbackAndStopsByItselfAtTheEndOfItsLifetime() throws Exception {
    try (LinkEmulator shortLived =
        LinkEmulator.start(LTE_M, server.port(), Stalls.NONE, Duration.ofMillis(200))) {
      assertEquals(InetAddress.getByName("127.0.0.1"), shortLived.address().getAddress());
      shortLived.stopped().get(5, TimeUnit.SECONDS);
      assertThrows(ConnectException.class, () -> new Socket(shortLived.address().getAddress(),
          shortLived.address().getPort()).close());
    }
  }

  private static void assertWithin(double predicted, double measured) {
    assertTrue(measured >= predicted - EARLY && measured <= predicted * (1 + LATE),
        String.format("predicted %.3f s, measured %.3f s (allowed %.3f to %.3f)", predicted,
            measured, predicted - EARLY, predicted * (1 + LATE)));
  }

  /** Speaks the test protocol: request length, answer length, request bytes; then reads the answer. */
  private static final class Client implements AutoCloseable {
    private final Socket socket;
    private final DataOutputStream out;
    private final DataInputStream in;

    Client(LinkEmulator link) throws IOException {
      socket = new Socket(link.address().getAddress(), link.address().getPort());
      socket.setTcpNoDelay(true);
      out = new DataOutputStream(socket.getOutputStream());
      in = new DataInputStream(socket.getInputStream());
    }

    /** Seconds from writing the request to reading the answer's last byte. */
    double exchange(int requestBytes, int answerBytes) throws IOException {
      long start = System.nanoTime();
      byte[] request = new byte[8 + requestBytes];
      ByteBuffer.wrap(request).putInt(requestBytes).putInt(answerBytes);
      out.write(request);
      out.flush();
      in.readFully(new byte[answerBytes]);
      return (System.nanoTime() - start) / 1e9;
    }

    double after(CountDownLatch ready, CountDownLatch go, int requestBytes) {
      try {
        ready.countDown();
        go.await();
        return exchange(requestBytes, 1);
      } catch (IOException | InterruptedException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  /** Reads each request whole, then answers with as many bytes as it asked for. */
  private static final class AnsweringServer implements AutoCloseable {
    private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));

    AnsweringServer() throws IOException {
      Thread acceptor = new Thread(this::accept, "answering-server");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return socket.getLocalPort();
    }

    private void accept() {
      while (!socket.isClosed()) {
        try {
          Socket s = socket.accept();
          s.setTcpNoDelay(true);
          Thread t = new Thread(() -> serve(s), "answering-server-connection");
          t.setDaemon(true);
          t.start();
        } catch (IOException e) {
          return;
        }
      }
    }

    private static void serve(Socket s) {
      try (s) {
        DataInputStream in = new DataInputStream(s.getInputStream());
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        while (true) {
          int request = in.readInt();
          int answer = in.readInt();
          in.readFully(new byte[request]);
          out.write(new byte[answer]);
          out.flush();
        }
      } catch (IOException e) {
        // The client closed the connection: the test is over.
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}

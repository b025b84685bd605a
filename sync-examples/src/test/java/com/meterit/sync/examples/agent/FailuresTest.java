package com.meterit.sync.examples.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

/** Why a real request on loopback failed, in the words an operator acts on. */
class FailuresTest {
  private static String diagnose(String url, Duration timeout) {
    try {
      return new Reachability(URI.create(url), SSLContext.getDefault(), timeout).diagnose();
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("the JVM has no default TLS context", e);
    }
  }

  @Test
  void aClosedPortIsAConnectionRefused() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    assertEquals("connection refused: nothing accepts connections at that address and port",
        diagnose("http://127.0.0.1:" + port + "/api", Duration.ofSeconds(5)));
  }

  @Test
  void aNameThatDoesNotResolveIsDns() {
    // .invalid never resolves (RFC 2606).
    assertTrue(diagnose("http://client.invalid/api", Duration.ofSeconds(10))
        .startsWith("DNS: the host name does not resolve"));
  }

  @Test
  void httpsToAPlainServerIsATlsFailure() throws Exception {
    try (ServerSocket plain = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread answer = new Thread(() -> {
        // As a plain HTTP server does: read the request (a ClientHello), answer 400, and close
        // in order. Closing with the hello unread would reset the connection, and whether the
        // client then sees a TLS failure or a stalled handshake is a race.
        try (Socket s = plain.accept()) {
          s.setSoTimeout(60_000);
          InputStream in = s.getInputStream();
          if (in.read() < 0) {
            return;
          }
          s.getOutputStream().write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes());
          s.shutdownOutput();
          while (in.read(new byte[512]) >= 0) {
            // Drain until the client hangs up.
          }
        } catch (IOException ignored) {
          // The client hung up first: fine.
        }
      });
      answer.start();
      // Generous: a loaded machine can take seconds over the handshake, and a slow one is no TLS
      // failure.
      String why = diagnose("https://127.0.0.1:" + plain.getLocalPort() + "/api", Duration.ofSeconds(30));
      assertTrue(why.startsWith("TLS handshake failed: "), why);
      answer.join();
    }
  }

  @Test
  void aServerThatNeverAnswersIsATimeout() throws Exception {
    CountDownLatch done = new CountDownLatch(1);
    try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread hold = new Thread(() -> {
        try {
          Socket accepted = silent.accept();
          try {
            done.await();
          } finally {
            accepted.close();
          }
        } catch (IOException | InterruptedException ignored) {
          // Closing is all that is left to do.
        }
      });
      hold.start();
      assertEquals("timed out waiting for an answer",
          diagnose("http://127.0.0.1:" + silent.getLocalPort() + "/api", Duration.ofMillis(500)));
      done.countDown();
      hold.join();
    }
  }

  @Test
  void aFailureWithoutANetworkCauseKeepsItsMessage() {
    assertEquals("upload failed (HTTP 503): overloaded",
        Failures.why(new IllegalStateException("upload failed (HTTP 503): overloaded")));
  }

  /**
   * A hostile Client System (or anything in the middle of plain http) answers the diagnosis with
   * a status line of its own making; the JDK quotes it in its ProtocolException, and the line
   * "Client System unreachable (...)" must not carry its escape codes to the operator's terminal.
   */
  @Test
  void aHostileStatusLineReachesTheLogEscaped() throws Exception {
    String forged = "HTTP/1.1 2\u001b[2K\u001b[1G[INFO] meter-sync-agent - FORGED all clear"
        + "\u001b]0;owned\u0007\u009b2J\r\n\r\n";
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread answer = answerOnce(server, forged.getBytes(StandardCharsets.ISO_8859_1), false);
      String why = diagnose("http://127.0.0.1:" + server.getLocalPort() + "/api",
          Duration.ofSeconds(10));
      answer.join();
      assertFalse(why.chars().anyMatch(Character::isISOControl), why);
    }
  }

  /**
   * The diagnosis runs on the agent's one thread, which also purges synced readings: a health
   * answer whose body never ends must not hold it for good.
   */
  @Test
  void aHealthAnswerWhoseBodyNeverEndsDoesNotHoldTheDiagnosis() throws Exception {
    String headers = "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 1000000\r\n\r\nx";
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread answer = answerOnce(server, headers.getBytes(StandardCharsets.ISO_8859_1), true);
      String why = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> diagnose(
          "http://127.0.0.1:" + server.getLocalPort() + "/api", Duration.ofMillis(500)));
      assertEquals("the health check answered HTTP 503", why);
      answer.interrupt();
      answer.join();
    }
  }

  /** Accepts one connection, reads the request, writes {@code answer}, then closes or holds. */
  private static Thread answerOnce(ServerSocket server, byte[] answer, boolean hold) {
    Thread t = new Thread(() -> {
      try (Socket s = server.accept()) {
        s.setSoTimeout(30_000);
        InputStream in = s.getInputStream();
        byte[] request = new byte[4096];
        if (in.read(request) < 0) {
          return;
        }
        OutputStream out = s.getOutputStream();
        out.write(answer);
        out.flush();
        if (hold) {
          // The rest of the body never comes; the client must give up on its own.
          while (in.read(request) >= 0) {
            // until the client hangs up
          }
        }
      } catch (IOException ignored) {
        // the client hung up
      }
    });
    t.setDaemon(true);
    t.start();
    return t;
  }
}

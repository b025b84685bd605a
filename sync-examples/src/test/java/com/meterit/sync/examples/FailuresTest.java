package com.meterit.sync.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
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
}

package com.meterit.sync.examples.agent;

import java.io.EOFException;
import com.meterit.sync.core.internal.Redaction;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * Says in a few words why a network exchange failed, from an exception's cause chain: the JDK's
 * HTTP client reports a refused connection as a {@code ConnectException} without a message, and
 * the reason an operator can act on (DNS, refused, TLS, timeout) sits further down.
 */
final class Failures {
  private static final int MAX_DEPTH = 16;
  private static final int MAX_LENGTH = 200;

  private Failures() {}

  /** Why {@code failure} happened, such as {@code connection refused}; never null. */
  static String why(Throwable failure) {
    List<Throwable> chain = new ArrayList<>();
    for (Throwable t = failure; t != null && chain.size() < MAX_DEPTH; t = t.getCause()) {
      chain.add(t);
    }
    // Most specific first: a TLS failure also surfaces as a closed connection, for example.
    for (Throwable t : chain) {
      if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
        return "DNS: the host name does not resolve"
            + (t.getMessage() == null ? "" : " (" + shorten(t.getMessage()) + ")");
      }
    }
    for (Throwable t : chain) {
      if (t instanceof SSLException) {
        return "TLS handshake failed: " + shorten(t.getMessage());
      }
    }
    for (Throwable t : chain) {
      if (t instanceof NoRouteToHostException) {
        return "no route to host";
      }
      if (t instanceof HttpConnectTimeoutException) {
        return "timed out connecting";
      }
    }
    for (Throwable t : chain) {
      if (t instanceof ConnectException) {
        return "connection refused: nothing accepts connections at that address and port";
      }
    }
    for (Throwable t : chain) {
      if (t instanceof HttpTimeoutException || t instanceof SocketTimeoutException) {
        return "timed out waiting for an answer";
      }
      if (t instanceof SocketException && String.valueOf(t.getMessage()).contains("reset")) {
        return "the connection was reset";
      }
      if (t instanceof EOFException) {
        return "the connection closed without an answer";
      }
    }
    String message = failure.getMessage();
    return message == null || message.isBlank()
        ? failure.getClass().getSimpleName() : shorten(message);
  }

  /**
   * One line of a JDK message fit for the log: it may quote the server (an invalid status line
   * or header, as received), so control characters are escaped through {@link Redaction}.
   */
  private static String shorten(String message) {
    if (message == null) {
      return "no detail";
    }
    return Redaction.untrusted(message.replaceAll("[ \\t\\r\\n]+", " ").trim(), MAX_LENGTH);
  }
}

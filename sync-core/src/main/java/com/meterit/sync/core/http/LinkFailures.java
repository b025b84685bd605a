package com.meterit.sync.core.http;

import com.meterit.sync.core.internal.Redaction;
import java.io.EOFException;
import java.net.ConnectException;
import java.net.URI;
import java.util.Locale;

/**
 * Says in words how the link failed, where the JDK's message names its own internals ("HTTP/1.1
 * header parser received no bytes") or nothing at all (a refused connection has no message). The
 * words go into the failure's message, and so into the run's error, the status and the log.
 */
final class LinkFailures {
  private static final int MAX_DEPTH = 8;

  private LinkFailures() {}

  /** How the exchange with {@code uri} failed, or null when the JDK's own words must do. */
  static String describe(Throwable failure, URI uri) {
    int depth = 0;
    for (Throwable t = failure; t != null && depth < MAX_DEPTH; t = t.getCause(), depth++) {
      if (t instanceof ConnectException) {
        return "connection refused (nothing listens at " + Redaction.escape(uri.getHost()) + ":"
            + Exchange.port(uri) + ")";
      }
      String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
      if (t instanceof EOFException || message.contains("header parser received no bytes")
          || message.contains("connection closed")) {
        return "the connection closed before an answer";
      }
      if (message.contains("connection reset")) {
        return "the connection was reset";
      }
    }
    return null;
  }
}

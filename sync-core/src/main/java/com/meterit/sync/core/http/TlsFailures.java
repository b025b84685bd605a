package com.meterit.sync.core.http;

import com.meterit.sync.api.TransientGatewayException;
import com.meterit.sync.core.internal.Redaction;
import java.io.IOException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Locale;
import javax.net.ssl.SSLException;

/**
 * Says in plain words why a TLS handshake failed: an untrusted CA, an expired certificate, a
 * certificate for another name, or a client certificate the server wanted; with the setting that
 * cures the first and the last. A TLS failure stays transient (a captive portal on a cellular
 * link, or a certificate renewed on the server, cures itself), but its message says what an
 * operator must look at, and the health probe logs it as a warning. Thread-safe.
 */
final class TlsFailures {
  /** A failed TLS handshake; transient, so that the readings stay queued and are retried. */
  static final class HandshakeFailed extends TransientGatewayException {
    private static final long serialVersionUID = 1L;

    HandshakeFailed(String message, Throwable cause) {
      super(message, 0, null, null, cause);
    }
  }

  private final Redaction redaction;
  private final ClientTls tls;
  private final String caRemedy;
  private final String clientCertificateRemedy;

  TlsFailures(Redaction redaction, ClientTls tls, String caRemedy,
      String clientCertificateRemedy) {
    this.redaction = redaction;
    this.tls = tls;
    this.caRemedy = caRemedy;
    this.clientCertificateRemedy = clientCertificateRemedy;
  }

  /**
   * What went wrong in the handshake with {@code host}, or null when {@code failure} is not a
   * TLS failure. Server text in the JDK's message is masked, escaped and bounded.
   */
  String describe(Throwable failure, String host) {
    SSLException ssl = find(failure, SSLException.class);
    if (ssl == null) {
      // TLS 1.3: a refusal of the client certificate comes after the handshake, and reaches the
      // JDK client as a closed connection.
      return find(failure, IOException.class) == null ? null : certificateRequest(failure);
    }
    if (find(failure, CertificateExpiredException.class) != null) {
      return "a certificate of the server's chain has expired";
    }
    if (find(failure, CertificateNotYetValidException.class) != null) {
      return "a certificate of the server's chain is not valid yet; check this gateway's clock";
    }
    if (find(failure, CertPathBuilderException.class) != null) {
      return "the server's certificate does not lead to a trusted CA; for a private CA, "
          + caRemedy;
    }
    CertificateException certificate = find(failure, CertificateException.class);
    String certificateMessage = certificate == null ? "" : String.valueOf(certificate.getMessage());
    if (certificateMessage.startsWith("No subject alternative")
        || certificateMessage.startsWith("No name matching")) {
      return "the server's certificate is not issued for " + Redaction.escape(host)
          + " (hostname checks are always on)";
    }
    String message = String.valueOf(ssl.getMessage()).toLowerCase(Locale.ROOT);
    if (message.contains("certificate_required") || message.contains("bad_certificate")
        || message.contains("certificate_unknown") || message.contains("unknown_ca")
        || message.contains("access_denied")) {
      return "the server refused this gateway's client certificate, or required one and none "
          + "is set (" + clientCertificateRemedy + "): " + redaction.describe(ssl, 120);
    }
    String request = certificateRequest(ssl);
    return request != null ? request : redaction.describe(ssl, 300);
  }

  /** A connection closed after the server asked for a client certificate, or null. */
  private String certificateRequest(Throwable failure) {
    if (tls.askedForAMissingCertificate()) {
      return "the server asked for a client certificate and none is set ("
          + clientCertificateRemedy + "); it then closed the connection: "
          + redaction.describe(failure, 120);
    }
    if (tls.askedForThePresentedCertificate()) {
      return "the server closed the connection after asking for this gateway's client "
          + "certificate; it may not accept that certificate: " + redaction.describe(failure, 120);
    }
    return null;
  }

  private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
    Throwable t = failure;
    for (int depth = 0; t != null && depth < 10; depth++, t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }
}

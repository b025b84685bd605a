package com.meterit.sync.core.http;

/**
 * How the certificates of {@link HttpClientSystemGatewayBuilder#setTrustedCertificates} combine
 * with the JVM's trust (the JDK's {@code cacerts}, or the store that
 * {@code -Djavax.net.ssl.trustStore} names).
 */
public enum TrustMode {
  /** The file's certificates are trusted as well as the JVM's: the usual choice. */
  ADD,
  /**
   * Only the file's certificates are trusted: a server with a publicly trusted certificate is
   * refused unless its CA is in the file. For a private PKI that must not accept anyone else.
   */
  REPLACE
}

package com.meterit.sync.core.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The access token, kept until shortly before it expires. Concurrent callers that find it
 * missing share one refresh: the first refreshes under the lock, the others wait and reuse it.
 */
final class TokenCache {
  /** Refresh this long before expiry, or at half the lifetime of a short-lived token. */
  static final Duration REFRESH_MARGIN = Duration.ofSeconds(60);

  /** Obtains a fresh token from the server. */
  interface Issuer {
    WireFormat.Token issue();
  }

  private final Issuer issuer;
  private final Clock clock;
  private String token;
  private Instant refreshAt;

  TokenCache(Issuer issuer, Clock clock) {
    this.issuer = issuer;
    this.clock = clock;
  }

  /** A valid token, refreshed first if it is missing or about to expire. */
  synchronized String get() {
    if (token == null || !clock.instant().isBefore(refreshAt)) {
      refresh();
    }
    return token;
  }

  /** Replaces the token, whatever its age. */
  synchronized String refresh() {
    WireFormat.Token issued = issuer.issue();
    Duration lifetime = issued.expiresIn;
    Duration margin = lifetime.compareTo(REFRESH_MARGIN.multipliedBy(2)) < 0
        ? lifetime.dividedBy(2)
        : REFRESH_MARGIN;
    token = issued.accessToken;
    refreshAt = clock.instant().plus(lifetime).minus(margin);
    return token;
  }

  /**
   * Returns a token other than {@code rejected}: the one another caller already refreshed, or a
   * new one. So a burst of 401s on the same token costs one refresh.
   */
  synchronized String replace(String rejected) {
    if (token != null && !token.equals(rejected) && clock.instant().isBefore(refreshAt)) {
      return token;
    }
    return refresh();
  }

  /** The current token without refreshing, or null; for redaction only. */
  synchronized String peek() {
    return token;
  }

  @Override
  public String toString() {
    return "TokenCache{token=" + (token == null ? "none" : "****") + '}';
  }
}

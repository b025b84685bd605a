package com.meterit.sync.core.http;

import com.meterit.sync.api.TransientGatewayException;
import com.meterit.sync.core.time.Ticker;
import com.meterit.sync.core.internal.Values;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access token, kept until shortly before it expires.
 *
 * <p>Concurrent callers that find it missing share one refresh: the first caller issues it on its
 * own thread, the others wait for that refresh, at most {@code waitLimit} (the exchange deadline,
 * which also bounds the refresh itself), and then fail as transient. No lock is held while the
 * server is asked, so a stalled token answer cannot block anybody beyond that bound.
 *
 * <p>A token is kept only when it can be used: its characters can go in a header and its expiry
 * can be computed. Anything else is discarded, the failure is transient, and the next call asks
 * again. So no answer can leave the cache in a state that fails forever. Thread-safe.
 */
final class TokenCache {
  private static final Logger log = LoggerFactory.getLogger(TokenCache.class);

  /** Refresh this long before expiry, or at half the lifetime of a short-lived token. */
  static final Duration REFRESH_MARGIN = Duration.ofSeconds(60);
  /** The shortest lifetime believed: 1 second. A shorter {@code expiresIn} is raised to it. */
  static final Duration MIN_LIFETIME = Duration.ofSeconds(1);
  /**
   * The longest lifetime believed: 24 hours. A longer {@code expiresIn} (up to 1e300 from a
   * broken server) is cut to it, so a revoked token is dropped within a day and the expiry
   * arithmetic cannot overflow.
   */
  static final Duration MAX_LIFETIME = Duration.ofHours(24);
  /** The longest token kept: {@value} characters, well within every server's header limits. */
  static final int MAX_TOKEN_LENGTH = 8192;

  /** Obtains a fresh token from the server. */
  interface Issuer {
    WireFormat.Token issue();
  }

  /**
   * A usable token and when to refresh it, on the ticker (a step of the wall clock would drop it
   * early, or keep it a day past its expiry); immutable, so it is never seen half-set.
   */
  private static final class Held {
    final String value;
    final long refreshAt;

    Held(String value, long refreshAt) {
      this.value = value;
      this.refreshAt = refreshAt;
    }
  }

  private final Issuer issuer;
  private final Ticker ticker;
  private final Duration waitLimit;
  private final Object lock = new Object();
  private Held held; // guarded by lock
  private CompletableFuture<Held> refreshing; // guarded by lock

  TokenCache(Issuer issuer, Ticker ticker, Duration waitLimit) {
    this.issuer = issuer;
    this.ticker = ticker;
    this.waitLimit = waitLimit;
  }

  /** A valid token, refreshed first if it is missing or about to expire. */
  String get() {
    return obtain(h -> h.refreshAt - ticker.nanos() > 0);
  }

  /** A freshly issued token, whatever the age of the current one. */
  String refresh() {
    return obtain(h -> false);
  }

  /**
   * Returns a token other than {@code rejected}: the one another caller already refreshed, or a
   * new one. So a burst of 401s on the same token costs one refresh.
   */
  String replace(String rejected) {
    return obtain(h -> !h.value.equals(rejected) && h.refreshAt - ticker.nanos() > 0);
  }

  private String obtain(Predicate<Held> usable) {
    CompletableFuture<Held> pending;
    boolean mine = false;
    synchronized (lock) {
      if (held != null && usable.test(held)) {
        return held.value;
      }
      if (refreshing == null) {
        refreshing = new CompletableFuture<>();
        mine = true;
      }
      pending = refreshing;
    }
    return mine ? issueInto(pending) : await(pending);
  }

  private String issueInto(CompletableFuture<Held> pending) {
    Held fresh;
    try {
      fresh = hold(issuer.issue());
    } catch (RuntimeException | Error e) {
      synchronized (lock) {
        refreshing = null;
      }
      pending.completeExceptionally(e);
      throw e;
    }
    synchronized (lock) {
      held = fresh;
      refreshing = null;
    }
    pending.complete(fresh);
    return fresh.value;
  }

  private String await(CompletableFuture<Held> pending) {
    try {
      return pending.get(waitLimit.toNanos(), TimeUnit.NANOSECONDS).value;
    } catch (TimeoutException e) {
      throw new TransientGatewayException("authentication: no token within " + waitLimit
          + " while waiting for the token request in progress", 0, null, null, null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransientGatewayException(
          "authentication: interrupted while waiting for the token request in progress",
          0, null, null, null);
    } catch (ExecutionException e) {
      // The refresh we waited for failed; its failure (typed: 401, 403, transient) is ours too.
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException) {
        throw (RuntimeException) cause;
      }
      if (cause instanceof Error) {
        throw (Error) cause;
      }
      throw new TransientGatewayException("authentication failed", 0, null, null, null);
    }
  }

  /** The token as it will be kept, or a transient failure that says why it cannot be. */
  private Held hold(WireFormat.Token issued) {
    String token = issued.accessToken;
    String problem = token.isEmpty() ? "is empty"
        : token.length() > MAX_TOKEN_LENGTH ? "is longer than " + MAX_TOKEN_LENGTH + " characters"
        : Values.unsendable(token);
    if (problem != null) {
      throw new TransientGatewayException(
          "authentication: the issued token " + problem + "; it was discarded", 0, null, null, null);
    }
    Duration lifetime = lifetime(issued.expiresIn);
    Duration margin = lifetime.compareTo(REFRESH_MARGIN.multipliedBy(2)) < 0
        ? lifetime.dividedBy(2)
        : REFRESH_MARGIN;
    // Within MAX_LIFETIME, so no overflow.
    return new Held(token, ticker.nanos() + lifetime.minus(margin).toNanos());
  }

  private static Duration lifetime(BigDecimal expiresIn) {
    if (expiresIn.compareTo(BigDecimal.valueOf(MAX_LIFETIME.getSeconds())) > 0) {
      log.warn("The Client System issued a token for {} seconds; keeping it at most {}",
          expiresIn.round(new MathContext(3)), MAX_LIFETIME);
      return MAX_LIFETIME;
    }
    if (expiresIn.compareTo(BigDecimal.valueOf(MIN_LIFETIME.getSeconds())) < 0) {
      log.warn("The Client System issued a token for {} seconds; keeping it {}",
          expiresIn.round(new MathContext(3)), MIN_LIFETIME);
      return MIN_LIFETIME;
    }
    return Duration.ofMillis(expiresIn.movePointRight(3).longValue());
  }

  @Override
  public String toString() {
    synchronized (lock) {
      return "TokenCache{token=" + (held == null ? "none" : "****") + '}';
    }
  }
}

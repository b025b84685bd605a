package com.meterit.sync.core.testing;

import com.meterit.sync.api.Claim;
import com.meterit.sync.api.Reading;
import com.meterit.sync.api.ReadingSource;
import com.meterit.sync.api.Rejection;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A source that forwards every call to another, for tests that intercept one of them by
 * overriding it. {@code settleAndClaim} and {@code pendingCount(long)} are not forwarded: their
 * defaults call this source's {@code settle}, {@code claim} and {@code pendingCount()}, so that an
 * interception of those sees them too; a test that wants the delegate's own overrides them.
 */
public class ForwardingReadingSource implements ReadingSource {
  private final ReadingSource delegate;

  /** @param delegate the source every call goes to */
  public ForwardingReadingSource(ReadingSource delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  @Override
  public Claim claim(int maxReadings) {
    return delegate.claim(maxReadings);
  }

  @Override
  public void settle(Claim claim, List<Rejection> rejected) {
    delegate.settle(claim, rejected);
  }

  @Override
  public void release(Claim claim) {
    delegate.release(claim);
  }

  @Override
  public List<Claim> reform(Claim claim, List<List<Reading>> parts) {
    return delegate.reform(claim, parts);
  }

  @Override
  public Map<String, Instant> renew(Collection<Claim> claims) {
    return delegate.renew(claims);
  }

  @Override
  public long pendingCount() {
    return delegate.pendingCount();
  }

  @Override
  public Optional<Instant> oldestPendingTimestamp() {
    return delegate.oldestPendingTimestamp();
  }

  @Override
  public int recoverClaims() {
    return delegate.recoverClaims();
  }
}

package com.meterit.sync.core.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.Test;

/** The answer's size limit, byte by byte, and what counts as the same server. */
class ExchangePartsTest {
  /** A subscription that records what the body subscriber asked of it. */
  private static final class Recording implements Flow.Subscription {
    long requested;
    boolean cancelled;

    @Override
    public void request(long n) {
      requested += n;
    }

    @Override
    public void cancel() {
      cancelled = true;
    }
  }

  private static ByteBuffer bytes(int n) {
    return ByteBuffer.wrap(new byte[n]);
  }

  private static byte[] body(Exchange.BoundedBody subscriber) throws Exception {
    return subscriber.getBody().toCompletableFuture().get();
  }

  @Test
  void aBodyOfExactlyTheLimitIsReadWholeAcrossChunks() throws Exception {
    Exchange.BoundedBody subscriber = new Exchange.BoundedBody(10);
    Recording s = new Recording();
    subscriber.onSubscribe(s);
    assertEquals(Long.MAX_VALUE, s.requested);
    subscriber.onNext(List.of(ByteBuffer.wrap(new byte[] {1, 2, 3}), ByteBuffer.wrap(new byte[] {4})));
    subscriber.onNext(List.of(bytes(6)));
    subscriber.onComplete();
    assertArrayEquals(new byte[] {1, 2, 3, 4, 0, 0, 0, 0, 0, 0}, body(subscriber));
    assertFalse(s.cancelled);
  }

  @Test
  void oneByteOverTheLimitCancelsTheSubscriptionAndFailsTheBody() {
    Exchange.BoundedBody subscriber = new Exchange.BoundedBody(10);
    Recording s = new Recording();
    subscriber.onSubscribe(s);
    subscriber.onNext(List.of(bytes(6)));
    subscriber.onNext(List.of(bytes(5), bytes(1)));
    assertTrue(s.cancelled);
    ExecutionException e = assertThrows(ExecutionException.class, () -> body(subscriber));
    assertTrue(e.getCause() instanceof Exchange.TooLargeException, String.valueOf(e.getCause()));
    assertEquals("the answer is larger than 10 bytes", e.getCause().getMessage());
  }

  @Test
  void aSecondSubscriptionOrOneAfterAbortIsCancelledAtOnce() {
    Exchange.BoundedBody subscriber = new Exchange.BoundedBody(10);
    Recording first = new Recording();
    Recording second = new Recording();
    subscriber.onSubscribe(first);
    subscriber.onSubscribe(second);
    assertTrue(second.cancelled);
    assertEquals(0, second.requested);
    assertFalse(first.cancelled);
    subscriber.abort();
    assertTrue(first.cancelled);
    assertTrue(subscriber.getBody().toCompletableFuture().isCancelled());

    Exchange.BoundedBody aborted = new Exchange.BoundedBody(10);
    aborted.abort();
    Recording late = new Recording();
    aborted.onSubscribe(late);
    assertTrue(late.cancelled);
    assertEquals(0, late.requested);
  }

  @Test
  void aTransportErrorFailsTheBodyWithIt() {
    Exchange.BoundedBody subscriber = new Exchange.BoundedBody(10);
    subscriber.onSubscribe(new Recording());
    java.io.IOException reset = new java.io.IOException("reset");
    subscriber.onError(reset);
    ExecutionException e = assertThrows(ExecutionException.class, () -> body(subscriber));
    assertEquals(reset, e.getCause());
  }

  @Test
  void theSameOriginIsTheSameSchemeHostAndPortWithDefaultPortsFilledIn() {
    URI base = URI.create("https://api.example.com/v1/x");
    assertTrue(Exchange.sameOrigin(base, URI.create("HTTPS://API.example.COM:443/other")));
    assertFalse(Exchange.sameOrigin(base, URI.create("https://api.example.com:8443/v1/x")));
    assertFalse(Exchange.sameOrigin(base, URI.create("http://api.example.com/v1/x")));
    assertFalse(Exchange.sameOrigin(base, URI.create("https://other.example.com/v1/x")));
    assertTrue(Exchange.sameOrigin(URI.create("http://127.0.0.1/a"), URI.create("http://127.0.0.1:80/b")));
    assertEquals(443, Exchange.port(URI.create("HTTPS://h/")));
    assertEquals(80, Exchange.port(URI.create("http://h/")));
    assertEquals(8080, Exchange.port(URI.create("https://h:8080/")));
  }
}

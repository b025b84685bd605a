package com.meterit.sync.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.api.AuthenticationFailedException;
import com.meterit.sync.api.TransientGatewayException;
import com.meterit.sync.core.testing.ManualClock;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * When the token is refreshed, measured on the ticker to the nanosecond, and which issued tokens
 * are kept at all.
 */
class TokenCacheTest {
  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final Deque<Supplier<WireFormat.Token>> answers = new ArrayDeque<>();
  private int issued;
  private final TokenCache cache = new TokenCache(() -> {
    issued++;
    return answers.removeFirst().get();
  }, clock, Duration.ofSeconds(5));

  private void willIssue(String token, String expiresIn) {
    answers.add(() -> new WireFormat.Token(token, new BigDecimal(expiresIn)));
  }

  /** The token is kept up to {@code refreshAfter} and refreshed at that instant, not later. */
  private void assertRefreshedAfter(String expiresIn, Duration refreshAfter) {
    willIssue("first", expiresIn);
    willIssue("second", "3600");
    assertEquals("first", cache.get());
    clock.advance(refreshAfter.minusNanos(1));
    assertEquals("first", cache.get(), "kept until " + refreshAfter + " for " + expiresIn + " s");
    clock.advance(Duration.ofNanos(1));
    assertEquals("second", cache.get(), "refreshed at " + refreshAfter + " for " + expiresIn + " s");
  }

  @Test
  void aTokenIsRefreshedAMinuteBeforeItExpires() {
    assertRefreshedAfter("3600", Duration.ofSeconds(3540));
  }

  @Test
  void aTokenOfTwoMinutesExactlyIsStillRefreshedAMinuteEarly() {
    assertRefreshedAfter("120", Duration.ofSeconds(60));
  }

  @Test
  void aShortLivedTokenIsRefreshedAtHalfItsLifetime() {
    assertRefreshedAfter("119", Duration.ofMillis(59_500));
  }

  @Test
  void aLifetimeIsReadToTheMillisecond() {
    assertRefreshedAfter("10.5", Duration.ofMillis(5_250));
  }

  @Test
  void aLifetimeUnderOneSecondIsRaisedToOne() {
    assertRefreshedAfter("0.001", Duration.ofMillis(500));
  }

  @Test
  void aLifetimeOfOneSecondExactlyIsKeptWithoutAWarning() {
    try (LogCapture log = new LogCapture()) {
      assertRefreshedAfter("1", Duration.ofMillis(500));
      assertEquals(List.of(), log.warnings());
    }
  }

  @Test
  void anAbsurdLifetimeIsCutToADay() {
    assertRefreshedAfter("1e300", Duration.ofHours(24).minusSeconds(60));
  }

  @Test
  void aLifetimeOfADayExactlyIsKeptWithoutAWarning() {
    try (LogCapture log = new LogCapture()) {
      assertRefreshedAfter("86400", Duration.ofHours(24).minusSeconds(60));
      assertEquals(List.of(), log.warnings());
    }
  }

  @Test
  void aCutLifetimeIsWarnedAbout() {
    try (LogCapture log = new LogCapture()) {
      assertRefreshedAfter("86400.5", Duration.ofHours(24).minusSeconds(60));
      assertEquals(List.of("The Client System issued a token for 8.64E+4 seconds; keeping it at most PT24H"),
          log.warnings());
    }
  }

  @Test
  void aLifetimeJustOverADayIsCut() {
    assertRefreshedAfter("86400.5", Duration.ofHours(24).minusSeconds(60));
  }

  @Test
  void refreshAlwaysAsksAndReplaceAsksOnlyForTheRejectedToken() {
    willIssue("a", "3600");
    willIssue("b", "3600");
    willIssue("c", "3600");
    assertEquals("a", cache.get());
    assertEquals("a", cache.get());
    assertEquals(1, issued);
    assertEquals("b", cache.refresh());
    assertEquals(2, issued);
    assertEquals("b", cache.replace("a"), "another caller already replaced a");
    assertEquals(2, issued);
    assertEquals("c", cache.replace("b"));
    assertEquals(3, issued);
  }

  @Test
  void replaceRefreshesATokenDueForRefreshEvenIfItWasNotTheOneRejected() {
    willIssue("a", "120");
    willIssue("b", "3600");
    assertEquals("a", cache.get());
    clock.advance(Duration.ofSeconds(60));
    assertEquals("b", cache.replace("other"));
  }

  @Test
  void anUnusableTokenIsDiscardedWithItsReasonAndTheNextCallAsksAgain() {
    willIssue("", "60");
    assertEquals("authentication: the issued token is empty; it was discarded",
        assertThrows(TransientGatewayException.class, cache::get).getMessage());
    willIssue("x".repeat(TokenCache.MAX_TOKEN_LENGTH + 1), "60");
    assertEquals("authentication: the issued token is longer than 8192 characters; it was discarded",
        assertThrows(TransientGatewayException.class, cache::get).getMessage());
    willIssue("a b", "60");
    assertEquals("authentication: the issued token holds a character that cannot be sent in an "
        + "HTTP header (U+0020 at position 2); only printable ASCII without spaces is allowed; "
        + "it was discarded", assertThrows(TransientGatewayException.class, cache::get).getMessage());
    String longest = "y".repeat(TokenCache.MAX_TOKEN_LENGTH);
    willIssue(longest, "60");
    assertEquals(longest, cache.get());
    assertEquals(4, issued);
  }

  @Test
  void aFailedRequestLeavesNothingBehindAndTheNextCallAsksAgain() {
    answers.add(() -> {
      throw new AuthenticationFailedException("no", 401, null);
    });
    willIssue("ok", "60");
    assertThrows(AuthenticationFailedException.class, cache::get);
    assertEquals("TokenCache{token=none}", cache.toString());
    assertEquals("ok", cache.get());
    assertEquals("TokenCache{token=****}", cache.toString());
  }

  /** A cache whose issuer blocks until released, so that callers can pile up behind it. */
  private final CountDownLatch asked = new CountDownLatch(1);
  private final CompletableFuture<WireFormat.Token> release = new CompletableFuture<>();

  private TokenCache blocking(Duration waitLimit, List<Integer> count) {
    return new TokenCache(() -> {
      count.add(1);
      asked.countDown();
      return release.join();
    }, clock, waitLimit);
  }

  /** A call on a thread of its own, and whether that thread was left interrupted. */
  private static final class Waiter {
    final CompletableFuture<String> result = new CompletableFuture<>();
    volatile boolean leftInterrupted;
    Thread thread;
  }

  /** Starts {@code call} on its own thread and returns once it waits for the request in progress. */
  private static Waiter waiting(Supplier<String> call) {
    Waiter w = new Waiter();
    w.thread = new Thread(() -> {
      try {
        w.result.complete(call.get());
      } catch (RuntimeException | Error e) {
        w.leftInterrupted = Thread.currentThread().isInterrupted();
        w.result.completeExceptionally(e);
      }
    });
    w.thread.setDaemon(true);
    w.thread.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (w.thread.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertEquals(Thread.State.TIMED_WAITING, w.thread.getState());
    return w;
  }

  private static CompletableFuture<String> waitingBehind(Supplier<String> call) {
    return waiting(call).result;
  }

  @Test
  void anErrorInTheRequestReachesTheCallerWaitingForIt() throws Exception {
    List<Integer> count = new java.util.concurrent.CopyOnWriteArrayList<>();
    TokenCache shared = blocking(Duration.ofSeconds(30), count);
    CompletableFuture<String> first = CompletableFuture.supplyAsync(shared::get);
    assertTrue(asked.await(10, TimeUnit.SECONDS));
    CompletableFuture<String> second = waitingBehind(shared::get);
    release.completeExceptionally(new StackOverflowError("deep"));
    Exception e = assertThrows(Exception.class, () -> second.get(10, TimeUnit.SECONDS));
    assertTrue(e.getCause() instanceof StackOverflowError, String.valueOf(e.getCause()));
    assertThrows(Exception.class, () -> first.get(10, TimeUnit.SECONDS));
  }

  @Test
  void aWaitingCallerThatIsInterruptedFailsAsTransientAndStaysInterrupted() throws Exception {
    List<Integer> count = new java.util.concurrent.CopyOnWriteArrayList<>();
    TokenCache shared = blocking(Duration.ofSeconds(30), count);
    CompletableFuture<String> first = CompletableFuture.supplyAsync(shared::get);
    assertTrue(asked.await(10, TimeUnit.SECONDS));
    Waiter second = waiting(shared::get);
    second.thread.interrupt();
    Exception e = assertThrows(Exception.class, () -> second.result.get(10, TimeUnit.SECONDS));
    assertTrue(e.getCause() instanceof TransientGatewayException, String.valueOf(e.getCause()));
    assertEquals("authentication: interrupted while waiting for the token request in progress",
        e.getCause().getMessage());
    assertTrue(second.leftInterrupted, "the interrupt is kept for the caller's caller");
    release.complete(new WireFormat.Token("t", BigDecimal.TEN));
    assertEquals("t", first.get(10, TimeUnit.SECONDS));
  }

  @Test
  void concurrentCallersShareOneRequestAndItsFailure() throws Exception {
    List<Integer> count = new java.util.concurrent.CopyOnWriteArrayList<>();
    TokenCache shared = blocking(Duration.ofSeconds(30), count);
    CompletableFuture<String> first = CompletableFuture.supplyAsync(shared::get);
    assertTrue(asked.await(10, TimeUnit.SECONDS));
    CompletableFuture<String> second = waitingBehind(shared::get);
    release.completeExceptionally(new AuthenticationFailedException("refused", 401, null));
    Exception e = assertThrows(Exception.class, () -> second.get(10, TimeUnit.SECONDS));
    assertTrue(e.getCause() instanceof AuthenticationFailedException, String.valueOf(e.getCause()));
    assertEquals("refused", e.getCause().getMessage());
    assertThrows(Exception.class, () -> first.get(10, TimeUnit.SECONDS));
    assertEquals(1, count.size(), "one request for both callers");
  }

  @Test
  void aCallerWaitingBehindASuccessfulRequestGetsItsToken() throws Exception {
    List<Integer> count = new java.util.concurrent.CopyOnWriteArrayList<>();
    TokenCache shared = blocking(Duration.ofSeconds(30), count);
    CompletableFuture<String> first = CompletableFuture.supplyAsync(shared::get);
    assertTrue(asked.await(10, TimeUnit.SECONDS));
    CompletableFuture<String> second = waitingBehind(shared::get);
    release.complete(new WireFormat.Token("t1", BigDecimal.TEN));
    assertEquals("t1", second.get(10, TimeUnit.SECONDS));
    assertEquals("t1", first.get(10, TimeUnit.SECONDS));
    assertEquals(1, count.size());
  }

  @Test
  void aCallerWaitingForAnotherCallersRequestGivesUpAtTheWaitLimit() throws Exception {
    List<Integer> count = new java.util.concurrent.CopyOnWriteArrayList<>();
    TokenCache shared = blocking(Duration.ofMillis(50), count);
    CompletableFuture<String> first = CompletableFuture.supplyAsync(shared::get);
    assertTrue(asked.await(10, TimeUnit.SECONDS));
    TransientGatewayException e = assertThrows(TransientGatewayException.class, shared::get);
    assertEquals("authentication: no token within PT0.05S while waiting for the token request "
        + "in progress", e.getMessage());
    release.complete(new WireFormat.Token("late", BigDecimal.TEN));
    assertEquals("late", first.get(10, TimeUnit.SECONDS));
    assertEquals("late", shared.get());
    assertEquals(1, count.size());
  }
}

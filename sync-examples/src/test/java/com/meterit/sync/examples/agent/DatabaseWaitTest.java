package com.meterit.sync.examples.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class DatabaseWaitTest {
  private static final Duration TINY = Duration.ofMillis(1);

  @Test
  void retriesUntilItAnswersLoggingOncePerReason() throws Exception {
    List<String> log = new ArrayList<>();
    int[] attempts = {0};
    boolean connected = DatabaseWait.await(() -> {
      attempts[0]++;
      if (attempts[0] <= 3) {
        throw new SQLException("Connection refused", "08001");
      }
      if (attempts[0] <= 5) {
        throw new SQLException("FATAL: database \"meters\" does not exist", "3D000");
      }
    }, new CountDownLatch(1), TINY, TINY, log::add);

    assertTrue(connected);
    assertEquals(6, attempts[0]);
    assertEquals(3, log.size(), log.toString());
    assertTrue(log.get(0).startsWith("Sync Database not reachable yet (Connection refused)"), log.get(0));
    assertTrue(log.get(1).startsWith("Sync Database not reachable yet (database \"meters\" does not exist)"),
        log.get(1));
    assertTrue(log.get(2).startsWith("Sync Database reachable after"), log.get(2));
  }

  @Test
  void aRefusalThatWaitingCannotCureIsThrownAtOnce() {
    SQLException badPassword = new SQLException("password authentication failed", "28P01");
    SQLException thrown = assertThrows(SQLException.class, () -> DatabaseWait.await(() -> {
      throw badPassword;
    }, new CountDownLatch(1), TINY, TINY, line -> { }));
    assertSame(badPassword, thrown);
    assertTrue(DatabaseWait.badCredentials(thrown));
  }

  @Test
  void stopsWaitingWhenAskedToStop() throws Exception {
    CountDownLatch stop = new CountDownLatch(1);
    boolean connected = DatabaseWait.await(() -> {
      stop.countDown();
      throw new SQLException("Connection refused", "08001");
    }, stop, Duration.ofHours(1), Duration.ofHours(1), line -> { });
    assertFalse(connected);
  }
}

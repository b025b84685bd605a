package com.meterit.sync.examples.tools.bench;

import com.meterit.sync.api.Reading;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * Readings as a gateway on a low-voltage feeder writes them, for measuring what the wire costs on
 * data less regular than {@link BenchBacklog.Readings}: the same seed gives the same readings.
 *
 * <ul>
 *   <li>{@value #DEFAULT_METERS} meters by default: 80% households and 20% commercial, a third of
 *       the commercial ones at 5-minute intervals, the rest at 15 minutes. Serial numbers come
 *       from a few delivery lots, sequential within a lot with gaps, as installed street by
 *       street.
 *   <li>Each value is a cumulative kWh register with 3 decimals ({@code 12345.678}) that rises by
 *       a random increment per interval, 0 to 2 kWh per 15 minutes, shaped by a household
 *       (night, morning and evening peaks) or commercial (business hours on weekdays) load
 *       profile; 5-minute meters rise by a third of it.
 *   <li>Now and then (0.5%) a meter misses an interval, and its next reading is flagged {@code
 *       estimated}; 0.3% of readings are flagged {@code substituted} or {@code suspect}.
 *   <li>Four collectors poll a quarter of the meters each, in a fixed order, concurrently: at
 *       each 5-minute tick their rows interleave at random, and ids are given in that write
 *       order, as the database's sequence would.
 * </ul>
 *
 * Not thread-safe.
 */
final class RealisticReadings {
  static final int DEFAULT_METERS = 300;
  private static final int COLLECTORS = 4;
  private static final long FIVE_MINUTES = 300;
  // A Monday, so that the commercial profile's weekdays start at once.
  private static final long START = Instant.parse("2026-01-05T00:00:00Z").getEpochSecond();

  private final SplittableRandom random;
  private final String[] meterIds;
  private final boolean[] commercial;
  private final int[] intervalTicks;
  private final long[] register;
  private final boolean[] missed;
  private final List<List<Integer>> collectors = new ArrayList<>();
  private final ArrayDeque<Reading> ready = new ArrayDeque<>();
  private long tick;
  private long nextId = 1;

  RealisticReadings(long seed) {
    this(seed, DEFAULT_METERS);
  }

  RealisticReadings(long seed, int meters) {
    random = new SplittableRandom(seed);
    meterIds = new String[meters];
    commercial = new boolean[meters];
    intervalTicks = new int[meters];
    register = new long[meters];
    missed = new boolean[meters];
    String[] makers = {"1ESY11", "1LGZ00", "1ITF03"};
    long serial = 0;
    String maker = makers[0];
    for (int m = 0; m < meters; m++) {
      if (m % 100 == 0) {
        // A new delivery lot: another maker or another range of serials.
        maker = makers[random.nextInt(makers.length)];
        serial = 10_000_000L + random.nextInt(80_000_000);
      }
      serial += 1 + (random.nextInt(10) == 0 ? random.nextInt(20) : 0);
      meterIds[m] = maker + serial;
      commercial[m] = random.nextInt(5) == 0;
      intervalTicks[m] = commercial[m] && random.nextInt(3) == 0 ? 1 : 3;
      register[m] = commercial[m]
          ? random.nextLong(1_000_000_000L) : random.nextLong(60_000_000L);
    }
    for (int c = 0; c < COLLECTORS; c++) {
      collectors.add(new ArrayList<>());
    }
    List<Integer> order = new ArrayList<>();
    for (int m = 0; m < meters; m++) {
      order.add(m);
    }
    java.util.Collections.shuffle(order, new Random(random.nextLong()));
    for (int i = 0; i < meters; i++) {
      collectors.get(i % COLLECTORS).add(order.get(i));
    }
  }

  /** The next reading in write (id) order. */
  Reading next() {
    while (ready.isEmpty()) {
      writeTick();
    }
    return ready.poll();
  }

  /** The rows every collector writes at the current 5-minute tick, interleaved at random. */
  private void writeTick() {
    tick++;
    long at = START + tick * FIVE_MINUTES;
    List<ArrayDeque<Integer>> due = new ArrayList<>();
    int left = 0;
    for (List<Integer> collector : collectors) {
      ArrayDeque<Integer> queue = new ArrayDeque<>();
      for (int m : collector) {
        if (tick % intervalTicks[m] == 0) {
          queue.add(m);
        }
      }
      left += queue.size();
      due.add(queue);
    }
    while (left > 0) {
      int c = random.nextInt(COLLECTORS);
      if (due.get(c).isEmpty()) {
        continue;
      }
      int m = due.get(c).poll();
      left--;
      register[m] += increment(m, at);
      if (random.nextInt(200) == 0) {
        missed[m] = true;
        continue;
      }
      String quality = null;
      if (missed[m]) {
        quality = "estimated";
        missed[m] = false;
      } else if (random.nextInt(1000) < 3) {
        quality = random.nextBoolean() ? "substituted" : "suspect";
      }
      ready.add(new Reading(nextId++, meterIds[m], Instant.ofEpochSecond(at),
          BigDecimal.valueOf(register[m], 3), "kWh", quality));
    }
  }

  /** Thousandths of a kWh used in the interval ending at {@code at}. */
  private long increment(int m, long at) {
    int hour = (int) (at % 86_400 / 3600);
    int weekday = (int) ((at / 86_400 + 3) % 7); // 0 = Monday; 1970-01-01 was a Thursday
    double peak; // the most a quarter-hour uses at this time, in kWh
    if (commercial[m]) {
      boolean open = weekday < 5 && hour >= 8 && hour < 18;
      peak = open ? 2.0 : 0.4;
    } else if (hour < 6) {
      peak = 0.25;
    } else if (hour < 9) {
      peak = 1.0;
    } else if (hour < 17) {
      peak = 0.6;
    } else if (hour < 22) {
      peak = 2.0;
    } else {
      peak = 0.5;
    }
    long most = Math.round(peak * 1000 / (3 / intervalTicks[m]));
    return random.nextLong(most + 1);
  }
}

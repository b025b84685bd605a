package com.meterit.sync.examples.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.api.Claim;
import com.meterit.sync.api.Reading;
import com.meterit.sync.jdbc.JdbcReadingSource;
import com.meterit.sync.jdbc.ReadingsTable;
import com.meterit.sync.jdbc.SqliteSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The realistic data set: what issue 27 asks of it, and the same readings from the same seed. */
class RealisticReadingsTest {
  private static List<Reading> first(long seed, int count) {
    RealisticReadings gen = new RealisticReadings(seed);
    List<Reading> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(gen.next());
    }
    return out;
  }

  @Test
  void theSameSeedGivesTheSameReadingsAndAnotherSeedOthers() {
    assertEquals(first(7, 5_000), first(7, 5_000));
    assertNotEquals(first(7, 5_000), first(8, 5_000));
  }

  @Test
  void hundredsOfMetersInterleavedInIdOrderWithRisingThreeDecimalRegisters() {
    List<Reading> readings = first(2026, 30_000);
    Map<String, Reading> last = new HashMap<>();
    Set<Long> fiveMinuteSteps = new HashSet<>();
    int flagged = 0;
    int sameMeterInARow = 0;
    for (int i = 0; i < readings.size(); i++) {
      Reading r = readings.get(i);
      assertEquals(i + 1, r.id(), "ids in write order");
      assertEquals(3, r.value().scale());
      assertEquals("kWh", r.unit());
      flagged += r.quality().isPresent() ? 1 : 0;
      if (i > 0 && readings.get(i - 1).meterId().equals(r.meterId())) {
        sameMeterInARow++;
      }
      Reading before = last.put(r.meterId(), r);
      if (before != null) {
        long seconds = Duration.between(before.timestamp(), r.timestamp()).getSeconds();
        long thousandths = r.value().subtract(before.value()).unscaledValue().longValueExact();
        long intervals = seconds / 300;
        assertTrue(seconds > 0 && seconds % 300 == 0, r + " after " + before);
        assertTrue(thousandths >= 0 && thousandths <= 2_000 * intervals, r + " after " + before);
        if (seconds == 300) {
          fiveMinuteSteps.add(seconds);
        }
      }
    }
    assertEquals(RealisticReadings.DEFAULT_METERS, last.size());
    assertEquals(Set.of(300L), fiveMinuteSteps, "some meters read every 5 minutes");
    assertTrue(flagged > 30 && flagged < 600, "quality flags now and then: " + flagged);
    assertTrue(sameMeterInARow < 100, "meters interleave: " + sameMeterInARow);
  }

  @Test
  void aSqliteBacklogOfRealisticReadingsIsClaimedAsGenerated(@TempDir Path dir) throws Exception {
    String url = "jdbc:sqlite:" + dir.resolve("bench.db") + "?" + SqliteSettings.PRAGMAS;
    ReadingsTable names = BenchBacklog.table("bench_queue");

    BenchBacklog.populate(url, names, "bench_queue", 2_000, "realistic");

    try (JdbcReadingSource source = JdbcReadingSource.builder(url, null, null)
        .setTable(names).build()) {
      Claim claim = source.claim(2_000);
      assertEquals(first(BenchBacklog.REALISTIC_SEED, 2_000), claim.readings());
    }
  }
}

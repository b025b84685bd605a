package com.meterit.sync.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class IdRangeSetTest {

  @Test
  void mergesTouchingRunsAndCutsRunsApart() {
    IdRangeSet set = new IdRangeSet();
    set.add(1, 10);
    set.add(21, 30);
    set.add(11, 20);
    assertEquals("IdRangeSet[1-30]", set.toString(), "touching runs become one");
    set.remove(5, 7);
    assertEquals("IdRangeSet[1-4,8-30]", set.toString());
    set.remove(1, 4);
    set.remove(30, 40);
    assertEquals("IdRangeSet[8-29]", set.toString());
    assertEquals(8, set.first());
    assertEquals(29, set.last());
    assertEquals(12, set.countFrom(18));
    assertTrue(set.contains(8));
    assertFalse(set.contains(7));
  }

  @Test
  void anEmptySetHasNoEnds() {
    IdRangeSet set = new IdRangeSet();
    assertTrue(set.isEmpty());
    assertThrows(NoSuchElementException.class, set::first);
    assertThrows(NoSuchElementException.class, set::last);
    assertThrows(IllegalArgumentException.class, () -> set.add(5, 4));
  }

  /** Random runs added and removed, against a set of every id: they must always agree. */
  @Test
  void agreesWithASetOfEveryId() {
    Random random = new Random(13);
    for (int round = 0; round < 200; round++) {
      IdRangeSet set = new IdRangeSet();
      TreeSet<Long> model = new TreeSet<>();
      for (int step = 0; step < 60; step++) {
        long lo = 1 + random.nextInt(300);
        long hi = lo + random.nextInt(random.nextBoolean() ? 3 : 40);
        if (random.nextInt(3) == 0) {
          set.removeAll(List.<long[]>of(new long[] {lo, hi}));
          for (long id = lo; id <= hi; id++) {
            model.remove(id);
          }
        } else {
          set.addAll(List.<long[]>of(new long[] {lo, hi}));
          for (long id = lo; id <= hi; id++) {
            model.add(id);
          }
        }
        String where = "round " + round + ", step " + step + ": " + set;
        assertEquals(model.isEmpty(), set.isEmpty(), where);
        if (!model.isEmpty()) {
          assertEquals(model.first(), set.first(), where);
          assertEquals(model.last(), set.last(), where);
        }
        long probe = random.nextInt(350);
        assertEquals(model.tailSet(probe, true).size(), set.countFrom(probe), where);
        for (long id = 0; id <= 350; id++) {
          assertEquals(model.contains(id), set.contains(id), where + ", id " + id);
        }
        assertEquals(IdRangeCodec.format(IdRangeCodec.of(model)), runs(set), where);
      }
    }
  }

  /**
   * The runs as {@link IdRangeCodec#format} writes them, to check that touching runs were merged.
   */
  private static String runs(IdRangeSet set) {
    String text = set.toString();
    String inner = text.substring("IdRangeSet[".length(), text.length() - 1);
    StringBuilder canonical = new StringBuilder();
    for (String run : inner.isEmpty() ? new String[0] : inner.split(",")) {
      String[] ends = run.split("-");
      canonical.append(canonical.length() == 0 ? "" : ",").append(ends[0]);
      if (!ends[0].equals(ends[1])) {
        canonical.append('-').append(ends[1]);
      }
    }
    return canonical.toString();
  }
}

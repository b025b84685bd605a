package com.meterit.sync.jdbc;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Turns a set of ids into runs of consecutive ids, so that a batch of 1,000 claimed readings
 * (usually one run) is settled with one range UPDATE instead of 1,000 per-row ones.
 */
final class IdRanges {
  private IdRanges() {}

  /** Inclusive {@code [from, to]} runs, ascending; duplicates are ignored. */
  static List<long[]> of(Collection<Long> ids) {
    long[] sorted = new long[ids.size()];
    int n = 0;
    for (long id : ids) {
      sorted[n++] = id;
    }
    java.util.Arrays.sort(sorted);
    List<long[]> ranges = new ArrayList<>();
    int i = 0;
    while (i < n) {
      long from = sorted[i];
      long to = from;
      while (i + 1 < n && sorted[i + 1] <= to + 1) {
        to = sorted[++i];
      }
      ranges.add(new long[] {from, to});
      i++;
    }
    return ranges;
  }
}

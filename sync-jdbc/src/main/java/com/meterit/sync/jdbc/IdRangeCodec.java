package com.meterit.sync.jdbc;

import com.meterit.sync.api.Reading;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * Turns a set of ids into runs of consecutive ids, so that a batch of 1,000 claimed readings
 * (usually one run) is settled with one range UPDATE instead of 1,000 per-row ones, and is
 * journaled as a few characters ({@code "1-1000"}) instead of a list of ids.
 */
final class IdRangeCodec {
  private IdRangeCodec() {}

  /** Inclusive {@code [from, to]} runs, ascending; duplicates are ignored. */
  static List<long[]> of(Collection<Long> ids) {
    long[] sorted = new long[ids.size()];
    int n = 0;
    for (long id : ids) {
      sorted[n++] = id;
    }
    return sorted(sorted, n);
  }

  /** The runs of the readings' ids, without boxing each id on the way. */
  static List<long[]> ofReadings(List<Reading> readings) {
    long[] ids = new long[readings.size()];
    int n = 0;
    for (Reading r : readings) {
      ids[n++] = r.id();
    }
    return sorted(ids, n);
  }

  private static List<long[]> sorted(long[] sorted, int n) {
    Arrays.sort(sorted, 0, n);
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

  /** The runs as text: {@code "1-1000"}, {@code "5-9,12,15-20"}. */
  static String format(List<long[]> ranges) {
    StringBuilder text = new StringBuilder(ranges.size() * 12);
    for (long[] range : ranges) {
      if (text.length() > 0) {
        text.append(',');
      }
      text.append(range[0]);
      if (range[1] != range[0]) {
        text.append('-').append(range[1]);
      }
    }
    return text.toString();
  }

  /**
   * Parses what {@link #format} wrote.
   *
   * @throws IllegalArgumentException when the text is not a list of ascending runs of positive ids
   */
  static List<long[]> parse(String text) {
    List<long[]> ranges = new ArrayList<>();
    if (text == null || text.isEmpty()) {
      return ranges;
    }
    long previous = 0;
    try {
      for (String run : text.split(",", -1)) {
        int dash = run.indexOf('-', 1);
        long from = Long.parseLong(dash < 0 ? run : run.substring(0, dash));
        long to = dash < 0 ? from : Long.parseLong(run.substring(dash + 1));
        if (from <= previous || to < from) {
          throw new IllegalArgumentException("id ranges must be ascending: '" + text + "'");
        }
        ranges.add(new long[] {from, to});
        previous = to;
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a list of id ranges: '" + text + "'", e);
    }
    return ranges;
  }

  /** How many ids the runs cover. */
  static long count(List<long[]> ranges) {
    long count = 0;
    for (long[] range : ranges) {
      count += range[1] - range[0] + 1;
    }
    return count;
  }

  /** Every id the runs cover, ascending. */
  static List<Long> ids(List<long[]> ranges) {
    List<Long> ids = new ArrayList<>((int) Math.min(count(ranges), 1 << 20));
    for (long[] range : ranges) {
      for (long id = range[0]; id <= range[1]; id++) {
        ids.add(id);
      }
    }
    return ids;
  }
}

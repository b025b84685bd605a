package com.meterit.sync.jdbc;

import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A set of reading ids kept as disjoint, ascending runs of consecutive ids, in two parallel
 * arrays. The ids in flight are a few batches of mostly consecutive ids, so this holds a handful
 * of runs where a {@code TreeSet<Long>} held a boxed id and a tree node per reading, and answers
 * a membership test for every row a claim reads without allocating. Not thread-safe.
 */
final class IdRangeSet {
  private long[] from = new long[8];
  private long[] to = new long[8];
  /** How many runs are in use; runs never touch nor overlap (adjacent ones are merged). */
  private int runs;

  boolean isEmpty() {
    return runs == 0;
  }

  /** @throws NoSuchElementException when empty */
  long first() {
    requireNotEmpty();
    return from[0];
  }

  /** @throws NoSuchElementException when empty */
  long last() {
    requireNotEmpty();
    return to[runs - 1];
  }

  boolean contains(long id) {
    int i = runAtOrBefore(id);
    return i >= 0 && id <= to[i];
  }

  /** How many ids of the set are at or above {@code id}. */
  long countFrom(long id) {
    long count = 0;
    for (int i = runs - 1; i >= 0 && to[i] >= id; i--) {
      count += to[i] - Math.max(from[i], id) + 1;
    }
    return count;
  }

  /** Adds every id of the inclusive runs; ids already present are ignored. */
  void addAll(List<long[]> ranges) {
    for (long[] range : ranges) {
      add(range[0], range[1]);
    }
  }

  /** Removes every id of the inclusive runs; ids not present are ignored. */
  void removeAll(List<long[]> ranges) {
    for (long[] range : ranges) {
      remove(range[0], range[1]);
    }
  }

  /** Adds {@code [lo, hi]}, merging every run it overlaps or touches. */
  void add(long lo, long hi) {
    checkRun(lo, hi);
    // The runs [first, last) are the ones that overlap or touch [lo, hi].
    int first = runAtOrBefore(lo);
    if (first < 0 || to[first] < lo - 1) {
      first++;
    }
    int last = first;
    while (last < runs && from[last] <= hi + 1) {
      last++;
    }
    if (first < last) {
      lo = Math.min(lo, from[first]);
      hi = Math.max(hi, to[last - 1]);
    }
    replace(first, last, 1);
    from[first] = lo;
    to[first] = hi;
  }

  /** Removes {@code [lo, hi]}, cutting the runs it covers in part. */
  void remove(long lo, long hi) {
    checkRun(lo, hi);
    int first = runAtOrBefore(lo);
    if (first < 0 || to[first] < lo) {
      first++;
    }
    int last = first;
    while (last < runs && from[last] <= hi) {
      last++;
    }
    if (first == last) {
      return;
    }
    long keptBelow = from[first];
    long keptAbove = to[last - 1];
    int kept = (keptBelow < lo ? 1 : 0) + (keptAbove > hi ? 1 : 0);
    replace(first, last, kept);
    int at = first;
    if (keptBelow < lo) {
      from[at] = keptBelow;
      to[at++] = lo - 1;
    }
    if (keptAbove > hi) {
      from[at] = hi + 1;
      to[at] = keptAbove;
    }
  }

  /** The index of the last run starting at or below {@code id}, or -1. */
  private int runAtOrBefore(long id) {
    int i = Arrays.binarySearch(from, 0, runs, id);
    return i >= 0 ? i : -i - 2;
  }

  /** Replaces the runs {@code [first, last)} by {@code count} slots, shifting the runs above. */
  private void replace(int first, int last, int count) {
    int newRuns = runs - (last - first) + count;
    if (newRuns > from.length) {
      from = Arrays.copyOf(from, Math.max(newRuns, from.length * 2));
      to = Arrays.copyOf(to, from.length);
    }
    System.arraycopy(from, last, from, first + count, runs - last);
    System.arraycopy(to, last, to, first + count, runs - last);
    runs = newRuns;
  }

  private static void checkRun(long lo, long hi) {
    if (hi < lo) {
      throw new IllegalArgumentException("not a run of ids: " + lo + "-" + hi);
    }
  }

  private void requireNotEmpty() {
    if (runs == 0) {
      throw new NoSuchElementException("no ids");
    }
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("IdRangeSet[");
    for (int i = 0; i < runs; i++) {
      text.append(i == 0 ? "" : ",").append(from[i]).append('-').append(to[i]);
    }
    return text.append(']').toString();
  }
}

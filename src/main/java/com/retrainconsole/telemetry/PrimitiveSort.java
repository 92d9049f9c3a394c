package com.retrainconsole.telemetry;

/** Stable sort order of a long array without boxing. */
final class PrimitiveSort {
  private PrimitiveSort() {}

  /** Indices 0..n-1 ordered by {@code keys}, stable; already-sorted input costs one pass. */
  static int[] order(long[] keys, int n) {
    int[] idx = new int[n];
    boolean sorted = true;
    for (int i = 0; i < n; i++) {
      idx[i] = i;
      if (i > 0 && keys[i - 1] > keys[i]) {
        sorted = false;
      }
    }
    if (sorted) {
      return idx;
    }
    int[] tmp = new int[n];
    for (int width = 1; width < n; width *= 2) {
      for (int lo = 0; lo < n; lo += 2 * width) {
        int mid = Math.min(lo + width, n);
        int hi = Math.min(lo + 2 * width, n);
        int a = lo;
        int b = mid;
        int k = lo;
        while (a < mid && b < hi) {
          tmp[k++] = keys[idx[b]] < keys[idx[a]] ? idx[b++] : idx[a++];
        }
        while (a < mid) {
          tmp[k++] = idx[a++];
        }
        while (b < hi) {
          tmp[k++] = idx[b++];
        }
      }
      int[] swap = idx;
      idx = tmp;
      tmp = swap;
    }
    return idx;
  }
}

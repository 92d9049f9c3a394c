package com.retrainconsole.comparison;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Thins a metric-over-time series for drawing: the time span is cut into {@code columns} equal columns (one
 * per pixel of the plot) and each column keeps only its lowest and highest point, so the drawn envelope is
 * the same as with every point. The first and last points, the version in service and the {@code keep}
 * versions are always kept exactly. Pure and cheap (one pass): run it off the FX thread.
 */
public final class Thinning {
  private Thinning() {}

  /**
   * The points of {@code points} (ordered by creation time) that have a finite {@code metric}, thinned to at
   * most 2 per column plus the always-kept ones; in their original order. Nothing is thinned when there are
   * no more than {@code 2 * columns} such points.
   */
  public static List<VersionPoint> thin(List<VersionPoint> points, Metric metric, int columns, Set<String> keep) {
    if (columns < 1) {
      throw new IllegalArgumentException("columns must be positive: " + columns);
    }
    List<VersionPoint> finite = new ArrayList<>(points.size());
    for (VersionPoint p : points) {
      if (Double.isFinite(p.metric(metric))) {
        finite.add(p);
      }
    }
    int n = finite.size();
    if (n <= 2L * columns) {
      return finite;
    }
    long t0 = finite.get(0).createdAt().toEpochMilli();
    double span = Math.max(1, finite.get(n - 1).createdAt().toEpochMilli() - t0);
    int[] minAt = new int[columns];
    int[] maxAt = new int[columns];
    java.util.Arrays.fill(minAt, -1);
    java.util.Arrays.fill(maxAt, -1);
    boolean[] kept = new boolean[n];
    kept[0] = true;
    kept[n - 1] = true;
    for (int i = 0; i < n; i++) {
      VersionPoint p = finite.get(i);
      // clamped: a column index from the time, robust to an unsorted tie or rounding at the right edge
      int c = (int) Math.min(columns - 1, Math.max(0, (p.createdAt().toEpochMilli() - t0) / span * columns));
      double v = p.metric(metric);
      if (minAt[c] < 0 || v < finite.get(minAt[c]).metric(metric)) {
        minAt[c] = i;
      }
      if (maxAt[c] < 0 || v > finite.get(maxAt[c]).metric(metric)) {
        maxAt[c] = i;
      }
      if (p.inService() || keep.contains(p.version())) {
        kept[i] = true;
      }
    }
    for (int c = 0; c < columns; c++) {
      if (minAt[c] >= 0) {
        kept[minAt[c]] = true;
        kept[maxAt[c]] = true;
      }
    }
    List<VersionPoint> out = new ArrayList<>(Math.min(n, 2 * columns + 2 + keep.size() + 1));
    for (int i = 0; i < n; i++) {
      if (kept[i]) {
        out.add(finite.get(i));
      }
    }
    return out;
  }
}

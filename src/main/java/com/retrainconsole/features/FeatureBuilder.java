package com.retrainconsole.features;

import com.retrainconsole.telemetry.TelemetryWindow;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.zone.ZoneRules;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a telemetry window into a feature matrix. The same code runs at training and at prediction.
 *
 * <p>Everything is computed from readings at or before the row's time (no look-ahead): lags look back by
 * time (nearest reading within the lag tolerance, so gaps never shift them the way row offsets would), and
 * rolling windows are trailing, {@code (t - W, t]}; on the target the current reading is excluded,
 * {@code (t - W, t)}, since it is the value being predicted. Cost is O(n) per feature (two pointers).
 *
 * <p>decision: rows whose target is NaN are dropped, and so are rows with any NaN feature (reported in
 * {@link Built}). Tribuo examples are sparse and an absent feature means different things to different
 * trainers: Tribuo's CART reads it as 0 (an implicit sparse zero, so a missing irradiance would look like
 * night), while XGBoost routes it down a learned "missing" branch. Dropping is the one choice that is
 * honest for every trainer; lag and rolling features are short, so few rows are lost outside gaps and
 * the first day (24 h lag).
 */
public final class FeatureBuilder {
  private static final long DAY_MS = 86_400_000L;
  static final Duration NAIVE_LAG = Duration.ofHours(24);

  /** A matrix plus what was left out and why. */
  public record Built(
      FeatureMatrix matrix,
      int windowRows,
      int droppedNoTarget,
      int droppedMissingFeature,
      Map<String, Integer> missingByFeature,
      Duration lagTolerance) {
    public String summary() {
      return matrix.size() + " of " + windowRows + " rows usable; dropped " + droppedNoTarget
          + " without target and " + droppedMissingFeature + " with a missing feature"
          + (droppedMissingFeature > 0 ? " " + missingByFeature : "");
    }
  }

  private FeatureBuilder() {}

  public static FeatureMatrix build(TelemetryWindow w, FeatureSpec spec, ZoneId zone) {
    return buildWithReport(w, spec, zone).matrix();
  }

  public static Built buildWithReport(TelemetryWindow w, FeatureSpec spec, ZoneId zone) {
    spec.validate(w.columns().keySet());
    long[] ts = w.ts();
    int n = ts.length;
    long tolerance = spec.lagTolerance() != null
        ? spec.lagTolerance().toMillis() : medianIntervalMillis(ts) / 2;
    List<String> names = spec.featureNames();
    double[][] cols = new double[names.size()][];
    int c = 0;
    for (String input : spec.inputs()) {
      cols[c++] = w.column(input);
    }
    if (spec.timeOfDay() || spec.dayOfYear()) {
      double[][] time = timeFeatures(ts, zone);
      if (spec.timeOfDay()) {
        cols[c++] = time[0];
        cols[c++] = time[1];
      }
      if (spec.dayOfYear()) {
        cols[c++] = time[2];
        cols[c++] = time[3];
      }
    }
    for (FeatureSpec.Lag lag : spec.lags()) {
      cols[c++] = lagged(ts, w.column(lag.field()), lag.lag().toMillis(), tolerance);
    }
    for (FeatureSpec.Rolling r : spec.rolling()) {
      double[][] ms = rolling(ts, w.column(r.field()), r.window().toMillis(),
          r.field().equals(spec.target()));
      cols[c++] = ms[0];
      cols[c++] = ms[1];
    }
    double[] target = w.column(spec.target());
    double[] naiveAll = lagged(ts, target, NAIVE_LAG.toMillis(), tolerance);

    // select usable rows
    int f = names.size();
    int[] missing = new int[f];
    int[] keep = new int[n];
    int kept = 0;
    int noTarget = 0;
    int missingFeature = 0;
    for (int i = 0; i < n; i++) {
      if (Double.isNaN(target[i])) {
        noTarget++;
        continue;
      }
      boolean ok = true;
      for (int j = 0; j < f; j++) {
        if (!Double.isFinite(cols[j][i])) {
          missing[j]++;
          ok = false;
        }
      }
      if (ok) {
        keep[kept++] = i;
      } else {
        missingFeature++;
      }
    }
    double[][] x = new double[kept][f];
    double[] y = new double[kept];
    long[] rowTs = new long[kept];
    double[] naive = new double[kept];
    for (int k = 0; k < kept; k++) {
      int i = keep[k];
      double[] row = x[k];
      for (int j = 0; j < f; j++) {
        row[j] = cols[j][i];
      }
      y[k] = target[i];
      rowTs[k] = ts[i];
      naive[k] = naiveAll[i];
    }
    Map<String, Integer> missingByFeature = new LinkedHashMap<>();
    for (int j = 0; j < f; j++) {
      if (missing[j] > 0) {
        missingByFeature.put(names.get(j), missing[j]);
      }
    }
    FeatureMatrix m = new FeatureMatrix(names.toArray(String[]::new), x, y, rowTs, naive);
    return new Built(m, n, noTarget, missingFeature, missingByFeature, Duration.ofMillis(tolerance));
  }

  /**
   * tod_sin, tod_cos, doy_sin, doy_cos in the device's local time. Time of day is the fraction of the
   * local day (seconds since local midnight / 86400); day of year is (dayOfYear - 1 + time of day) /
   * length of that year, so both are continuous and one cycle long.
   */
  static double[][] timeFeatures(long[] ts, ZoneId zone) {
    int n = ts.length;
    double[][] out = new double[4][n];
    ZoneRules rules = zone.getRules();
    for (int i = 0; i < n; i++) {
      long local = ts[i] + rules.getOffset(Instant.ofEpochMilli(ts[i])).getTotalSeconds() * 1000L;
      long day = Math.floorDiv(local, DAY_MS);
      double dayFraction = Math.floorMod(local, DAY_MS) / (double) DAY_MS;
      double tod = 2 * Math.PI * dayFraction;
      LocalDate date = LocalDate.ofEpochDay(day);
      double doy = 2 * Math.PI * (date.getDayOfYear() - 1 + dayFraction) / date.lengthOfYear();
      out[0][i] = Math.sin(tod);
      out[1][i] = Math.cos(tod);
      out[2][i] = Math.sin(doy);
      out[3][i] = Math.cos(doy);
    }
    return out;
  }

  /**
   * For each row at time t, the value of the reading nearest to t - lag if it lies within tolerance,
   * else NaN. Two pointers: both t - lag and the candidate index only move forward.
   */
  static double[] lagged(long[] ts, double[] values, long lagMs, long toleranceMs) {
    int n = ts.length;
    double[] out = new double[n];
    int j = 0;
    for (int i = 0; i < n; i++) {
      long want = ts[i] - lagMs;
      while (j < n && ts[j] < want) {
        j++;
      }
      // candidates: j-1 (last before want) and j (first at/after want); never beyond i (no look-ahead)
      int best = -1;
      long bestDist = Long.MAX_VALUE;
      if (j - 1 >= 0 && j - 1 < i) {
        best = j - 1;
        bestDist = want - ts[j - 1];
      }
      if (j < i && ts[j] - want < bestDist) {
        best = j;
        bestDist = ts[j] - want;
      }
      out[i] = best >= 0 && bestDist <= toleranceMs ? values[best] : Double.NaN;
    }
    return out;
  }

  /**
   * Trailing mean and population std of the finite values with t - window < ts <= t (strictly before t
   * when {@code excludeCurrent}). Running sums, shifted by a reference value against cancellation. NaN
   * when the window holds no finite value; std is 0 for a single value.
   */
  static double[][] rolling(long[] ts, double[] values, long windowMs, boolean excludeCurrent) {
    int n = ts.length;
    double[] mean = new double[n];
    double[] std = new double[n];
    double ref = 0;
    for (double v : values) {
      if (Double.isFinite(v)) {
        ref = v;
        break;
      }
    }
    double sum = 0;
    double sumSq = 0;
    int count = 0;
    int left = 0;
    int right = 0; // next row to add
    for (int i = 0; i < n; i++) {
      int end = excludeCurrent ? i : i + 1;
      while (right < end) {
        double v = values[right++];
        if (Double.isFinite(v)) {
          double d = v - ref;
          sum += d;
          sumSq += d * d;
          count++;
        }
      }
      long from = ts[i] - windowMs;
      while (left < right && ts[left] <= from) {
        double v = values[left++];
        if (Double.isFinite(v)) {
          double d = v - ref;
          sum -= d;
          sumSq -= d * d;
          count--;
        }
      }
      if (count == 0) {
        mean[i] = Double.NaN;
        std[i] = Double.NaN;
        sum = 0; // reset accumulated rounding while the window is empty
        sumSq = 0;
      } else {
        double m = sum / count;
        mean[i] = m + ref;
        std[i] = Math.sqrt(Math.max(0, sumSq / count - m * m));
      }
    }
    return new double[][] {mean, std};
  }

  static long medianIntervalMillis(long[] ts) {
    if (ts.length < 2) {
      return 0;
    }
    long[] d = new long[ts.length - 1];
    for (int i = 1; i < ts.length; i++) {
      d[i - 1] = ts[i] - ts[i - 1];
    }
    Arrays.sort(d);
    return d[d.length / 2];
  }
}

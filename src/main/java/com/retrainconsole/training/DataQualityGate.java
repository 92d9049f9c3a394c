package com.retrainconsole.training;

import com.retrainconsole.features.FeatureSpec;
import com.retrainconsole.telemetry.TelemetryWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * Checks a raw telemetry window before training: enough rows, the fields the spec needs present and not
 * empty, no long holes, no stuck sensor. Reasons name the field, the time span and the size.
 *
 * <p>decision: a sensor stuck for a few hours somewhere in a month is a fact of field life, not a reason
 * to stop retraining. Its frozen readings are masked (NaN, so the feature builder drops those rows) and
 * noted as a warning; the gate fails only when frozen readings exceed a share of the window or the sensor
 * is stuck right now (the newest readings, which the test window scores on, are the frozen ones).
 */
public final class DataQualityGate {
  private DataQualityGate() {}

  public static GateResult check(TelemetryWindow w, FeatureSpec spec, GatePolicy policy) {
    List<String> reasons = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    Map<String, double[]> cleaned = new LinkedHashMap<>(w.columns());
    int n = w.size();
    if (n < policy.minRows()) {
      reasons.add("only " + n + " rows in the window, at least " + policy.minRows()
          + " needed; widen the window or wait for more data");
    }
    long[] ts = w.ts();
    for (String field : spec.requiredFields()) {
      if (!w.has(field)) {
        reasons.add("column " + field + " is missing; fields present: " + new TreeSet<>(w.columns().keySet()));
        continue;
      }
      double[] v = w.column(field);
      int finite = 0;
      for (double x : v) {
        if (!Double.isNaN(x)) {
          finite++;
        }
      }
      if (finite == 0) {
        reasons.add("column " + field + " is entirely NaN (0 of " + n + " values)");
        continue;
      }
      int nan = n - finite;
      if (nan > policy.maxNanShare() * n) {
        reasons.add(String.format(Locale.ROOT, "column %s is %.1f%% NaN (%d of %d values), more than %.1f%%",
            field, 100.0 * nan / n, nan, n, 100 * policy.maxNanShare()));
      }
      nanBurst(field, ts, v, policy.maxNanBurst(), reasons);
      double[] masked = maskFrozen(field, ts, v, policy, reasons, warnings);
      if (masked != v) {
        cleaned.put(field, masked);
      }
    }
    return new GateResult(reasons.isEmpty(), reasons, warnings,
        new TelemetryWindow(w.deviceId(), ts, cleaned));
  }

  /**
   * The longest NaN run, measured from the last good reading before it to the first good one after it
   * (or the window's edge), so missing rows inside the run count too.
   */
  private static void nanBurst(String field, long[] ts, double[] v, Duration max, List<String> reasons) {
    int n = v.length;
    long worst = -1;
    int worstFrom = -1;
    int worstTo = -1;
    int count = 0;
    int i = 0;
    while (i < n) {
      if (!Double.isNaN(v[i])) {
        i++;
        continue;
      }
      int start = i;
      while (i < n && Double.isNaN(v[i])) {
        i++;
      }
      long from = start > 0 ? ts[start - 1] : ts[start];
      long to = i < n ? ts[i] : ts[n - 1];
      if (to - from > worst) {
        worst = to - from;
        worstFrom = start;
        worstTo = i - 1;
        count = i - start;
      }
    }
    if (worst > max.toMillis()) {
      reasons.add("column " + field + " has no values for " + human(Duration.ofMillis(worst)) + " ("
          + count + " NaN readings from " + Instant.ofEpochMilli(ts[worstFrom]) + " to "
          + Instant.ofEpochMilli(ts[worstTo]) + "), more than " + human(max) + "; check the sensor"
          + " or the column mapping");
    }
  }

  /**
   * Runs of one exact non-zero value longer than {@code maxFrozen}. decision: zeros are exempt because
   * power and irradiance are legitimately 0 all night; a NaN ends a run. Returns {@code v} itself when
   * nothing is frozen, else a copy with the frozen readings set to NaN.
   */
  private static double[] maskFrozen(String field, long[] ts, double[] v, GatePolicy policy,
      List<String> reasons, List<String> warnings) {
    int n = v.length;
    long max = policy.maxFrozen().toMillis();
    double[] out = v;
    int frozenReadings = 0;
    int runs = 0;
    String longest = null;
    long longestSpan = -1;
    int i = 0;
    while (i < n) {
      double x = v[i];
      if (Double.isNaN(x) || x == 0) {
        i++;
        continue;
      }
      int start = i;
      while (i + 1 < n && v[i + 1] == x) {
        i++;
      }
      long span = ts[i] - ts[start];
      if (span > max) {
        String run = "stuck at " + x + " for " + human(Duration.ofMillis(span)) + " (" + (i - start + 1)
            + " readings from " + Instant.ofEpochMilli(ts[start]) + " to " + Instant.ofEpochMilli(ts[i]) + ")";
        if (i == n - 1) {
          reasons.add("column " + field + " is " + run + " up to the newest reading, longer than "
              + human(policy.maxFrozen()) + "; the sensor is stuck now: check it before retraining");
        }
        if (out == v) {
          out = v.clone();
        }
        Arrays.fill(out, start, i + 1, Double.NaN);
        frozenReadings += i - start + 1;
        runs++;
        if (span > longestSpan) {
          longestSpan = span;
          longest = run;
        }
      }
      i++;
    }
    if (runs > 0) {
      double share = (double) frozenReadings / n;
      String summary = String.format(Locale.ROOT, "column %s has %d frozen run(s) longer than %s, %d readings"
              + " (%.1f%%) masked; longest %s", field, runs, human(policy.maxFrozen()), frozenReadings,
          100 * share, longest);
      if (share > policy.maxFrozenShare()) {
        reasons.add(summary + String.format(Locale.ROOT, "; more than %.1f%% of the window: check the sensor",
            100 * policy.maxFrozenShare()));
      } else {
        warnings.add(summary);
      }
    }
    return out;
  }

  static String human(Duration d) {
    long m = d.toMinutes();
    return m >= 60 ? String.format(Locale.ROOT, "%dh%02dm", m / 60, m % 60) : m + "m";
  }
}

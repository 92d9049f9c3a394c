package com.retrainconsole.triggers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;

/**
 * The statistical core of the drift trigger, on plain samples: a two-sample Kolmogorov–Smirnov test per
 * feature, corrected for the number of features (Bonferroni, or Benjamini–Hochberg FDR), and a minimum effect
 * size on D — KS alone flags trivial shifts on large samples — and a minimum recent sample.
 */
public final class DriftStatistics {
  private DriftStatistics() {}

  public enum Correction { BONFERRONI, FDR }

  /** One feature: D, raw p, whether it passed the corrected test, and why not. */
  public record FeatureResult(String feature, int referenceSize, int recentSize, double d, double p,
      boolean significant, boolean drifted, String note) {}

  /** Whether any feature drifted (significant after correction AND D >= min effect AND enough samples). */
  public record Result(boolean drifted, double maxD, List<FeatureResult> features, String reason) {}

  public static Result test(List<String> names, List<double[]> reference, List<double[]> recent, double alpha,
      Correction correction, double minEffect, int minSample) {
    int k = names.size();
    double[] d = new double[k];
    double[] p = new double[k];
    boolean[] enough = new boolean[k];
    KolmogorovSmirnovTest ks = new KolmogorovSmirnovTest();
    for (int i = 0; i < k; i++) {
      double[] a = reference.get(i);
      double[] b = recent.get(i);
      enough[i] = b.length >= minSample && a.length >= 2;
      if (a.length >= 2 && b.length >= 2) {
        d[i] = ks.kolmogorovSmirnovStatistic(a, b);
        p[i] = ks.kolmogorovSmirnovTest(a, b);
      } else {
        d[i] = Double.NaN;
        p[i] = Double.NaN;
      }
    }
    boolean[] significant = significant(p, alpha, correction);
    List<FeatureResult> out = new ArrayList<>();
    boolean any = false;
    double maxD = Double.NaN;
    List<String> reasons = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      String note;
      boolean drifted = false;
      if (!enough[i]) {
        note = "recent sample " + recent.get(i).length + " < " + minSample + " (or reference "
            + reference.get(i).length + " < 2)";
      } else if (!significant[i]) {
        note = String.format(Locale.ROOT, "not significant (p=%.3g, %s)", p[i], limitText(alpha, k, correction));
      } else if (d[i] < minEffect) {
        note = String.format(Locale.ROOT, "significant (p=%.3g) but D=%.3f < min effect %.3f", p[i], d[i], minEffect);
      } else {
        note = String.format(Locale.ROOT, "drift: D=%.3f >= %.3f, p=%.3g (%s)", d[i], minEffect, p[i],
            limitText(alpha, k, correction));
        drifted = true;
      }
      any |= drifted;
      if (Double.isFinite(d[i]) && (Double.isNaN(maxD) || d[i] > maxD)) {
        maxD = d[i];
      }
      reasons.add(names.get(i) + " " + note);
      out.add(new FeatureResult(names.get(i), reference.get(i).length, recent.get(i).length, d[i], p[i],
          significant[i], drifted, note));
    }
    return new Result(any, maxD, out, String.join("; ", reasons));
  }

  private static String limitText(double alpha, int k, Correction c) {
    return c == Correction.BONFERRONI
        ? String.format(Locale.ROOT, "Bonferroni alpha/%d=%.3g", k, alpha / k)
        : String.format(Locale.ROOT, "BH FDR q=%.3g", alpha);
  }

  /** Which p-values pass after correction; NaN never passes. */
  static boolean[] significant(double[] p, double alpha, Correction correction) {
    int k = p.length;
    boolean[] out = new boolean[k];
    if (correction == Correction.BONFERRONI) {
      for (int i = 0; i < k; i++) {
        out[i] = p[i] < alpha / k;
      }
      return out;
    }
    // Benjamini–Hochberg: the largest rank r with p_(r) <= r/k·alpha; ranks 1..r pass
    Integer[] order = new Integer[k];
    for (int i = 0; i < k; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(nanHigh(p[a]), nanHigh(p[b])));
    int cut = 0;
    for (int r = 1; r <= k; r++) {
      double pr = p[order[r - 1]];
      if (!Double.isNaN(pr) && pr <= r * alpha / k) {
        cut = r;
      }
    }
    for (int r = 0; r < cut; r++) {
      out[order[r]] = true;
    }
    return out;
  }

  private static double nanHigh(double v) {
    return Double.isNaN(v) ? Double.POSITIVE_INFINITY : v;
  }
}

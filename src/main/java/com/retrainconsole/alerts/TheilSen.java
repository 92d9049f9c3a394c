package com.retrainconsole.alerts;

import java.util.Arrays;

/** Theil–Sen slope: the median of all pairwise slopes, so one outlying point cannot make a trend. */
final class TheilSen {
  private TheilSen() {}

  /** Slope of y over x = 0, 1, 2, ... */
  static double slope(double[] y) {
    int n = y.length;
    if (n < 2) {
      return 0;
    }
    double[] slopes = new double[n * (n - 1) / 2];
    int k = 0;
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        slopes[k++] = (y[j] - y[i]) / (j - i);
      }
    }
    return median(slopes);
  }

  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }
}

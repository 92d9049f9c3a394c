package com.retrainconsole.training;

/** Regression metrics on one test window. MAPE is left out on purpose: night-time zeros make it meaningless. */
public record Metrics(double mae, double rmse, double r2, int n) {
  public boolean finite() {
    return Double.isFinite(mae) && Double.isFinite(rmse) && Double.isFinite(r2);
  }

  /** MAE, RMSE and R² of predicted against actual. R² is NaN when the actual values do not vary. */
  public static Metrics of(double[] actual, double[] predicted) {
    if (actual.length != predicted.length) {
      throw new IllegalArgumentException(actual.length + " actual values but " + predicted.length
          + " predictions");
    }
    int n = actual.length;
    if (n == 0) {
      return new Metrics(Double.NaN, Double.NaN, Double.NaN, 0);
    }
    double mean = 0;
    for (double a : actual) {
      mean += a;
    }
    mean /= n;
    double abs = 0;
    double sq = 0;
    double tot = 0;
    for (int i = 0; i < n; i++) {
      double e = predicted[i] - actual[i];
      abs += Math.abs(e);
      sq += e * e;
      double d = actual[i] - mean;
      tot += d * d;
    }
    double r2 = tot > 0 ? 1 - sq / tot : Double.NaN;
    return new Metrics(abs / n, Math.sqrt(sq / n), r2, n);
  }
}

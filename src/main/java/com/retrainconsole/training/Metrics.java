package com.retrainconsole.training;

/** Regression metrics on one test window. MAPE is left out on purpose: night-time zeros make it meaningless. */
public record Metrics(double mae, double rmse, double r2, int n) {
  public boolean finite() {
    return Double.isFinite(mae) && Double.isFinite(rmse) && Double.isFinite(r2);
  }
}

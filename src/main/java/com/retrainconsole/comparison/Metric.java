package com.retrainconsole.comparison;

import com.retrainconsole.registry.MetricsDoc;

/** A test-window metric a version is judged by; {@link #unit} is empty for unitless R². */
public enum Metric {
  MAE("MAE", "W"),
  RMSE("RMSE", "W"),
  R2("R²", "");

  private final String label;
  private final String unit;

  Metric(String label, String unit) {
    this.label = label;
    this.unit = unit;
  }

  public String label() {
    return label;
  }

  public String unit() {
    return unit;
  }

  /** Axis-ready label with the unit, e.g. "MAE (W)". */
  public String axisLabel() {
    return unit.isEmpty() ? label : label + " (" + unit + ")";
  }

  /** The metric of a stored metrics document; NaN when there is none. */
  public double of(MetricsDoc m) {
    if (m == null) {
      return Double.NaN;
    }
    return switch (this) {
      case MAE -> m.mae();
      case RMSE -> m.rmse();
      case R2 -> m.r2();
    };
  }

  @Override
  public String toString() {
    return label;
  }
}

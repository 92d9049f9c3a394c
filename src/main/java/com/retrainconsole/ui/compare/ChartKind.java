package com.retrainconsole.ui.compare;

/** The charts of the comparison view; each can be exported as PNG. */
public enum ChartKind {
  METRIC("compare-metric-chart", "Metric over versions", "metric-over-versions"),
  PREDICTED_VS_ACTUAL("compare-pva-chart", "Predicted vs actual on the same rows", "predicted-vs-actual"),
  RESIDUALS("compare-residual-chart", "Residuals over time", "residuals"),
  HOUR_OF_DAY("compare-hour-chart", "Mean absolute error by hour of day", "error-by-hour"),
  FEATURE_IMPORTANCE("compare-importance-chart", "Feature importance", "feature-importance");

  private final String id;
  private final String caption;
  private final String fileStem;

  ChartKind(String id, String caption, String fileStem) {
    this.id = id;
    this.caption = caption;
    this.fileStem = fileStem;
  }

  public String id() {
    return id;
  }

  public String caption() {
    return caption;
  }

  public String fileStem() {
    return fileStem;
  }
}

package com.retrainconsole.registry;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.retrainconsole.training.Metrics;

/** Metrics as stored in a meta file: {@code {mae, rmse, r2, n}}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MetricsDoc(
    @JsonProperty("mae") double mae,
    @JsonProperty("rmse") double rmse,
    @JsonProperty("r2") double r2,
    @JsonProperty("n") int n) {
  public static MetricsDoc of(Metrics m) {
    return m == null ? null : new MetricsDoc(m.mae(), m.rmse(), m.r2(), m.n());
  }

  public Metrics toMetrics() {
    return new Metrics(mae, rmse, r2, n);
  }

  @JsonIgnore
  public boolean finite() {
    return toMetrics().finite();
  }
}

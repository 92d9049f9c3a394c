package com.retrainconsole.features;

/**
 * Model input built from a telemetry window: row-major {@code x[row][feature]}, the target {@code y},
 * each row's timestamp, and {@code naive[row]} = the target at the same time one day earlier (NaN when
 * unknown) for the first-model baseline. Rows are in time order.
 */
public record FeatureMatrix(String[] names, double[][] x, double[] y, long[] ts, double[] naive) {
  public int size() {
    return y.length;
  }

  /** Rows [from, to). */
  public FeatureMatrix slice(int from, int to) {
    return new FeatureMatrix(
        names,
        java.util.Arrays.copyOfRange(x, from, to),
        java.util.Arrays.copyOfRange(y, from, to),
        java.util.Arrays.copyOfRange(ts, from, to),
        java.util.Arrays.copyOfRange(naive, from, to));
  }
}

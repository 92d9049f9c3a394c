package com.retrainconsole.alerts;

import java.time.Duration;
import java.util.Map;

/**
 * Thresholds of the detectors. {@code accuracy} bounds apply to every device unless {@code perDevice}
 * names the device. Defaults: R² below 0.5 is low, no MAE bound; failures above 30% of the last 10
 * finished runs (at least 3); pending more than 1 h past due or running 30 min without a progress or
 * heartbeat change is stuck; production MAE rising by more than 5% of its median per promotion (Theil–Sen
 * over the last 4 to 8 promotions) is degradation.
 */
public record AlertPolicy(
    AccuracyBounds accuracy,
    Map<String, AccuracyBounds> perDevice,
    int failureWindow,
    int failureMinRuns,
    double failureRate,
    Duration pendingOverdue,
    Duration runningStall,
    int degradationMinPoints,
    int degradationWindow,
    double degradationRelativeSlope) {

  /** R² below {@code minR2} or MAE above {@code maxMae} is low accuracy; NaN disables a bound. */
  public record AccuracyBounds(double minR2, double maxMae) {
    public static final AccuracyBounds DEFAULT = new AccuracyBounds(0.5, Double.NaN);
  }

  public AlertPolicy {
    perDevice = perDevice == null ? Map.of() : Map.copyOf(perDevice);
    if (degradationMinPoints < 3 || degradationWindow < degradationMinPoints) {
      throw new IllegalArgumentException("degradation needs at least 3 points and window >= min points");
    }
  }

  public static AlertPolicy defaults() {
    return new AlertPolicy(AccuracyBounds.DEFAULT, Map.of(), 10, 3, 0.3, Duration.ofHours(1),
        Duration.ofMinutes(30), 4, 8, 0.05);
  }

  public AccuracyBounds accuracyFor(String deviceId) {
    return perDevice.getOrDefault(deviceId, accuracy);
  }

  public AlertPolicy withDeviceAccuracy(String deviceId, AccuracyBounds bounds) {
    Map<String, AccuracyBounds> m = new java.util.HashMap<>(perDevice);
    m.put(deviceId, bounds);
    return new AlertPolicy(accuracy, m, failureWindow, failureMinRuns, failureRate, pendingOverdue, runningStall,
        degradationMinPoints, degradationWindow, degradationRelativeSlope);
  }
}

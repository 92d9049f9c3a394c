package com.retrainconsole.settings;

import com.retrainconsole.alerts.AlertPolicy;
import com.retrainconsole.registry.PromotionPolicy;
import com.retrainconsole.training.GatePolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The thresholds every scheduler and console share: promotion rule, data-quality gate and alert detectors,
 * flat so a form can hold values the policy records would refuse and {@link #validate()} can name each
 * bad field. Shares are fractions (0.10 = 10 %); durations in minutes; NaN switches an accuracy bound off.
 * decision: per-device accuracy bounds are not here; they stay with AlertPolicy's defaults (none).
 */
public record Policies(
    double promotionTolerance,
    int promotionMinTestRows,
    int gateMinRows,
    long gateMaxFrozenMinutes,
    double gateMaxFrozenShare,
    long gateMaxNanBurstMinutes,
    double gateMaxNanShare,
    double alertMinR2,
    double alertMaxMae,
    int alertFailureWindow,
    int alertFailureMinRuns,
    double alertFailureRate,
    long alertPendingOverdueMinutes,
    long alertRunningStallMinutes,
    int alertDegradationMinPoints,
    int alertDegradationWindow,
    double alertDegradationSlope) {

  // field keys: stored document paths and the names in validation messages
  public static final String PROMOTION_TOLERANCE = "promotion.tolerance";
  public static final String PROMOTION_MIN_TEST_ROWS = "promotion.min_test_rows";
  public static final String GATE_MIN_ROWS = "gate.min_rows";
  public static final String GATE_MAX_FROZEN = "gate.max_frozen_minutes";
  public static final String GATE_MAX_FROZEN_SHARE = "gate.max_frozen_share";
  public static final String GATE_MAX_NAN_BURST = "gate.max_nan_burst_minutes";
  public static final String GATE_MAX_NAN_SHARE = "gate.max_nan_share";
  public static final String ALERT_MIN_R2 = "alerts.min_r2";
  public static final String ALERT_MAX_MAE = "alerts.max_mae_w";
  public static final String ALERT_FAILURE_WINDOW = "alerts.failure_window";
  public static final String ALERT_FAILURE_MIN_RUNS = "alerts.failure_min_runs";
  public static final String ALERT_FAILURE_RATE = "alerts.failure_rate";
  public static final String ALERT_PENDING_OVERDUE = "alerts.pending_overdue_minutes";
  public static final String ALERT_RUNNING_STALL = "alerts.running_stall_minutes";
  public static final String ALERT_DEGRADATION_MIN_POINTS = "alerts.degradation_min_points";
  public static final String ALERT_DEGRADATION_WINDOW = "alerts.degradation_window";
  public static final String ALERT_DEGRADATION_SLOPE = "alerts.degradation_relative_slope";

  static final long MAX_MINUTES = 30L * 24 * 60; // a month: anything longer is a typo
  static final int MAX_ROWS = 10_000_000;

  public static Policies defaults() {
    return of(PromotionPolicy.defaults(), GatePolicy.defaults(), AlertPolicy.defaults());
  }

  public static Policies of(PromotionPolicy p, GatePolicy g, AlertPolicy a) {
    return new Policies(p.tolerance(), p.minTestRows(), g.minRows(), g.maxFrozen().toMinutes(), g.maxFrozenShare(),
        g.maxNanBurst().toMinutes(), g.maxNanShare(), a.accuracy().minR2(), a.accuracy().maxMae(),
        a.failureWindow(), a.failureMinRuns(), a.failureRate(), a.pendingOverdue().toMinutes(),
        a.runningStall().toMinutes(), a.degradationMinPoints(), a.degradationWindow(), a.degradationRelativeSlope());
  }

  /** Every invalid field with a message in the form's units; empty when the policies can be built. */
  public List<FieldError> validate() {
    List<FieldError> e = new ArrayList<>();
    share(e, PROMOTION_TOLERANCE, promotionTolerance, "the candidate's allowed margin over the champion");
    range(e, PROMOTION_MIN_TEST_ROWS, promotionMinTestRows, 1, MAX_ROWS);
    range(e, GATE_MIN_ROWS, gateMinRows, 1, MAX_ROWS);
    minutes(e, GATE_MAX_FROZEN, gateMaxFrozenMinutes);
    share(e, GATE_MAX_FROZEN_SHARE, gateMaxFrozenShare, "the stuck-sensor share");
    minutes(e, GATE_MAX_NAN_BURST, gateMaxNanBurstMinutes);
    share(e, GATE_MAX_NAN_SHARE, gateMaxNanShare, "the missing-value share");
    if (!Double.isNaN(alertMinR2) && !(alertMinR2 >= -1 && alertMinR2 <= 1)) {
      e.add(new FieldError(ALERT_MIN_R2, "must be between -1 and 1 (or empty for no bound), not " + alertMinR2));
    }
    if (!Double.isNaN(alertMaxMae) && !(alertMaxMae > 0 && Double.isFinite(alertMaxMae))) {
      e.add(new FieldError(ALERT_MAX_MAE, "must be a positive number of W (or empty for no bound), not "
          + alertMaxMae));
    }
    range(e, ALERT_FAILURE_WINDOW, alertFailureWindow, 1, 1000);
    if (alertFailureMinRuns < 1 || alertFailureMinRuns > alertFailureWindow) {
      e.add(new FieldError(ALERT_FAILURE_MIN_RUNS, "must be between 1 and the failure window ("
          + alertFailureWindow + " runs), not " + alertFailureMinRuns));
    }
    if (!(alertFailureRate > 0 && alertFailureRate <= 1)) {
      e.add(new FieldError(ALERT_FAILURE_RATE, "must be above 0 % and at most 100 %, not " + pct(alertFailureRate)));
    }
    minutes(e, ALERT_PENDING_OVERDUE, alertPendingOverdueMinutes);
    minutes(e, ALERT_RUNNING_STALL, alertRunningStallMinutes);
    range(e, ALERT_DEGRADATION_MIN_POINTS, alertDegradationMinPoints, 3, 100);
    if (alertDegradationWindow < alertDegradationMinPoints || alertDegradationWindow > 100) {
      e.add(new FieldError(ALERT_DEGRADATION_WINDOW, "must be between the minimum points ("
          + alertDegradationMinPoints + ") and 100, not " + alertDegradationWindow));
    }
    if (!(alertDegradationSlope > 0 && alertDegradationSlope <= 1)) {
      e.add(new FieldError(ALERT_DEGRADATION_SLOPE, "must be above 0 % and at most 100 % per promotion, not "
          + pct(alertDegradationSlope)));
    }
    return e;
  }

  /** @throws InvalidSettingsException naming every invalid field */
  public Policies requireValid() {
    List<FieldError> errors = validate();
    if (!errors.isEmpty()) {
      throw new InvalidSettingsException(errors);
    }
    return this;
  }

  public PromotionPolicy promotion() {
    requireValid();
    return new PromotionPolicy(promotionTolerance, promotionMinTestRows);
  }

  public GatePolicy gate() {
    requireValid();
    return new GatePolicy(gateMinRows, Duration.ofMinutes(gateMaxFrozenMinutes), gateMaxFrozenShare,
        Duration.ofMinutes(gateMaxNanBurstMinutes), gateMaxNanShare);
  }

  public AlertPolicy alerts() {
    requireValid();
    return new AlertPolicy(new AlertPolicy.AccuracyBounds(alertMinR2, alertMaxMae), Map.of(), alertFailureWindow,
        alertFailureMinRuns, alertFailureRate, Duration.ofMinutes(alertPendingOverdueMinutes),
        Duration.ofMinutes(alertRunningStallMinutes), alertDegradationMinPoints, alertDegradationWindow,
        alertDegradationSlope);
  }

  private static void share(List<FieldError> e, String field, double v, String what) {
    if (!(v >= 0 && v <= 1)) {
      e.add(new FieldError(field, "must be between 0 % and 100 % (" + what + "), not " + pct(v)));
    }
  }

  private static void range(List<FieldError> e, String field, long v, long min, long max) {
    if (v < min || v > max) {
      e.add(new FieldError(field, "must be between " + min + " and " + max + ", not " + v));
    }
  }

  private static void minutes(List<FieldError> e, String field, long v) {
    if (v < 1 || v > MAX_MINUTES) {
      e.add(new FieldError(field, "must be between 1 minute and 30 days (" + MAX_MINUTES + " min), not " + v
          + " min"));
    }
  }

  private static String pct(double share) {
    return Double.isFinite(share) ? String.format(java.util.Locale.ROOT, "%.4g %%", share * 100) : Double.toString(share);
  }
}

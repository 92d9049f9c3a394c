package com.retrainconsole.ui.settings;

import static com.retrainconsole.settings.Policies.*;

import com.retrainconsole.settings.Policies;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One editable threshold of the policy form: its key in {@link Policies}, label, unit and how the text
 * maps to the stored value (percent fields show 10 for a share of 0.10).
 */
public record PolicyField(String group, String key, String label, String unit, Kind kind, String help) {

  public enum Kind {
    /** whole number */
    COUNT,
    /** whole minutes */
    MINUTES,
    /** shown in %, stored as a fraction */
    PERCENT,
    /** decimal; empty switches the bound off */
    OPTIONAL_DECIMAL
  }

  public static final String PROMOTION = "Promotion";
  public static final String GATE = "Data-quality gate";
  public static final String ALERTS = "Alerts";

  public static final List<PolicyField> ALL = List.of(
      new PolicyField(PROMOTION, PROMOTION_TOLERANCE, "Candidate may trail the champion's MAE by", "%",
          Kind.PERCENT, "promote when candidate MAE ≤ champion MAE × (1 + this)"),
      new PolicyField(PROMOTION, PROMOTION_MIN_TEST_ROWS, "Minimum test rows", "rows", Kind.COUNT,
          "fewer make the comparison noise"),
      new PolicyField(GATE, GATE_MIN_ROWS, "Minimum readings", "rows", Kind.COUNT, "fewest readings worth training on"),
      new PolicyField(GATE, GATE_MAX_FROZEN, "Stuck sensor after", "min", Kind.MINUTES,
          "a non-zero value repeated this long is masked"),
      new PolicyField(GATE, GATE_MAX_FROZEN_SHARE, "Largest stuck share", "%", Kind.PERCENT,
          "above this the run fails"),
      new PolicyField(GATE, GATE_MAX_NAN_BURST, "Longest missing-value burst", "min", Kind.MINUTES, ""),
      new PolicyField(GATE, GATE_MAX_NAN_SHARE, "Largest missing share per field", "%", Kind.PERCENT, ""),
      new PolicyField(ALERTS, ALERT_MIN_R2, "Low accuracy below R²", "", Kind.OPTIONAL_DECIMAL, "empty: no bound"),
      new PolicyField(ALERTS, ALERT_MAX_MAE, "Low accuracy above MAE", "W", Kind.OPTIONAL_DECIMAL, "empty: no bound"),
      new PolicyField(ALERTS, ALERT_FAILURE_WINDOW, "Failure window", "runs", Kind.COUNT, "last finished runs looked at"),
      new PolicyField(ALERTS, ALERT_FAILURE_MIN_RUNS, "Failure alert needs at least", "runs", Kind.COUNT, ""),
      new PolicyField(ALERTS, ALERT_FAILURE_RATE, "Failure alert above", "%", Kind.PERCENT, "of the window"),
      new PolicyField(ALERTS, ALERT_PENDING_OVERDUE, "Stuck job: pending past due by", "min", Kind.MINUTES, ""),
      new PolicyField(ALERTS, ALERT_RUNNING_STALL, "Stuck job: running without progress", "min", Kind.MINUTES, ""),
      new PolicyField(ALERTS, ALERT_DEGRADATION_MIN_POINTS, "Degradation needs promotions", "", Kind.COUNT, "at least 3"),
      new PolicyField(ALERTS, ALERT_DEGRADATION_WINDOW, "Degradation window", "promotions", Kind.COUNT, ""),
      new PolicyField(ALERTS, ALERT_DEGRADATION_SLOPE, "Degradation: MAE rising by", "% / promotion", Kind.PERCENT,
          "of the median MAE"));

  /** The field's value in {@code p}, as the form shows it. */
  public String format(Policies p) {
    double v = values(p).get(key);
    return switch (kind) {
      case COUNT, MINUTES -> Long.toString((long) v);
      case PERCENT -> trim(v * 100);
      case OPTIONAL_DECIMAL -> Double.isNaN(v) ? "" : trim(v);
    };
  }

  /** The stored value of {@code text}, or why it is not a value of this kind. */
  public Parsed parse(String text) {
    String t = text == null ? "" : text.strip().replace(',', '.');
    if (t.isEmpty()) {
      return kind == Kind.OPTIONAL_DECIMAL ? new Parsed(Double.NaN, null) : new Parsed(0, "required");
    }
    try {
      return switch (kind) {
        case COUNT, MINUTES -> new Parsed(Long.parseLong(t), null);
        case PERCENT -> new Parsed(finite(Double.parseDouble(t)) / 100, null);
        case OPTIONAL_DECIMAL -> new Parsed(finite(Double.parseDouble(t)), null);
      };
    } catch (NumberFormatException e) {
      return new Parsed(0, kind == Kind.COUNT || kind == Kind.MINUTES ? "must be a whole number" : "must be a number");
    }
  }

  /** A parsed value, or an error (then the value is meaningless). */
  public record Parsed(double value, String error) {}

  /** Every field's value by key, in the stored units. */
  public static Map<String, Double> values(Policies p) {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put(PROMOTION_TOLERANCE, p.promotionTolerance());
    m.put(PROMOTION_MIN_TEST_ROWS, (double) p.promotionMinTestRows());
    m.put(GATE_MIN_ROWS, (double) p.gateMinRows());
    m.put(GATE_MAX_FROZEN, (double) p.gateMaxFrozenMinutes());
    m.put(GATE_MAX_FROZEN_SHARE, p.gateMaxFrozenShare());
    m.put(GATE_MAX_NAN_BURST, (double) p.gateMaxNanBurstMinutes());
    m.put(GATE_MAX_NAN_SHARE, p.gateMaxNanShare());
    m.put(ALERT_MIN_R2, p.alertMinR2());
    m.put(ALERT_MAX_MAE, p.alertMaxMae());
    m.put(ALERT_FAILURE_WINDOW, (double) p.alertFailureWindow());
    m.put(ALERT_FAILURE_MIN_RUNS, (double) p.alertFailureMinRuns());
    m.put(ALERT_FAILURE_RATE, p.alertFailureRate());
    m.put(ALERT_PENDING_OVERDUE, (double) p.alertPendingOverdueMinutes());
    m.put(ALERT_RUNNING_STALL, (double) p.alertRunningStallMinutes());
    m.put(ALERT_DEGRADATION_MIN_POINTS, (double) p.alertDegradationMinPoints());
    m.put(ALERT_DEGRADATION_WINDOW, (double) p.alertDegradationWindow());
    m.put(ALERT_DEGRADATION_SLOPE, p.alertDegradationSlope());
    return m;
  }

  /** Policies from values by key; a missing key keeps {@code base}'s value. */
  public static Policies policies(Map<String, Double> v, Policies base) {
    Map<String, Double> m = values(base);
    m.putAll(v);
    return new Policies(m.get(PROMOTION_TOLERANCE), toInt(m.get(PROMOTION_MIN_TEST_ROWS)),
        toInt(m.get(GATE_MIN_ROWS)), m.get(GATE_MAX_FROZEN).longValue(), m.get(GATE_MAX_FROZEN_SHARE),
        m.get(GATE_MAX_NAN_BURST).longValue(), m.get(GATE_MAX_NAN_SHARE), m.get(ALERT_MIN_R2), m.get(ALERT_MAX_MAE),
        toInt(m.get(ALERT_FAILURE_WINDOW)), toInt(m.get(ALERT_FAILURE_MIN_RUNS)), m.get(ALERT_FAILURE_RATE),
        m.get(ALERT_PENDING_OVERDUE).longValue(), m.get(ALERT_RUNNING_STALL).longValue(),
        toInt(m.get(ALERT_DEGRADATION_MIN_POINTS)), toInt(m.get(ALERT_DEGRADATION_WINDOW)),
        m.get(ALERT_DEGRADATION_SLOPE));
  }

  public static Optional<PolicyField> byKey(String key) {
    return ALL.stream().filter(f -> f.key.equals(key)).findFirst();
  }

  /** Node id of the field's text box, e.g. policy-promotion-tolerance. */
  public String nodeId() {
    return "policy-" + key.replace('.', '-').replace('_', '-');
  }

  private static int toInt(double v) {
    // decision: clamp, so a huge typed number fails range validation instead of wrapping around
    return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
  }

  private static double finite(double v) {
    if (!Double.isFinite(v)) {
      throw new NumberFormatException("not finite");
    }
    return v;
  }

  private static String trim(double v) {
    String s = String.format(Locale.ROOT, "%.6f", v).replaceAll("0+$", "");
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }
}

package com.retrainconsole.alerts;

import com.retrainconsole.alerts.AlertPolicy.AccuracyBounds;
import com.retrainconsole.runs.RunRecord;
import com.retrainconsole.runs.RunStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bson.Document;

/** LOW_ACCURACY: a completed run whose R² is below, or MAE above, the device's bounds. One incident per device. */
final class LowAccuracyDetector {
  private final AlertService alerts;
  private final AlertPolicy policy;

  LowAccuracyDetector(AlertService alerts, AlertPolicy policy) {
    this.alerts = alerts;
    this.policy = policy;
  }

  static String key(String deviceId) {
    return AlertTypes.LOW_ACCURACY + ":" + deviceId;
  }

  /** Returns the alert raised, or null. A completed run within bounds resolves the device's incident. */
  Document afterRun(RunRecord run) {
    RunRecord.Metrics metrics = run.metrics();
    if (run.status() != RunStatus.COMPLETED || metrics == null) {
      return null;
    }
    String device = run.deviceId();
    double r2 = number(metrics.r2());
    double mae = number(metrics.mae());
    AccuracyBounds bounds = policy.accuracyFor(device);
    StringBuilder why = new StringBuilder();
    if (!Double.isNaN(bounds.minR2()) && !(r2 >= bounds.minR2())) {
      why.append(String.format(java.util.Locale.ROOT, "R² %.3f below %.3f", r2, bounds.minR2()));
    }
    if (!Double.isNaN(bounds.maxMae()) && !(mae <= bounds.maxMae())) {
      why.append(why.length() > 0 ? "; " : "")
          .append(String.format(java.util.Locale.ROOT, "MAE %.2f above %.2f", mae, bounds.maxMae()));
    }
    String runId = run.runId();
    if (why.length() == 0) {
      alerts.resolveIncident(key(device), "detector", "run " + runId + " is within bounds");
      return null;
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("run_id", runId);
    details.put("r2", r2);
    details.put("mae", mae);
    details.put("min_r2", bounds.minR2());
    details.put("max_mae", bounds.maxMae());
    return alerts.raiseAlert(AlertTypes.LOW_ACCURACY, device, key(device),
        "Run " + runId + " of " + device + ": " + why, details);
  }

  static double number(Object o) {
    return o instanceof Number n ? n.doubleValue() : Double.NaN;
  }
}

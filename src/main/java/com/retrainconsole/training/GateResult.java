package com.retrainconsole.training;

import com.retrainconsole.telemetry.TelemetryWindow;
import java.util.List;

/** Whether a window may be trained on, and if not, every specific reason. */
public record GateResult(boolean passed, List<String> reasons, List<String> warnings, TelemetryWindow window) {
  public GateResult {
    reasons = List.copyOf(reasons);
    warnings = List.copyOf(warnings);
  }

  public String summary() {
    return passed ? "data quality gate passed" : "data quality gate failed: " + String.join("; ", reasons);
  }
}

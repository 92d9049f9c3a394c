package com.retrainconsole.training;

import java.util.List;

/** Whether a window may be trained on, and if not, every specific reason. */
public record GateResult(boolean passed, List<String> reasons) {
  public GateResult {
    reasons = List.copyOf(reasons);
  }

  public String summary() {
    return passed ? "data quality gate passed" : "data quality gate failed: " + String.join("; ", reasons);
  }
}

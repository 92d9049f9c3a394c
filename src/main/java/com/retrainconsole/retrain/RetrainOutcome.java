package com.retrainconsole.retrain;

import java.util.Map;
import org.bson.Document;

/**
 * The run record and how long each stage took (milliseconds, in stage order). {@code stoppedByFence}: the
 * run stopped without writing its final state because a cancel, timeout or takeover owns it.
 */
public record RetrainOutcome(Document run, Map<String, Long> stageMillis, boolean stoppedByFence) {
  public RetrainOutcome(Document run, Map<String, Long> stageMillis) {
    this(run, stageMillis, false);
  }

  public String status() {
    return run.getString("status");
  }

  public boolean completed() {
    return "completed".equals(status());
  }
}

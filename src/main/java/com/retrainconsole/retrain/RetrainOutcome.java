package com.retrainconsole.retrain;

import com.retrainconsole.runs.RunRecord;
import com.retrainconsole.runs.RunStatus;
import java.util.Map;

/**
 * The run record and how long each stage took (milliseconds, in stage order). {@code stoppedByFence}: the
 * run stopped without writing its final state because a cancel, timeout or takeover owns it.
 */
public record RetrainOutcome(RunRecord run, Map<String, Long> stageMillis, boolean stoppedByFence) {
  public RetrainOutcome(RunRecord run, Map<String, Long> stageMillis) {
    this(run, stageMillis, false);
  }

  public RunStatus status() {
    return run.status();
  }

  public boolean completed() {
    return run.status() == RunStatus.COMPLETED;
  }
}

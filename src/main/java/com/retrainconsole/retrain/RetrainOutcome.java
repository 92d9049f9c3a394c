package com.retrainconsole.retrain;

import java.util.Map;
import org.bson.Document;

/** The final run record and how long each stage took (milliseconds, in stage order). */
public record RetrainOutcome(Document run, Map<String, Long> stageMillis) {
  public String status() {
    return run.getString("status");
  }

  public boolean completed() {
    return "completed".equals(status());
  }
}

package com.retrainconsole.alerts;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import com.retrainconsole.runs.RunCodec;
import com.retrainconsole.runs.RunRecord;
import com.retrainconsole.runs.RunStatus;
import com.retrainconsole.store.Collections;
import com.retrainconsole.store.Store;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;

/**
 * TRAINING_FAILURE: more than {@code failureRate} of a device's last {@code failureWindow} finished runs
 * failed or timed out. decision: cancelled runs are left out (an operator's choice, not a failure), and
 * the rate only changes when a run finishes, so this runs after each run and not on every tick.
 */
final class TrainingFailureDetector {
  private final MongoCollection<Document> runs;
  private final AlertService alerts;
  private final AlertPolicy policy;

  TrainingFailureDetector(Store store, AlertService alerts, AlertPolicy policy) {
    this.runs = store.collection(Collections.MODEL_RUNS);
    this.alerts = alerts;
    this.policy = policy;
  }

  static String key(String deviceId) {
    return AlertTypes.TRAINING_FAILURE + ":" + deviceId;
  }

  Document evaluate(String device) {
    List<RunRecord> recent = new ArrayList<>();
    runs.find(Filters.and(Filters.eq(RunCodec.DEVICE_ID, device),
            Filters.in(RunCodec.STATUS, RunStatus.COMPLETED.wire(), RunStatus.FAILED.wire(), RunStatus.TIMED_OUT.wire())))
        .projection(Projections.include(RunCodec.RUN_ID, RunCodec.STATUS, RunCodec.ERROR, RunCodec.FINISHED_AT))
        .sort(Sorts.descending(RunCodec.FINISHED_AT))
        .limit(policy.failureWindow())
        .forEach(d -> recent.add(RunCodec.read(d)));
    List<String> failed = new ArrayList<>();
    String lastError = null;
    for (RunRecord r : recent) {
      if (r.status() != RunStatus.COMPLETED) {
        failed.add(r.runId());
        if (lastError == null) {
          lastError = r.error();
        }
      }
    }
    double rate = recent.isEmpty() ? 0 : failed.size() / (double) recent.size();
    if (recent.size() < policy.failureMinRuns() || rate <= policy.failureRate()) {
      alerts.resolveIncident(key(device), "detector", String.format(java.util.Locale.ROOT,
          "failure rate %.0f%% over the last %d runs", rate * 100, recent.size()));
      return null;
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("run_ids", failed);
    details.put("failed", failed.size());
    details.put("runs", recent.size());
    details.put("rate", rate);
    details.put("threshold", policy.failureRate());
    details.put("last_error", lastError);
    return alerts.raiseAlert(AlertTypes.TRAINING_FAILURE, device, key(device), String.format(java.util.Locale.ROOT,
        "%d of the last %d runs of %s failed (%.0f%% > %.0f%%); last error: %s", failed.size(), recent.size(),
        device, rate * 100, policy.failureRate() * 100, lastError), details);
  }
}

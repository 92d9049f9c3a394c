package com.retrainconsole.alerts;

import com.retrainconsole.registry.ModelRegistry;
import com.retrainconsole.runs.RunRecord;
import com.retrainconsole.store.Store;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The detectors, for the scheduler to call: {@link #afterRun} with each run record once it is final, and
 * {@link #onTick} once per tick. Both return the alerts raised (or updated) by this call and never throw:
 * a detector that fails is logged and skipped, so alerting cannot stop the scheduler. CIRCUIT_OPEN is not
 * detected here; the triggers package raises it through {@link AlertSink}.
 */
public final class AlertDetectors {
  private static final Logger log = LoggerFactory.getLogger(AlertDetectors.class);

  private final LowAccuracyDetector lowAccuracy;
  private final TrainingFailureDetector trainingFailure;
  private final StuckJobDetector stuckJob;
  private final ModelDegradationDetector degradation;
  private final Clock clock;

  public AlertDetectors(Store store, ModelRegistry registry, AlertService alerts, AlertPolicy policy, Clock clock) {
    this.lowAccuracy = new LowAccuracyDetector(alerts, policy);
    this.trainingFailure = new TrainingFailureDetector(store, alerts, policy);
    this.stuckJob = new StuckJobDetector(store, alerts, policy);
    this.degradation = new ModelDegradationDetector(registry, alerts, policy);
    this.clock = clock;
  }

  /** After a run reached a final status: LOW_ACCURACY, TRAINING_FAILURE, and MODEL_DEGRADATION when it promoted. */
  public List<Document> afterRun(RunRecord finishedRun) {
    List<Document> raised = new ArrayList<>();
    String device = finishedRun.deviceId();
    guarded("LOW_ACCURACY", () -> add(raised, lowAccuracy.afterRun(finishedRun)));
    guarded("TRAINING_FAILURE", () -> add(raised, trainingFailure.evaluate(device)));
    guarded("STUCK_JOB", () -> stuckJob.afterRun(finishedRun));
    if (finishedRun.promoted()) {
      guarded("MODEL_DEGRADATION", () -> add(raised, degradation.evaluate(device)));
    }
    return raised;
  }

  /** Each scheduler tick: STUCK_JOB over the live queue, MODEL_DEGRADATION for devices whose pointer moved. */
  public List<Document> onTick(Instant now) {
    List<Document> raised = new ArrayList<>();
    guarded("STUCK_JOB", () -> raised.addAll(stuckJob.onTick(now)));
    guarded("MODEL_DEGRADATION", () -> raised.addAll(degradation.onTick()));
    return raised;
  }

  public List<Document> onTick() {
    return onTick(clock.instant());
  }

  private interface Work {
    void run() throws Exception;
  }

  private static void guarded(String detector, Work work) {
    try {
      work.run();
    } catch (Exception e) {
      log.warn("alert detector {} failed: {}", detector, e.toString());
    }
  }

  private static void add(List<Document> list, Document alert) {
    if (alert != null) {
      list.add(alert);
    }
  }
}

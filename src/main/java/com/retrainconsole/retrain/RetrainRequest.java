package com.retrainconsole.retrain;

import com.retrainconsole.training.TrainerKind;
import com.retrainconsole.runs.RunRecord.Params;
import com.retrainconsole.runs.RunRecord.Trigger;
import java.time.Instant;

/**
 * One retrain: the device, how many days of telemetry up to {@code until} (null = the device's newest
 * reading, so imported history trains as readily as live data), the trainer, and who asked and why.
 * A dry run does everything but write the model and the pointer.
 */
public record RetrainRequest(
    String deviceId,
    int days,
    Instant until,
    TrainerKind trainer,
    boolean dryRun,
    String triggerType,
    String reason,
    String actor) {

  public static final int DEFAULT_DAYS = 30;

  public RetrainRequest {
    if (days <= 0) {
      throw new com.retrainconsole.common.UserException("--days must be at least 1 (got " + days + ")");
    }
  }

  /** The run record's {@code params} (docs/ARCHITECTURE.md §6); {@link #of} reads them back. */
  public Params toParams() {
    return new Params(days, until, trainer.id(), dryRun);
  }

  public Trigger toTrigger() {
    return new Trigger(triggerType, null, reason, actor);
  }

  /** The request a queued run stands for, from its params and trigger as {@link #toParams} wrote them. */
  public static RetrainRequest of(String deviceId, Params params, Trigger trigger) {
    Params p = params != null ? params : Params.none();
    Trigger t = trigger != null ? trigger : new Trigger(null, null, null, null);
    return new RetrainRequest(
        deviceId,
        p.days() == null ? DEFAULT_DAYS : p.days(),
        p.until(),
        p.trainer() == null ? TrainerKind.DEFAULT : TrainerKind.parse(p.trainer()),
        p.dryRun(),
        t.type() != null ? t.type() : "scheduled",
        t.reason(),
        t.actor() != null ? t.actor() : Trigger.SCHEDULER);
  }

  public static RetrainRequest manual(String deviceId, TrainerKind trainer, String actor) {
    return new RetrainRequest(deviceId, DEFAULT_DAYS, null, trainer, false, "manual", "requested by " + actor, actor);
  }
}

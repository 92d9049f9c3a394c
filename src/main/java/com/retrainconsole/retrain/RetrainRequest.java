package com.retrainconsole.retrain;

import com.retrainconsole.training.TrainerKind;
import java.time.Instant;
import java.util.Date;
import org.bson.Document;

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

  /** The run record's {@code params} (DESIGN.md §6); {@link #fromRun} reads them back. */
  public Document toParams() {
    return new Document("days", days)
        .append("until", until == null ? null : Date.from(until))
        .append("trainer", trainer.id())
        .append("dry_run", dryRun);
  }

  public Document toTrigger() {
    return new Document("type", triggerType).append("trigger_id", null).append("reason", reason)
        .append("actor", actor);
  }

  /** The request a queued run stands for: its device, params and trigger. */
  public static RetrainRequest fromRun(Document run) {
    Document params = run.get("params", Document.class);
    Document trigger = run.get("trigger", Document.class);
    if (params == null) {
      params = new Document();
    }
    if (trigger == null) {
      trigger = new Document();
    }
    Date until = params.getDate("until");
    String trainer = params.getString("trainer");
    return new RetrainRequest(
        run.getString("device_id"),
        params.get("days") instanceof Number n ? n.intValue() : DEFAULT_DAYS,
        until == null ? null : until.toInstant(),
        trainer == null ? TrainerKind.DEFAULT : TrainerKind.parse(trainer),
        Boolean.TRUE.equals(params.getBoolean("dry_run")),
        trigger.getString("type") != null ? trigger.getString("type") : "manual",
        trigger.getString("reason"),
        trigger.getString("actor") != null ? trigger.getString("actor") : "scheduler");
  }

  public static RetrainRequest manual(String deviceId, TrainerKind trainer, String actor) {
    return new RetrainRequest(deviceId, DEFAULT_DAYS, null, trainer, false, "manual", "requested by " + actor, actor);
  }
}

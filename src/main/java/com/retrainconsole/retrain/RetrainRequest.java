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

  /** The run record's {@code params} (docs/ARCHITECTURE.md §6); {@link #of} reads them back. */
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

  /** The request a queued run stands for, from its params and trigger as {@link #toParams} wrote them. */
  public static RetrainRequest of(String deviceId, Document params, Document trigger) {
    Document p = params != null ? params : new Document();
    Document t = trigger != null ? trigger : new Document();
    Number days = p.get("days", Number.class);
    Object until = p.get("until");
    String trainer = p.getString("trainer");
    return new RetrainRequest(
        deviceId,
        days == null ? DEFAULT_DAYS : days.intValue(),
        until instanceof Date d ? d.toInstant() : until instanceof String s ? Instant.parse(s) : null,
        trainer == null ? TrainerKind.DEFAULT : TrainerKind.parse(trainer),
        Boolean.TRUE.equals(p.getBoolean("dry_run")),
        t.getString("type") != null ? t.getString("type") : "scheduled",
        t.getString("reason"),
        t.getString("actor") != null ? t.getString("actor") : "scheduler");
  }

  public static RetrainRequest manual(String deviceId, TrainerKind trainer, String actor) {
    return new RetrainRequest(deviceId, DEFAULT_DAYS, null, trainer, false, "manual", "requested by " + actor, actor);
  }
}

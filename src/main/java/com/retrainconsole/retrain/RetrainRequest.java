package com.retrainconsole.retrain;

import com.retrainconsole.training.TrainerKind;
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

  public static RetrainRequest manual(String deviceId, TrainerKind trainer, String actor) {
    return new RetrainRequest(deviceId, DEFAULT_DAYS, null, trainer, false, "manual", "requested by " + actor, actor);
  }
}

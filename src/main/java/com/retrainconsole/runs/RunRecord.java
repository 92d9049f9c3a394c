package com.retrainconsole.runs;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.bson.Document;

/**
 * One run of {@code model_runs} as typed values (docs/ARCHITECTURE.md §6); {@link RunCodec} is the only
 * place that knows the stored field names. Every part a run gains on its way is null until it has it
 * (a pending run has no metrics; a projected read carries only what it asked for), so a document written
 * by an older version reads the same way.
 *
 * <p>{@code stored} is the document the record was read from, for the views that print a whole run (the
 * CLI's {@code --json}, the API): they print it as stored, so fields this version does not model pass
 * through unchanged. Nothing reads fields out of it.
 */
public record RunRecord(
    String runId,
    String deviceId,
    RunStatus status,
    Trigger trigger,
    Params params,
    String fireKey,
    Instant queuedAt,
    Instant dueAt,
    Instant startedAt,
    Instant finishedAt,
    int attempt,
    String retryOf,
    Progress progress,
    Data data,
    Metrics metrics,
    Metrics baselineMetrics,
    Metrics championMetrics,
    String championVersion,
    String championError,
    List<Double> maeByHour,
    Map<String, Object> trainerParams,
    List<String> warnings,
    Model model,
    Decision decision,
    List<String> retentionDeleted,
    String error,
    FailureKind failure,
    Long durationMs,
    Cancel cancel,
    Lease lease,
    Release release,
    Document stored) {

  /** Why the run exists: {@code type} manual, scheduled or a trigger type; {@code triggerId} for fired runs. */
  public record Trigger(String type, String triggerId, String reason, String actor) {
    /** The actor of runs a trigger fired. */
    public static final String SCHEDULER = "scheduler";

    public static Trigger manual(String reason, String actor) {
      return new Trigger("manual", null, reason, actor);
    }

    public boolean byScheduler() {
      return SCHEDULER.equals(actor);
    }
  }

  /** What to train: {@code days} up to {@code until} (null: the newest reading), trainer id, dry run. */
  public record Params(Integer days, Instant until, String trainer, boolean dryRun) {
    public static Params none() {
      return new Params(null, null, null, false);
    }
  }

  /** The stage a run is in and how far along, 0..1. */
  public record Progress(String stage, Double fraction) {}

  /** The telemetry window the run trained and tested on. */
  public record Data(Instant from, Instant to, Integer rows, Integer trainRows, Integer testRows) {}

  /** Holdout metrics; a value is null where it could not be computed (NaN is not stored). */
  public record Metrics(Double mae, Double rmse, Double r2, Integer n) {}

  /** The model version a run saved. */
  public record Model(String version, String file, String sha256) {}

  /** Whether the candidate went into service and why; {@code wouldPromote} only on dry runs. */
  public record Decision(Boolean promoted, Boolean wouldPromote, String reason) {
    public boolean isPromoted() {
      return Boolean.TRUE.equals(promoted);
    }
  }

  /** A cancel someone asked for (the run may have ended otherwise before it took effect). */
  public record Cancel(boolean requested, String by, Instant at) {}

  /**
   * Who holds the run while it runs and until when. Queued runs: the scheduler's claim ({@code token});
   * inline runs: the process that trains it ({@code process}, no token). A holder renews {@code until}
   * while it works; a lapsed lease means the holder is gone.
   */
  public record Lease(Long token, String owner, Instant until, OwnerProcess process) {}

  /** A running run a scheduler gave back to the queue (shutdown). */
  public record Release(Instant at, String reason) {}

  /** A queued run as it is first written: pending, due at {@code dueAt}. */
  static RunRecord pending(String runId, String deviceId, Trigger trigger, Params params, String fireKey,
      Instant queuedAt, Instant dueAt, int attempt, String retryOf) {
    return new RunRecord(runId, deviceId, RunStatus.PENDING, trigger, params, fireKey, queuedAt, dueAt, null, null,
        attempt, retryOf, new Progress("queued", 0.0), null, null, null, null, null, null, null, null, null, null,
        null, null, null, null, null, new Cancel(false, null, null), null, null, null);
  }

  /** An inline run as it is first written: running at once, held by this process's lease. */
  static RunRecord inline(String runId, String deviceId, Trigger trigger, Params params, Instant now, Lease lease) {
    return new RunRecord(runId, deviceId, RunStatus.RUNNING, trigger, params, null, now, null, now, null, 1, null,
        new Progress("start", 0.0), null, null, null, null, null, null, null, null, null, null, null, null, null,
        null, null, new Cancel(false, null, null), lease, null, null);
  }

  public boolean isFinal() {
    return status != null && status.isFinal();
  }

  /** Trained in the process that started it (the CLI's {@code train}, the console), not through the queue. */
  public boolean inline() {
    return lease != null && lease.token() == null && lease.process() != null;
  }

  /** Token of the scheduler claim that ran it, if it was claimed. */
  public Long token() {
    return lease == null ? null : lease.token();
  }

  public boolean promoted() {
    return decision != null && decision.isPromoted();
  }

  public String triggerType() {
    return trigger == null ? null : trigger.type();
  }

  public Double mae() {
    return metrics == null ? null : metrics.mae();
  }

  public Double championMae() {
    return championMetrics == null ? null : championMetrics.mae();
  }

  /**
   * Holdout MAE of the model in service at this run: the champion's score on the run's fresh data, or the
   * candidate's when there was no champion. Null when neither was scored.
   */
  public Double maeInService() {
    Metrics m = championMetrics != null ? championMetrics : metrics;
    return m == null || m.mae() == null || m.mae().isNaN() ? null : m.mae();
  }

  public boolean dryRun() {
    return params != null && params.dryRun();
  }

  public String modelVersion() {
    return model == null ? null : model.version();
  }
}

package com.retrainconsole.runs;

import com.retrainconsole.runs.RunRecord.Cancel;
import com.retrainconsole.runs.RunRecord.Data;
import com.retrainconsole.runs.RunRecord.Decision;
import com.retrainconsole.runs.RunRecord.Lease;
import com.retrainconsole.runs.RunRecord.Metrics;
import com.retrainconsole.runs.RunRecord.Model;
import com.retrainconsole.runs.RunRecord.Params;
import com.retrainconsole.runs.RunRecord.Progress;
import com.retrainconsole.runs.RunRecord.Release;
import com.retrainconsole.runs.RunRecord.Trigger;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;

/**
 * The stored shape of runs ({@code model_runs}) and queue items ({@code run_queue}): the one place that
 * names their fields (docs/ARCHITECTURE.md §6). Reads are lenient: a missing field, or one of another
 * type, reads as null, so documents from older versions and projections read alike. Writes produce
 * exactly the shape earlier versions wrote (the same fields, nulls where they wrote nulls), so scripts
 * and older consoles reading the same store see no change.
 */
public final class RunCodec {
  // ---- model_runs fields
  public static final String RUN_ID = "run_id";
  public static final String DEVICE_ID = "device_id";
  public static final String STATUS = "status";
  public static final String TRIGGER = "trigger";
  public static final String PARAMS = "params";
  public static final String FIRE_KEY = "fire_key";
  public static final String QUEUED_AT = "queued_at";
  public static final String DUE_AT = "due_at";
  public static final String STARTED_AT = "started_at";
  public static final String FINISHED_AT = "finished_at";
  public static final String ATTEMPT = "attempt";
  public static final String RETRY_OF = "retry_of";
  public static final String PROGRESS = "progress";
  public static final String DATA = "data";
  public static final String METRICS = "metrics";
  public static final String BASELINE_METRICS = "baseline_metrics";
  public static final String CHAMPION_METRICS = "champion_metrics";
  public static final String CHAMPION_VERSION = "champion_version";
  public static final String CHAMPION_ERROR = "champion_error";
  public static final String MAE_BY_HOUR = "mae_by_hour";
  public static final String TRAINER_PARAMS = "trainer_params";
  public static final String WARNINGS = "warnings";
  public static final String MODEL = "model";
  public static final String DECISION = "decision";
  public static final String RETENTION_DELETED = "retention_deleted";
  public static final String ERROR = "error";
  public static final String ERROR_KIND = "error_kind";
  public static final String DURATION_MS = "duration_ms";
  public static final String CANCEL_REQUESTED = "cancel_requested";
  public static final String CANCEL_REQUESTED_BY = "cancel_requested_by";
  public static final String CANCEL_REQUESTED_AT = "cancel_requested_at";
  public static final String TOKEN = "token";
  public static final String LEASE_OWNER = "lease_owner";
  public static final String LEASE_UNTIL = "lease_until";
  public static final String OWNER_PROCESS = "owner_process";
  public static final String RELEASED_AT = "released_at";
  public static final String RELEASE_REASON = "release_reason";

  // ---- run_queue fields besides the shared ones
  public static final String PHASE = "phase";
  public static final String RUNNING_DEVICE = "running_device";
  public static final String FINAL_STATUS = "final_status";
  public static final String RETRY_WANTED = "retry_wanted";
  public static final String RECOVER_FROM = "recover_from";
  public static final String LEASE_EXPIRED_AT = "lease_expired_at";

  // ---- dotted paths the history filters and sorts by
  public static final String TRIGGER_TYPE_PATH = "trigger.type";
  public static final String PROMOTED_PATH = "decision.promoted";
  public static final String MAE_PATH = "metrics.mae";
  public static final String CHAMPION_MAE_PATH = "champion_metrics.mae";

  private RunCodec() {}

  // ================================================================ reading

  /** A run record; null for null. */
  public static RunRecord read(Document d) {
    if (d == null) {
      return null;
    }
    Integer attempt = integer(d.get(ATTEMPT));
    return new RunRecord(
        string(d, RUN_ID),
        string(d, DEVICE_ID),
        status(string(d, STATUS)),
        trigger(sub(d, TRIGGER)),
        params(sub(d, PARAMS)),
        string(d, FIRE_KEY),
        instant(d.get(QUEUED_AT)),
        instant(d.get(DUE_AT)),
        instant(d.get(STARTED_AT)),
        instant(d.get(FINISHED_AT)),
        attempt == null ? 1 : attempt,
        string(d, RETRY_OF),
        progress(sub(d, PROGRESS)),
        data(sub(d, DATA)),
        metrics(sub(d, METRICS)),
        metrics(sub(d, BASELINE_METRICS)),
        metrics(sub(d, CHAMPION_METRICS)),
        string(d, CHAMPION_VERSION),
        string(d, CHAMPION_ERROR),
        doubles(d.get(MAE_BY_HOUR)),
        map(sub(d, TRAINER_PARAMS)),
        strings(d.get(WARNINGS)),
        model(sub(d, MODEL)),
        decision(sub(d, DECISION)),
        strings(d.get(RETENTION_DELETED)),
        string(d, ERROR),
        FailureKind.parse(string(d, ERROR_KIND)),
        longValue(d.get(DURATION_MS)),
        cancel(d),
        lease(d),
        release(d),
        d);
  }

  /** A queue item; null for null. */
  public static QueueItem readItem(Document d) {
    if (d == null) {
      return null;
    }
    Long token = longValue(d.get(TOKEN));
    Integer attempt = integer(d.get(ATTEMPT));
    return new QueueItem(
        string(d, RUN_ID),
        string(d, DEVICE_ID),
        status(string(d, STATUS)),
        QueuePhase.parse(string(d, PHASE)),
        token == null ? 0 : token,
        string(d, LEASE_OWNER),
        instant(d.get(LEASE_UNTIL)),
        instant(d.get(STARTED_AT)),
        instant(d.get(DUE_AT)),
        instant(d.get(QUEUED_AT)),
        attempt == null ? 1 : attempt,
        string(d, FIRE_KEY),
        string(d, CANCEL_REQUESTED_BY),
        status(string(d, FINAL_STATUS)),
        Boolean.TRUE.equals(d.get(RETRY_WANTED)),
        QueuePhase.parse(string(d, RECOVER_FROM)),
        instant(d.get(LEASE_EXPIRED_AT)));
  }

  private static RunStatus status(String s) {
    return s == null ? null : RunStatus.parse(s);
  }

  static Trigger trigger(Document t) {
    return t == null ? null
        : new Trigger(string(t, "type"), string(t, "trigger_id"), string(t, "reason"), string(t, "actor"));
  }

  static Params params(Document p) {
    return p == null ? null
        : new Params(integer(p.get("days")), instant(p.get("until")), string(p, "trainer"),
            Boolean.TRUE.equals(p.get("dry_run")));
  }

  private static Progress progress(Document p) {
    return p == null ? null : new Progress(string(p, "stage"), doubleValue(p.get("fraction")));
  }

  private static Data data(Document d) {
    return d == null ? null
        : new Data(instant(d.get("from")), instant(d.get("to")), integer(d.get("rows")), integer(d.get("train_rows")),
            integer(d.get("test_rows")));
  }

  private static Metrics metrics(Document m) {
    return m == null ? null
        : new Metrics(doubleValue(m.get("mae")), doubleValue(m.get("rmse")), doubleValue(m.get("r2")),
            integer(m.get("n")));
  }

  private static Model model(Document m) {
    return m == null ? null : new Model(string(m, "version"), string(m, "file"), string(m, "sha256"));
  }

  private static Decision decision(Document d) {
    return d == null ? null
        : new Decision(d.get("promoted") instanceof Boolean b ? b : null,
            d.get("would_promote") instanceof Boolean b ? b : null, string(d, "reason"));
  }

  private static Cancel cancel(Document d) {
    Object requested = d.get(CANCEL_REQUESTED);
    String by = string(d, CANCEL_REQUESTED_BY);
    Instant at = instant(d.get(CANCEL_REQUESTED_AT));
    if (requested == null && by == null && at == null) {
      return null;
    }
    return new Cancel(Boolean.TRUE.equals(requested), by, at);
  }

  private static Lease lease(Document d) {
    Long token = longValue(d.get(TOKEN));
    String owner = string(d, LEASE_OWNER);
    Instant until = instant(d.get(LEASE_UNTIL));
    OwnerProcess process = ownerProcess(sub(d, OWNER_PROCESS));
    if (token == null && owner == null && until == null && process == null) {
      return null;
    }
    return new Lease(token, owner, until, process);
  }

  private static OwnerProcess ownerProcess(Document p) {
    if (p == null || string(p, "host") == null || longValue(p.get("pid")) == null) {
      return null;
    }
    return new OwnerProcess(string(p, "host"), longValue(p.get("pid")), instant(p.get("started_at")));
  }

  private static Release release(Document d) {
    Instant at = instant(d.get(RELEASED_AT));
    String reason = string(d, RELEASE_REASON);
    return at == null && reason == null ? null : new Release(at, reason);
  }

  // ================================================================ writing

  /**
   * A new run record for insert: pending (queued) or running (inline), in the field order earlier
   * versions wrote. {@code retry_of} is always written (null for a first attempt); {@code fire_key} only
   * when set, because its unique index is sparse.
   */
  public static Document insert(RunRecord r) {
    Document d = new Document(RUN_ID, r.runId())
        .append(DEVICE_ID, r.deviceId())
        .append(STATUS, r.status().wire())
        .append(TRIGGER, trigger(r.trigger()))
        .append(QUEUED_AT, date(r.queuedAt()));
    putIf(d, DUE_AT, date(r.dueAt()));
    putIf(d, STARTED_AT, date(r.startedAt()));
    d.append(ATTEMPT, r.attempt())
        .append(RETRY_OF, r.retryOf())
        .append(PARAMS, params(r.params()))
        .append(PROGRESS, progress(r.progress()))
        .append(CANCEL_REQUESTED, r.cancel() != null && r.cancel().requested());
    putIf(d, FIRE_KEY, r.fireKey());
    if (r.lease() != null) {
      d.append(LEASE_OWNER, r.lease().owner()).append(LEASE_UNTIL, date(r.lease().until()));
      putIf(d, OWNER_PROCESS, ownerProcess(r.lease().process()));
    }
    return d;
  }

  /** {@code {type, trigger_id, reason, actor}}; trigger_id is written even when null. */
  public static Document trigger(Trigger t) {
    if (t == null) {
      return null;
    }
    return new Document("type", t.type()).append("trigger_id", t.triggerId()).append("reason", t.reason())
        .append("actor", t.actor());
  }

  /** {@code {days, until, trainer, dry_run}}; until is written even when null (the newest reading). */
  public static Document params(Params p) {
    if (p == null) {
      return null;
    }
    return new Document("days", p.days()).append("until", date(p.until())).append("trainer", p.trainer())
        .append("dry_run", p.dryRun());
  }

  public static Document progress(Progress p) {
    return p == null ? null : progress(p.stage(), p.fraction() == null ? 0.0 : p.fraction());
  }

  public static Document progress(String stage, double fraction) {
    return new Document("stage", stage).append("fraction", fraction);
  }

  public static Document data(Data d) {
    if (d == null) {
      return null;
    }
    return new Document("from", date(d.from())).append("to", date(d.to())).append("rows", d.rows())
        .append("train_rows", d.trainRows()).append("test_rows", d.testRows());
  }

  /** {@code {mae, rmse, r2, n}}; a value that could not be computed is stored as null. */
  public static Document metrics(Metrics m) {
    if (m == null) {
      return null;
    }
    return new Document("mae", m.mae()).append("rmse", m.rmse()).append("r2", m.r2()).append("n", m.n());
  }

  public static Document model(Model m) {
    if (m == null) {
      return null;
    }
    return new Document("version", m.version()).append("file", m.file()).append("sha256", m.sha256());
  }

  /** {@code {promoted, reason}}, with would_promote between them on dry runs. */
  public static Document decision(Decision d) {
    if (d == null) {
      return null;
    }
    Document out = new Document("promoted", d.promoted());
    putIf(out, "would_promote", d.wouldPromote());
    return out.append("reason", d.reason());
  }

  static Document ownerProcess(OwnerProcess p) {
    if (p == null) {
      return null;
    }
    return new Document("host", p.host()).append("pid", p.pid()).append("started_at", date(p.startedAt()));
  }

  /** The evaluation's fields for a {@code $set}; every one is written, null or not. */
  public static Document result(RunResult r) {
    return new Document(DATA, data(r.data()))
        .append(METRICS, metrics(r.metrics()))
        .append(MAE_BY_HOUR, r.maeByHour())
        .append(BASELINE_METRICS, metrics(r.baselineMetrics()))
        .append(CHAMPION_METRICS, metrics(r.championMetrics()))
        .append(CHAMPION_VERSION, r.championVersion())
        .append(CHAMPION_ERROR, r.championError())
        .append(TRAINER_PARAMS, r.trainerParams() == null ? null : new Document(r.trainerParams()))
        .append(WARNINGS, r.warnings());
  }

  /**
   * The closing fields of a run for a {@code $set} (its status, finish time and progress come from
   * {@link #closing}). A run with a result always names its model, null when it saved none.
   */
  public static Document end(RunEnd e) {
    Document d = e.result() != null ? result(e.result()) : new Document();
    if (e.result() != null || e.model() != null) {
      d.append(MODEL, model(e.model()));
    }
    putIf(d, DECISION, decision(e.decision()));
    putIf(d, RETENTION_DELETED, e.retentionDeleted());
    putIf(d, ERROR, e.error());
    putIf(d, ERROR_KIND, e.failure() == null ? null : e.failure().wire());
    putIf(d, DURATION_MS, e.durationMs());
    return d;
  }

  /** What every final write adds: the status, when, and progress at 100 % under the status's name. */
  public static Document closing(Document fields, RunStatus status, Instant finishedAt) {
    return new Document(fields)
        .append(STATUS, status.wire())
        .append(FINISHED_AT, date(finishedAt))
        .append(PROGRESS, progress(status.wire(), 1.0));
  }

  /** A pending queue item for {@code run}, in the order earlier versions wrote it. */
  public static Document queueItem(String runId, String deviceId, Instant dueAt, Instant queuedAt, int attempt,
      String fireKey) {
    Document item = new Document(RUN_ID, runId)
        .append(DEVICE_ID, deviceId)
        .append(STATUS, RunStatus.PENDING.wire())
        .append(DUE_AT, date(dueAt))
        .append(QUEUED_AT, date(queuedAt))
        .append(ATTEMPT, attempt)
        .append(TOKEN, 0L)
        .append(CANCEL_REQUESTED, false);
    putIf(item, FIRE_KEY, fireKey); // absent, not null, when unset: the unique index is sparse
    return item;
  }

  // ================================================================ values

  public static Date date(Instant i) {
    return i == null ? null : Date.from(i);
  }

  private static Document sub(Document d, String key) {
    return d.get(key) instanceof Document s ? s : null;
  }

  private static String string(Document d, String key) {
    return d.get(key) instanceof String s ? s : null;
  }

  /** A stored time: a BSON date, or an ISO-8601 string as scripts sometimes write it. */
  static Instant instant(Object v) {
    if (v instanceof Date d) {
      return d.toInstant();
    }
    if (v instanceof String s) {
      try {
        return Instant.parse(s);
      } catch (DateTimeParseException e) {
        return null;
      }
    }
    return null;
  }

  private static Integer integer(Object v) {
    return v instanceof Number n ? n.intValue() : null;
  }

  private static Long longValue(Object v) {
    return v instanceof Number n ? n.longValue() : null;
  }

  private static Double doubleValue(Object v) {
    return v instanceof Number n ? n.doubleValue() : null;
  }

  private static List<Double> doubles(Object v) {
    if (!(v instanceof List<?> l)) {
      return null;
    }
    List<Double> out = new ArrayList<>(l.size());
    for (Object o : l) {
      out.add(o instanceof Number n ? n.doubleValue() : null);
    }
    return java.util.Collections.unmodifiableList(out);
  }

  private static List<String> strings(Object v) {
    if (!(v instanceof List<?> l)) {
      return null;
    }
    List<String> out = new ArrayList<>(l.size());
    for (Object o : l) {
      out.add(o == null ? null : o.toString());
    }
    return java.util.Collections.unmodifiableList(out);
  }

  private static Map<String, Object> map(Document d) {
    return d == null ? null : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(d));
  }

  private static void putIf(Document d, String key, Object v) {
    if (v != null) {
      d.append(key, v);
    }
  }
}

package com.retrainconsole.runs;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import com.retrainconsole.common.UserException;
import com.retrainconsole.runs.RunRecord.Data;
import com.retrainconsole.runs.RunRecord.Lease;
import com.retrainconsole.runs.RunRecord.Params;
import com.retrainconsole.runs.RunRecord.Trigger;
import com.retrainconsole.store.Collections;
import com.retrainconsole.store.Store;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * The full run history in {@code model_runs} (field names are a contract: docs/ARCHITECTURE.md §6). A run record is
 * written when the run starts and updated at each state change, through {@link RunCodec}. Typed reads
 * ({@link #findRecord}, {@link #listRecords}) close an inline run whose process is gone before returning it;
 * {@link #find} and {@link #list} return the stored documents as they are.
 */
public final class RunRepository {
  private final MongoCollection<Document> runs;
  private final Clock clock;
  private final InlineLease.Policy inlinePolicy;
  private final InlineLeases inline;

  public RunRepository(Store store, Clock clock) {
    this(store, clock, InlineLease.Policy.defaults());
  }

  public RunRepository(Store store, Clock clock, InlineLease.Policy inlinePolicy) {
    this.runs = store.collection(Collections.MODEL_RUNS);
    this.clock = clock;
    this.inlinePolicy = inlinePolicy;
    this.inline = new InlineLeases(runs, clock);
  }

  /**
   * Inserts a new inline run (trained by this process, not queued): running at once, under a lease held by
   * this process (host, pid) for {@link InlineLease.Policy#lease}. The caller renews it with {@link #hold}
   * while it trains; if the process dies, readers close the run as failed (process lost).
   */
  public RunRecord startInline(String deviceId, Trigger trigger, Params params) {
    Instant now = clock.instant();
    Lease lease = new Lease(null, InlineLease.newOwnerId(), now.plus(inlinePolicy.lease()), OwnerProcess.current());
    Document doc = RunCodec.insert(RunRecord.inline(RunIds.newId(now), deviceId, trigger, params, now, lease));
    runs.insertOne(doc);
    return RunCodec.read(doc);
  }

  /** {@link #startInline(String, Trigger, Params)} with trigger and params as stored documents. */
  public Document startInline(String deviceId, Document trigger, Document params) {
    return startInline(deviceId, RunCodec.trigger(trigger), RunCodec.params(params)).stored();
  }

  /**
   * Renews the lease of an inline run this process started until the returned lease is closed; {@code onStop}
   * is called once if a cancel is requested on the run or the run stops being this process's.
   */
  public InlineLease hold(RunRecord run, Runnable onStop) {
    return InlineLease.start(runs, run, inlinePolicy, clock, onStop);
  }

  public void progress(String runId, String stage, double fraction) {
    runs.updateOne(new Document(RunCodec.RUN_ID, runId), Updates.set(RunCodec.PROGRESS,
        RunCodec.progress(stage, fraction)));
  }

  /** Records the data window while the run is still going. */
  public void recordData(String runId, Data data) {
    runs.updateOne(new Document(RunCodec.RUN_ID, runId), Updates.set(RunCodec.DATA, RunCodec.data(data)));
  }

  /** Records the data-quality warnings while the run is still going. */
  public void recordWarnings(String runId, List<String> warnings) {
    runs.updateOne(new Document(RunCodec.RUN_ID, runId), Updates.set(RunCodec.WARNINGS, warnings));
  }

  /** Moves the run to a final state with its closing fields; a run already final is left untouched. */
  public boolean finish(String runId, RunStatus status, RunEnd end) {
    return finish(runId, status, RunCodec.end(end));
  }

  /** {@link #finish(String, RunStatus, RunEnd)} with the closing fields as a stored document. */
  public boolean finish(String runId, RunStatus status, Document fields) {
    if (!status.isFinal()) {
      throw new IllegalArgumentException("not a final status: " + status);
    }
    return runs.updateOne(
                Filters.and(Filters.eq(RunCodec.RUN_ID, runId),
                    Filters.in(RunCodec.STATUS, RunStatus.PENDING.wire(), RunStatus.RUNNING.wire())),
                new Document("$set", RunCodec.closing(fields, status, clock.instant())))
            .getModifiedCount() == 1;
  }

  /**
   * Deletes the history record of a finished run; false when the run is unknown or not final (the status is
   * part of the filter, so a run that started between a check and this call is never deleted). Only the
   * record goes: its model versions, alerts and webhook events stay, and runs that retried it keep their
   * {@code retry_of} link as a plain id.
   */
  public boolean deleteFinished(String runId) {
    List<String> finals = new ArrayList<>();
    for (RunStatus st : RunStatus.values()) {
      if (st.isFinal()) {
        finals.add(st.wire());
      }
    }
    return runs.deleteOne(Filters.and(Filters.eq(RunCodec.RUN_ID, runId), Filters.in(RunCodec.STATUS, finals)))
        .getDeletedCount() == 1;
  }

  /** The stored document of a run, as is (no inline lease is judged). */
  public Optional<Document> find(String runId) {
    return Optional.ofNullable(runs.find(new Document(RunCodec.RUN_ID, runId)).first());
  }

  public Document require(String runId) {
    return find(runId).orElseThrow(() -> unknown(runId));
  }

  /**
   * A run; an inline run whose process is gone is closed as failed (process lost) first, so no reader
   * shows a dead run as running.
   */
  public Optional<RunRecord> findRecord(String runId) {
    return find(runId).map(RunCodec::read).map(inline::settle);
  }

  /** {@link #findRecord} for many runs in one query, by run id (runs not stored are absent). */
  public java.util.Map<String, RunRecord> findRecords(java.util.Collection<String> runIds) {
    java.util.Map<String, RunRecord> out = new java.util.HashMap<>();
    if (runIds.isEmpty()) {
      return out;
    }
    for (Document d : runs.find(Filters.in(RunCodec.RUN_ID, runIds))) {
      RunRecord r = inline.settle(RunCodec.read(d));
      out.put(r.runId(), r);
    }
    return out;
  }

  /** {@link #findRecord}, or a UserException naming the run and how to list them. */
  public RunRecord requireRecord(String runId) {
    return findRecord(runId).orElseThrow(() -> unknown(runId));
  }

  private static UserException unknown(String runId) {
    return new UserException("Unknown run '" + runId + "'. List runs with: runs --limit 20");
  }

  /** Newest first, optionally filtered by device and status. */
  public List<Document> list(String deviceId, RunStatus status, int limit) {
    return list(deviceId, status, null, limit);
  }

  /** {@link #list(String, RunStatus, int)} within {@code devicesIn} (the caller's devices; null: all). */
  public List<Document> list(String deviceId, RunStatus status, java.util.Set<String> devicesIn, int limit) {
    List<Bson> filters = new ArrayList<>();
    if (devicesIn != null) {
      filters.add(Filters.in(RunCodec.DEVICE_ID, devicesIn));
    }
    if (deviceId != null) {
      filters.add(Filters.eq(RunCodec.DEVICE_ID, deviceId));
    }
    if (status != null) {
      filters.add(Filters.eq(RunCodec.STATUS, status.wire()));
    }
    Bson filter = filters.isEmpty() ? new Document() : Filters.and(filters);
    return runs.find(filter).sort(Sorts.descending(RunCodec.QUEUED_AT)).limit(limit).into(new ArrayList<>());
  }

  /**
   * {@link #list} as records, with inline runs whose process is gone closed first (see {@link #findRecord});
   * a run closed that way no longer matches a {@code running} filter and is left out.
   */
  public List<RunRecord> listRecords(String deviceId, RunStatus status, int limit) {
    return listRecords(deviceId, status, null, limit);
  }

  /** {@link #listRecords(String, RunStatus, int)} within {@code devicesIn} (the caller's devices; null: all). */
  public List<RunRecord> listRecords(String deviceId, RunStatus status, java.util.Set<String> devicesIn, int limit) {
    List<RunRecord> out = new ArrayList<>();
    for (Document d : list(deviceId, status, devicesIn, limit)) {
      RunRecord r = inline.settle(RunCodec.read(d));
      if (status == null || r.status() == status) {
        out.add(r);
      }
    }
    return out;
  }

  // ---- the console's run history: filtered, sorted and paged by the store

  /** The fields the history table shows; pages carry only these (a full run record is ~2 KB). */
  public static final Bson TABLE_FIELDS = Projections.fields(Projections.excludeId(), Projections.include(
      "run_id", "device_id", "status", "trigger.type", "trigger.reason", "queued_at", "started_at",
      "finished_at", "duration_ms", "attempt", "retry_of", "progress", "metrics.mae", "metrics.rmse", "metrics.r2",
      "champion_metrics.mae", "decision.promoted", "model.version", "error", "params.dry_run"));

  /**
   * One page of runs in {@code sort} order, table fields only: sort + skip + limit in one query.
   *
   * <p>decision: the embedded server has no secondary indexes, so every shape scans and sorts the matching
   * runs (RunsViewBench, 100k runs in memory: ~1 s by queued_at, seconds by a number such as MAE). Reverse
   * insertion order ({@code $natural: -1}, ~60 ms) was tried for the default order and dropped: runs
   * inserted out of queue order (imports, generated history, a second scheduler's clock) came out in the
   * wrong place, and RunsView100kTest caught it. A range on queued_at needs the page start first: one more
   * scan. A real MongoDB uses its device_id + queued_at index.
   */
  public List<RunRecord> page(RunFilter filter, RunSort sort, int offset, int limit) {
    List<RunRecord> rows = new ArrayList<>();
    runs.find(filter.toBson()).projection(TABLE_FIELDS).sort(sort.toBson()).skip(Math.max(0, offset)).limit(limit)
        .forEach(d -> rows.add(RunCodec.read(d)));
    return rows;
  }

  /** How many runs match. */
  public long count(RunFilter filter) {
    // decision: the collection's count for no filter (metadata on a real server, no scan); else a scan
    return filter.isAll() ? runs.estimatedDocumentCount() : runs.countDocuments(filter.toBson());
  }

  /** A page with the total it belongs to; {@code offset} is clamped to the last page. */
  public RunPage query(RunFilter filter, RunSort sort, int offset, int limit) {
    long total = count(filter);
    int lastStart = total == 0 ? 0 : (int) ((total - 1) / limit) * limit;
    int start = Math.max(0, Math.min(offset, lastStart));
    return new RunPage(page(filter, sort, start, limit), start, total);
  }

  /** Streams every matching full run record in {@code sort} order (CSV export); stops when asked to. */
  public long forEach(RunFilter filter, RunSort sort, java.util.function.Predicate<RunRecord> action) {
    long n = 0;
    try (var cursor = runs.find(filter.toBson()).sort(sort.toBson()).batchSize(1000).cursor()) {
      while (cursor.hasNext()) {
        n++;
        if (!action.test(RunCodec.read(cursor.next()))) {
          break;
        }
      }
    }
    return n;
  }

  /** Ids of the runs that retried {@code runId}, oldest first. */
  public List<String> retriesOf(String runId) {
    List<String> ids = new ArrayList<>();
    runs.find(Filters.eq(RunCodec.RETRY_OF, runId)).projection(Projections.include(RunCodec.RUN_ID))
        .sort(Sorts.ascending(RunCodec.QUEUED_AT)).forEach(d -> ids.add(RunCodec.read(d).runId()));
    return ids;
  }
}

package com.retrainconsole.runs;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import com.retrainconsole.common.UserException;
import com.retrainconsole.store.Collections;
import com.retrainconsole.store.Store;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * The full run history in {@code model_runs} (field names are a contract: docs/ARCHITECTURE.md §6). A run record is
 * written when the run starts and updated at each state change; documents stay plain BSON so the console,
 * scripts and later schema additions read them without a mapping layer.
 */
public final class RunRepository {
  private final MongoCollection<Document> runs;
  private final Clock clock;

  public RunRepository(Store store, Clock clock) {
    this.runs = store.collection(Collections.MODEL_RUNS);
    this.clock = clock;
  }

  /** Inserts a new run in state running (inline runs) and returns its document. */
  public Document startInline(String deviceId, Document trigger, Document params) {
    Date now = Date.from(clock.instant());
    Document run =
        new Document("run_id", RunIds.newId(clock.instant()))
            .append("device_id", deviceId)
            .append("status", RunStatus.RUNNING.wire())
            .append("trigger", trigger)
            .append("queued_at", now)
            .append("started_at", now)
            .append("attempt", 1)
            .append("retry_of", null)
            .append("params", params)
            .append("progress", new Document("stage", "start").append("fraction", 0.0))
            .append("cancel_requested", false);
    runs.insertOne(run);
    return run;
  }

  public void progress(String runId, String stage, double fraction) {
    runs.updateOne(
        new Document("run_id", runId),
        Updates.set("progress", new Document("stage", stage).append("fraction", fraction)));
  }

  /** Sets fields while the run is still going (data window, metrics as they become known). */
  public void update(String runId, Document fields) {
    runs.updateOne(new Document("run_id", runId), new Document("$set", fields));
  }

  /** Moves the run to a final state with its closing fields; a run already final is left untouched. */
  public boolean finish(String runId, RunStatus status, Document fields) {
    if (!status.isFinal()) {
      throw new IllegalArgumentException("not a final status: " + status);
    }
    Document set = new Document(fields)
        .append("status", status.wire())
        .append("finished_at", Date.from(clock.instant()))
        .append("progress", new Document("stage", status.wire()).append("fraction", 1.0));
    return runs.updateOne(
                Filters.and(Filters.eq("run_id", runId),
                    Filters.in("status", RunStatus.PENDING.wire(), RunStatus.RUNNING.wire())),
                new Document("$set", set))
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
    return runs.deleteOne(Filters.and(Filters.eq("run_id", runId), Filters.in("status", finals)))
        .getDeletedCount() == 1;
  }

  public Optional<Document> find(String runId) {
    return Optional.ofNullable(runs.find(new Document("run_id", runId)).first());
  }

  public Document require(String runId) {
    return find(runId).orElseThrow(() -> new UserException(
        "Unknown run '" + runId + "'. List runs with: runs --limit 20"));
  }

  /** Newest first, optionally filtered by device and status. */
  public List<Document> list(String deviceId, RunStatus status, int limit) {
    return list(deviceId, status, null, limit);
  }

  /** {@link #list(String, RunStatus, int)} within {@code devicesIn} (the caller's devices; null: all). */
  public List<Document> list(String deviceId, RunStatus status, java.util.Set<String> devicesIn, int limit) {
    List<Bson> filters = new ArrayList<>();
    if (devicesIn != null) {
      filters.add(Filters.in("device_id", devicesIn));
    }
    if (deviceId != null) {
      filters.add(Filters.eq("device_id", deviceId));
    }
    if (status != null) {
      filters.add(Filters.eq("status", status.wire()));
    }
    Bson filter = filters.isEmpty() ? new Document() : Filters.and(filters);
    return runs.find(filter).sort(Sorts.descending("queued_at")).limit(limit).into(new ArrayList<>());
  }

  // ---- the console's run history: filtered, sorted and paged by the store

  /** The fields the history table shows; pages carry only these (a full run record is ~2 KB). */
  public static final Bson TABLE_FIELDS = Projections.fields(Projections.excludeId(), Projections.include(
      "run_id", "device_id", "status", "trigger.type", "trigger.reason", "queued_at", "started_at",
      "finished_at", "duration_ms", "attempt", "retry_of", "progress", "metrics.mae", "champion_metrics.mae",
      "decision.promoted", "model.version", "error"));

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
  public List<Document> page(RunFilter filter, RunSort sort, int offset, int limit) {
    return runs.find(filter.toBson()).projection(TABLE_FIELDS).sort(sort.toBson())
        .skip(Math.max(0, offset)).limit(limit).into(new ArrayList<>());
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
  public long forEach(RunFilter filter, RunSort sort, java.util.function.Predicate<Document> action) {
    long n = 0;
    try (var cursor = runs.find(filter.toBson()).sort(sort.toBson()).batchSize(1000).cursor()) {
      while (cursor.hasNext()) {
        n++;
        if (!action.test(cursor.next())) {
          break;
        }
      }
    }
    return n;
  }

  /** Ids of the runs that retried {@code runId}, oldest first. */
  public List<String> retriesOf(String runId) {
    List<String> ids = new ArrayList<>();
    runs.find(Filters.eq("retry_of", runId)).projection(Projections.include("run_id"))
        .sort(Sorts.ascending("queued_at")).forEach(d -> ids.add(d.getString("run_id")));
    return ids;
  }
}

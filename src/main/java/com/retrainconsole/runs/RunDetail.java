package com.retrainconsole.runs;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import com.retrainconsole.store.Collections;
import com.retrainconsole.store.Store;
import java.util.List;
import java.util.Optional;
import org.bson.Document;

/**
 * Everything the console's detail pane shows for one run: the full run record, the trigger evaluation that
 * fired it (null for manual runs or when the event was pruned) and the runs that retried it.
 */
public record RunDetail(RunRecord run, Document triggerEvent, List<String> retries) {

  /** Reads a run and its context; empty when the run does not exist. Blocking: never on the FX thread. */
  public static Optional<RunDetail> load(Store store, RunRepository runs, String runId) {
    Optional<RunRecord> run = runs.findRecord(runId);
    if (run.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new RunDetail(run.get(), triggerEvent(store, run.get()), runs.retriesOf(runId)));
  }

  /**
   * The fired evaluation behind a trigger-fired run: by its run_id (written on fired events), else the
   * trigger's newest fired event at or before the run was queued (a crash can leave the event without it).
   */
  static Document triggerEvent(Store store, RunRecord run) {
    String triggerId = run.trigger() == null ? null : run.trigger().triggerId();
    if (triggerId == null) {
      return null;
    }
    var events = store.collection(Collections.TRIGGER_EVENTS);
    Document byRun = events.find(Filters.eq("run_id", run.runId())).first();
    if (byRun != null || run.queuedAt() == null) {
      return byRun;
    }
    return events.find(Filters.and(Filters.eq("trigger_id", triggerId), Filters.eq("fired", true),
        Filters.lte("at", RunCodec.date(run.queuedAt())))).sort(Sorts.descending("at")).first();
  }
}

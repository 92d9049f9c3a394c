package com.retrainconsole.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.retrainconsole.runs.RunRecord.Decision;
import com.retrainconsole.runs.RunRecord.Metrics;
import com.retrainconsole.runs.RunRecord.Model;
import com.retrainconsole.runs.RunRecord.Params;
import com.retrainconsole.runs.RunRecord.Trigger;
import com.retrainconsole.store.Collections;
import com.retrainconsole.store.Store;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * The stored shape of runs read and written by {@link RunCodec}: documents written before the typed core
 * (and before newer fields existed) read as they did, and what the codec writes is field for field what the
 * earlier code wrote. The documents go through the real embedded server, so BSON types are as stored.
 */
class RunCodecTest {
  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  /** A completed inline run exactly as the earlier RetrainService and RunRepository wrote it. */
  static Document oldCompletedRun() {
    return new Document("run_id", "run-20260301T100000Z-abc123")
        .append("device_id", "tracker01")
        .append("status", "completed")
        .append("trigger", new Document("type", "manual").append("trigger_id", null).append("reason", "train command")
            .append("actor", "ada"))
        .append("queued_at", Date.from(T0))
        .append("started_at", Date.from(T0))
        .append("attempt", 1)
        .append("retry_of", null)
        .append("params", new Document("days", 30).append("until", null).append("trainer", "xgboost")
            .append("dry_run", false))
        .append("progress", new Document("stage", "completed").append("fraction", 1.0))
        .append("cancel_requested", false)
        .append("data", new Document("from", Date.from(T0.minusSeconds(86_400))).append("to", Date.from(T0))
            .append("rows", 8000).append("train_rows", 6400).append("test_rows", 1600))
        .append("metrics", new Document("mae", 41.5).append("rmse", 60.25).append("r2", 0.93).append("n", 1600))
        .append("mae_by_hour", List.of(1.0, 2.5))
        .append("baseline_metrics", new Document("mae", 90.0).append("rmse", 120.0).append("r2", null).append("n", 1500))
        .append("champion_metrics", null)
        .append("champion_version", null)
        .append("champion_error", null)
        .append("trainer_params", new Document("kind", "xgboost").append("rounds", 200))
        .append("warnings", List.of("module_temp_c frozen for 3 h"))
        .append("model", new Document("version", "v20260301T100000Z").append("file", "/m/v.tribuo")
            .append("sha256", "ab12"))
        .append("decision", new Document("promoted", true).append("reason", "first model beats the baseline"))
        .append("retention_deleted", List.of())
        .append("duration_ms", 5123L)
        .append("finished_at", Date.from(T0.plusSeconds(6)));
  }

  private static Document roundTrip(Document d) {
    try (Store store = Store.openInMemory()) {
      var runs = store.collection(Collections.MODEL_RUNS);
      runs.insertOne(d);
      return runs.find(new Document("run_id", d.getString("run_id"))).first();
    }
  }

  @Test
  void a_run_written_before_the_typed_core_reads_with_every_value() {
    RunRecord r = RunCodec.read(roundTrip(oldCompletedRun()));
    assertEquals("tracker01", r.deviceId());
    assertEquals(RunStatus.COMPLETED, r.status());
    assertEquals(new Trigger("manual", null, "train command", "ada"), r.trigger());
    assertEquals(new Params(30, null, "xgboost", false), r.params());
    assertEquals(T0, r.queuedAt());
    assertEquals(1, r.attempt());
    assertEquals(6400, r.data().trainRows());
    assertEquals(new Metrics(41.5, 60.25, 0.93, 1600), r.metrics());
    assertNull(r.baselineMetrics().r2(), "a metric stored as null (NaN) stays unknown");
    assertNull(r.championMetrics());
    assertEquals(41.5, r.maeInService(), "no champion: the candidate's MAE is what serves");
    assertEquals(List.of(1.0, 2.5), r.maeByHour());
    assertEquals(200, r.trainerParams().get("rounds"));
    assertEquals(new Model("v20260301T100000Z", "/m/v.tribuo", "ab12"), r.model());
    assertTrue(r.promoted());
    assertEquals(5123L, r.durationMs());
    assertNull(r.failure(), "runs from before failure kinds have none");
    assertNull(r.lease(), "an inline run from before leases has none");
    assertFalse(r.inline());
  }

  @Test
  void an_older_and_thinner_document_reads_without_the_fields_it_never_had() {
    // as a first version and a hand-written script left them: no attempt, no retry_of, no progress, a bare
    // trigger, until as an ISO string, numbers as doubles, a failure as plain text
    Document old = new Document("run_id", "run-old").append("device_id", "d1").append("status", "failed")
        .append("trigger", new Document("type", "cron"))
        .append("queued_at", Date.from(T0))
        .append("params", new Document("days", 14.0).append("until", "2026-02-01T00:00:00Z"))
        .append("error", "Data-quality gate failed: 42% NaN")
        .append("duration_ms", 12);
    RunRecord r = RunCodec.read(roundTrip(old));
    assertEquals(RunStatus.FAILED, r.status());
    assertEquals(1, r.attempt(), "a run without an attempt was the first");
    assertNull(r.retryOf());
    assertNull(r.progress());
    assertEquals(new Trigger("cron", null, null, null), r.trigger());
    assertEquals(new Params(14, Instant.parse("2026-02-01T00:00:00Z"), null, false), r.params());
    assertEquals(12L, r.durationMs());
    assertEquals("Data-quality gate failed: 42% NaN", r.error());
    assertNull(r.failure());
    assertNull(r.metrics());
    assertNull(r.decision());
    assertFalse(r.promoted());
    assertNull(r.cancel());
  }

  @Test
  void a_projection_reads_only_what_it_carries() {
    Document projected = new Document("run_id", "r1").append("status", "running")
        .append("metrics", new Document("mae", 3));
    RunRecord r = RunCodec.read(projected);
    assertEquals(RunStatus.RUNNING, r.status());
    assertEquals(3.0, r.mae());
    assertNull(r.deviceId());
    assertNull(r.championMae());
  }

  @Test
  void a_new_pending_run_is_written_field_for_field_as_before() {
    Instant due = T0.plusSeconds(300);
    Document written = RunCodec.insert(RunRecord.pending("run-x", "d1",
        new Trigger("cron", "trg-1", "slot due", "scheduler"), new Params(30, null, "xgboost", false),
        "trg-1:2026-03-01T10:00:00Z", T0, due, 2, "run-w"));
    // what RunQueue.enqueueAll built before the codec existed
    Document before = new Document("run_id", "run-x")
        .append("device_id", "d1")
        .append("status", "pending")
        .append("trigger", new Document("type", "cron").append("trigger_id", "trg-1").append("reason", "slot due")
            .append("actor", "scheduler"))
        .append("queued_at", Date.from(T0))
        .append("due_at", Date.from(due))
        .append("attempt", 2)
        .append("retry_of", "run-w")
        .append("params", new Document("days", 30).append("until", null).append("trainer", "xgboost")
            .append("dry_run", false))
        .append("progress", new Document("stage", "queued").append("fraction", 0.0))
        .append("cancel_requested", false)
        .append("fire_key", "trg-1:2026-03-01T10:00:00Z");
    assertEquals(new ArrayList<>(before.keySet()), new ArrayList<>(written.keySet()), "same fields, same order");
    assertEquals(before, written);
  }

  @Test
  void a_completed_result_is_written_as_the_pipeline_wrote_it_and_reads_back_the_same() {
    Document old = oldCompletedRun();
    RunRecord r = RunCodec.read(old);
    RunEnd end = RunEnd.completed(new RunResult(r.data(), r.metrics(), r.maeByHour(), r.baselineMetrics(),
        r.championMetrics(), r.championVersion(), r.championError(), r.trainerParams(), r.warnings()),
        r.model(), r.decision(), r.retentionDeleted()).withDuration(r.durationMs());
    Document fields = RunCodec.end(end);
    List<String> keys = List.of("data", "metrics", "mae_by_hour", "baseline_metrics", "champion_metrics",
        "champion_version", "champion_error", "trainer_params", "warnings", "model", "decision",
        "retention_deleted", "duration_ms");
    assertEquals(keys, new ArrayList<>(fields.keySet()));
    for (String k : keys) {
      assertEquals(old.get(k), fields.get(k), k);
    }
  }

  @Test
  void a_dry_run_names_no_model_and_says_what_it_would_have_done() {
    RunResult result = new RunResult(null, new Metrics(1.0, 2.0, 0.5, 10), List.of(), null, null, null, null,
        Map.of(), List.of());
    Document fields = RunCodec.end(RunEnd.completed(result, null,
        new Decision(false, true, "dry run, nothing written: beats the baseline"), null));
    assertTrue(fields.containsKey("model") && fields.get("model") == null, "model: null, as before");
    assertEquals(new Document("promoted", false).append("would_promote", true)
        .append("reason", "dry run, nothing written: beats the baseline"), fields.get("decision"));
    assertFalse(fields.containsKey("retention_deleted"));
  }

  @Test
  void a_failure_is_stored_with_its_kind_beside_the_text() {
    Document fields = RunCodec.end(RunEnd.error(FailureKind.PROCESS_LOST, "process lost (pid 1 on h is gone)"));
    assertEquals(new Document("error", "process lost (pid 1 on h is gone)").append("error_kind", "process_lost"),
        fields);
    Document closed = RunCodec.closing(fields, RunStatus.FAILED, T0);
    RunRecord r = RunCodec.read(closed);
    assertEquals(FailureKind.PROCESS_LOST, r.failure());
    assertEquals(RunStatus.FAILED, r.status());
    assertEquals(T0, r.finishedAt());
    assertEquals(new RunRecord.Progress("failed", 1.0), r.progress());
  }

  @Test
  void queue_items_read_their_phase_and_recovery_state() {
    Document item = new Document("run_id", "r1").append("device_id", "d1").append("status", "running")
        .append("phase", "timing_out").append("token", 3L).append("lease_owner", "host:1:ab")
        .append("lease_until", Date.from(T0)).append("recover_from", "finalizing").append("final_status", "failed")
        .append("retry_wanted", true);
    QueueItem q = RunCodec.readItem(item);
    assertEquals(QueuePhase.TIMING_OUT, q.phase());
    assertEquals("timing out", q.phase().label());
    assertEquals(QueuePhase.FINALIZING, q.recoverFrom());
    assertEquals(RunStatus.FAILED, q.finalStatus());
    assertTrue(q.retryWanted());
    assertEquals(3L, q.token());
    QueueItem pending = RunCodec.readItem(RunCodec.queueItem("r2", "d1", T0, T0, 1, null));
    assertTrue(pending.pending());
    assertNull(pending.phase());
    for (QueuePhase p : QueuePhase.values()) {
      assertEquals(p, QueuePhase.parse(p.wire()));
    }
    assertEquals(List.of("running", "finalizing", "done", "cancelling", "timing_out", "recovering"),
        java.util.Arrays.stream(QueuePhase.values()).map(QueuePhase::wire).toList(), "wire names are a contract");
  }
}

package com.retrainconsole.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.retrainconsole.alerts.AlertPolicy.AccuracyBounds;
import com.retrainconsole.alerts.AlertService.StatusFilter;
import com.retrainconsole.audit.MongoAuditLog;
import com.retrainconsole.registry.ModelMeta;
import com.retrainconsole.registry.ModelRegistry;
import com.retrainconsole.runs.EnqueueRequest;
import com.retrainconsole.runs.RunRecord;
import com.retrainconsole.runs.RunQueue;
import com.retrainconsole.runs.RunRepository;
import com.retrainconsole.runs.RunStatus;
import com.retrainconsole.store.Collections;
import com.retrainconsole.store.Store;
import com.retrainconsole.testing.SettableClock;
import com.retrainconsole.testing.TestModels;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertDetectorsTest {
  @TempDir Path models;
  private Store store;
  private SettableClock clock;
  private AlertService alerts;
  private RunRepository runs;
  private ModelRegistry registry;

  @BeforeEach
  void open() {
    store = Store.openInMemory();
    clock = new SettableClock(Instant.parse("2026-11-22T10:00:00Z"));
    alerts = new AlertService(store, clock);
    runs = new RunRepository(store, clock);
    registry = new ModelRegistry(models, new MongoAuditLog(store, clock), clock);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private AlertDetectors detectors(AlertPolicy policy) {
    return new AlertDetectors(store, registry, alerts, policy, clock);
  }

  private RunRecord finishedRun(String device, RunStatus status, double r2, double mae) {
    Document run = runs.startInline(device, new Document("type", "manual"), new Document("days", 7));
    clock.advance(Duration.ofMinutes(1));
    Document fields = status == RunStatus.COMPLETED
        ? new Document("metrics", new Document("mae", mae).append("rmse", mae * 1.3).append("r2", r2))
            .append("decision", new Document("promoted", false).append("reason", "test"))
        : new Document("error", "Data-quality gate failed: too few rows");
    runs.finish(run.getString("run_id"), status, fields);
    clock.advance(Duration.ofMinutes(1));
    return runs.requireRecord(run.getString("run_id"));
  }

  private List<Document> active(String type) {
    return alerts.list(StatusFilter.ACTIVE, null, 100).stream().filter(a -> type.equals(a.getString("type"))).toList();
  }

  @Test
  void low_accuracy_fires_below_the_r2_bound_and_a_good_run_resolves_it() {
    AlertDetectors d = detectors(AlertPolicy.defaults());
    RunRecord good = finishedRun("dev1", RunStatus.COMPLETED, 0.9, 100);
    assertTrue(d.afterRun(good).isEmpty());
    assertTrue(active(AlertTypes.LOW_ACCURACY).isEmpty());

    RunRecord bad = finishedRun("dev1", RunStatus.COMPLETED, 0.3, 100);
    List<Document> raised = d.afterRun(bad);
    assertEquals(1, raised.size());
    assertEquals(List.of(bad.runId()), raised.get(0).getList("run_ids", String.class));
    assertTrue(raised.get(0).getString("message").contains("below 0.500"), raised.get(0).getString("message"));

    d.afterRun(finishedRun("dev1", RunStatus.COMPLETED, 0.8, 100));
    assertTrue(active(AlertTypes.LOW_ACCURACY).isEmpty());
  }

  @Test
  void low_accuracy_uses_the_devices_own_mae_bound() {
    AlertDetectors d = detectors(AlertPolicy.defaults().withDeviceAccuracy("dev2", new AccuracyBounds(Double.NaN, 50)));
    assertTrue(d.afterRun(finishedRun("dev1", RunStatus.COMPLETED, 0.9, 80)).isEmpty(), "dev1 has no MAE bound");
    List<Document> raised = d.afterRun(finishedRun("dev2", RunStatus.COMPLETED, 0.9, 80));
    assertEquals(1, raised.size());
    assertEquals("dev2", raised.get(0).getString("device_id"));
  }

  @Test
  void training_failure_fires_above_thirty_percent_of_the_last_ten_runs_only() {
    AlertDetectors d = detectors(AlertPolicy.defaults());
    // old failures beyond the window of 10 must not count
    for (int i = 0; i < 5; i++) {
      d.afterRun(finishedRun("dev", RunStatus.FAILED, 0, 0));
    }
    for (int i = 0; i < 7; i++) {
      d.afterRun(finishedRun("dev", RunStatus.COMPLETED, 0.9, 10));
    }
    for (int i = 0; i < 3; i++) {
      d.afterRun(finishedRun("dev", RunStatus.FAILED, 0, 0));
    }
    assertTrue(active(AlertTypes.TRAINING_FAILURE).isEmpty(), "3 of the last 10 is 30%, not above");

    RunRecord fourth = finishedRun("dev", RunStatus.FAILED, 0, 0);
    List<Document> raised = d.afterRun(fourth);
    assertEquals(1, raised.size());
    Document alert = raised.get(0);
    assertEquals(AlertTypes.TRAINING_FAILURE, alert.getString("type"));
    assertEquals(4, alert.getList("run_ids", String.class).size());
    assertTrue(alert.getList("run_ids", String.class).contains(fourth.runId()));
  }

  @Test
  void stuck_job_fires_for_a_pending_item_an_hour_past_due_and_not_for_a_fresh_one() {
    RunQueue queue = new RunQueue(store, clock);
    Instant now = clock.instant();
    String late = queue.enqueue(new EnqueueRequest("dev", new RunRecord.Trigger("cron", null, null, null), RunRecord.Params.none(), null,
        now.minus(Duration.ofMinutes(61)), 1, null)).runId();
    queue.enqueue(new EnqueueRequest("dev", new RunRecord.Trigger("cron", null, null, null), RunRecord.Params.none(), null,
        now.minus(Duration.ofMinutes(50)), 1, null));
    AlertDetectors d = detectors(AlertPolicy.defaults());
    List<Document> raised = d.onTick(now);
    assertEquals(1, raised.size());
    assertEquals(List.of(late), raised.get(0).getList("run_ids", String.class));

    // the run finishes: its stuck alert resolves
    runs.finish(late, RunStatus.COMPLETED, new Document());
    store.collection(Collections.RUN_QUEUE).deleteOne(new Document("run_id", late));
    d.onTick(now.plusSeconds(10));
    assertTrue(active(AlertTypes.STUCK_JOB).isEmpty());
  }

  @Test
  void stuck_job_fires_for_a_running_item_without_progress_and_not_while_progress_moves() {
    RunQueue queue = new RunQueue(store, clock);
    String frozen = queue.enqueue(EnqueueRequest.manual("dev", RunRecord.Params.none(), "ana", "test")).runId();
    String moving = queue.enqueue(EnqueueRequest.manual("dev2", RunRecord.Params.none(), "ana", "test")).runId();
    for (String id : List.of(frozen, moving)) {
      // what a scheduler's claim leaves on the item (the scheduler package writes these fields)
      store.collection(Collections.RUN_QUEUE).updateOne(new Document("run_id", id), new Document("$set",
          new Document("status", "running").append("lease_owner", "w1").append("token", 1L)
              .append("lease_until", Date.from(clock.instant().plusSeconds(30)))));
    }
    AlertDetectors d = detectors(AlertPolicy.defaults());
    assertTrue(d.onTick(clock.instant()).isEmpty());
    for (int minute = 5; minute <= 35; minute += 5) {
      Instant t = clock.advance(Duration.ofMinutes(5));
      runs.progress(moving, "train", minute / 100.0);
      for (String id : List.of(frozen, moving)) { // healthy heartbeats on both: the lease is renewed
        store.collection(Collections.RUN_QUEUE).updateOne(new Document("run_id", id),
            new Document("$set", new Document("lease_until", Date.from(t.plusSeconds(30)))));
      }
      d.onTick(t);
    }
    List<Document> stuck = active(AlertTypes.STUCK_JOB);
    assertEquals(1, stuck.size());
    assertEquals(List.of(frozen), stuck.get(0).getList("run_ids", String.class));
    assertTrue(stuck.get(0).getString("message").contains("no progress"), stuck.get(0).getString("message"));
  }

  private void promoteWithMae(String device, double mae, int seed) {
    ModelMeta saved = registry.saveCandidate(device, TestModels.train(seed), TestModels.draft(device, "run-" + seed, mae));
    registry.promote(device, saved.version(), "test", "mae " + mae);
    clock.advance(Duration.ofHours(6));
  }

  @Test
  void model_degradation_fires_when_mae_rises_across_promotions() {
    double[] rising = {100, 104, 111, 118, 126};
    for (int i = 0; i < rising.length; i++) {
      promoteWithMae("devA", rising[i], i + 1);
    }
    AlertDetectors d = detectors(AlertPolicy.defaults());
    List<Document> raised = d.onTick(clock.instant());
    assertEquals(1, raised.size());
    assertEquals(AlertTypes.MODEL_DEGRADATION, raised.get(0).getString("type"));
    assertEquals(5, raised.get(0).getList("run_ids", String.class).size());
    // nothing moved since: the next tick does not re-read the metas or raise again
    assertTrue(d.onTick(clock.instant()).isEmpty());
  }

  @Test
  void model_degradation_ignores_one_bad_model_and_short_histories() {
    double[] spike = {100, 99, 160, 101, 100};
    for (int i = 0; i < spike.length; i++) {
      promoteWithMae("devB", spike[i], i + 1);
    }
    double[] shortRise = {100, 130, 170};
    for (int i = 0; i < shortRise.length; i++) {
      promoteWithMae("devC", shortRise[i], i + 10);
    }
    AlertDetectors d = detectors(AlertPolicy.defaults());
    assertTrue(d.onTick(clock.instant()).isEmpty());
    assertTrue(active(AlertTypes.MODEL_DEGRADATION).isEmpty());
  }

  @Test
  void theil_sen_slope_is_the_median_pairwise_slope() {
    assertEquals(1.0, TheilSen.slope(new double[] {0, 1, 2, 3}), 1e-12);
    assertEquals(0.0, TheilSen.slope(new double[] {1, 1, 9, 1, 1}), 1e-12);
  }
}

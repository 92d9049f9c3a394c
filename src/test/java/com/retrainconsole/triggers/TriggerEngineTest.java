package com.retrainconsole.triggers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.retrainconsole.alerts.AlertSink;
import com.retrainconsole.runs.RunRepository;
import com.retrainconsole.runs.RunStatus;
import com.retrainconsole.store.Collections;
import com.retrainconsole.telemetry.BucketTelemetryStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bson.Document;
import org.junit.jupiter.api.Test;

class TriggerEngineTest {
  private static final Instant T0 = Instant.parse("2025-06-02T00:00:00Z");
  private static final Duration HOUR = Duration.ofHours(1);

  private static Document hourlyCron() {
    return new Document("cron", "0 * * * *").append("zone", "UTC");
  }

  /** Alerts raised, in order (alerts are not under test here, only that the engine raises them). */
  static final class RecordingAlerts implements AlertSink {
    final List<String> raised = new CopyOnWriteArrayList<>();

    @Override
    public void raise(String type, String deviceId, String incidentKey, String message, Map<String, Object> details) {
      raised.add(type + " " + deviceId + " " + message);
    }
  }

  private static List<Document> events(Fixture f, String triggerId) {
    List<Document> e = f.events.recent(triggerId, 10_000);
    java.util.Collections.reverse(e);
    return e;
  }

  @Test
  void down_for_five_slots_fires_once_on_resume_for_the_latest_slot_and_plans_the_next_future_slot() {
    try (Fixture f = new Fixture(T0.minusSeconds(30))) {
      Trigger t = f.triggers.add("dev", TriggerType.CRON, hourlyCron(), Fixture.noGuards());
      TriggerEngine engine = f.engine();
      f.clock.set(T0);
      engine.tick(T0); // fires 00:00
      // down from 00:01 to 05:20: slots 01:00..05:00 missed
      Instant resume = T0.plus(Duration.ofMinutes(5 * 60 + 20));
      f.clock.set(resume);
      engine.tick(resume);
      engine.tick(resume.plusSeconds(30));
      assertEquals(List.of(T0, T0.plus(Duration.ofHours(5))), f.firedSlots(t.triggerId()));
      assertEquals(T0.plus(Duration.ofHours(6)), f.triggers.require(t.triggerId()).nextFireAt());
      Document last = f.events.recent(t.triggerId(), 1).get(0);
      assertTrue(last.getString("reason").contains("missed"), last.toJson());
      assertEquals(2, f.events.count(t.triggerId(), null));
    }
  }

  @Test
  void interval_trigger_anchored_at_an_instant_fires_every_n_hours_and_once_after_a_misfire() {
    try (Fixture f = new Fixture(T0)) {
      Trigger t = f.triggers.add("dev", TriggerType.INTERVAL, new Document("every", Duration.ofHours(6))
          .append("anchor", T0.plus(Duration.ofMinutes(90))), Fixture.noGuards());
      TriggerEngine engine = f.engine();
      f.tickUntil(engine, T0.plus(Duration.ofHours(13)), Duration.ofMinutes(10));
      f.clock.set(T0.plus(Duration.ofHours(40)));
      engine.tick(f.clock.instant());
      Instant a = T0.plus(Duration.ofMinutes(90));
      assertEquals(List.of(a, a.plus(Duration.ofHours(6)), a.plus(Duration.ofHours(36))), f.firedSlots(t.triggerId()));
    }
  }

  @Test
  void two_engines_ticking_the_same_store_concurrently_create_exactly_one_run_per_fire() throws Exception {
    try (Fixture f = new Fixture(T0.minusSeconds(1))) {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        ids.add(f.triggers.add("dev" + (i % 3), TriggerType.CRON, new Document("cron", "* * * * *")
            .append("zone", "Europe/Berlin"), Fixture.noGuards()).triggerId());
      }
      TriggerEngine a = f.engine();
      TriggerEngine b = f.engine();
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        for (int m = 0; m < 20; m++) {
          Instant now = T0.plus(Duration.ofMinutes(m));
          f.clock.set(now);
          Future<?> fa = pool.submit(() -> a.tick(now));
          Future<?> fb = pool.submit(() -> b.tick(now));
          fa.get();
          fb.get();
        }
      } finally {
        pool.shutdownNow();
      }
      List<Document> runs = f.store.collection(Collections.MODEL_RUNS).find().into(new ArrayList<>());
      assertEquals(200, runs.size());
      assertEquals(200, new HashSet<>(runs.stream().map(r -> r.getString("fire_key")).toList()).size());
      assertEquals(200, f.store.collection(Collections.RUN_QUEUE).countDocuments());
      for (String id : ids) {
        assertEquals(20, f.firedSlots(id).size());
        assertEquals(20, f.events.count(id, true), "one fired event per slot for " + id);
        assertEquals(0, f.events.count(id, false), "no duplicate evaluation events for " + id);
      }
    }
  }

  @Test
  void cooldown_refuses_fires_within_it_and_says_so() {
    try (Fixture f = new Fixture(T0.minusSeconds(1))) {
      Trigger t = f.triggers.add("dev", TriggerType.CRON, hourlyCron(), new Guards(Duration.ofHours(3), null, null));
      f.clock.set(T0);
      f.tickUntil(f.engine(), T0.plus(Duration.ofHours(6)), Duration.ofMinutes(15));
      assertEquals(List.of(T0, T0.plus(Duration.ofHours(3)), T0.plus(Duration.ofHours(6))), f.firedSlots(t.triggerId()));
      List<Document> e = events(f, t.triggerId());
      assertEquals(7, e.size());
      assertTrue(e.get(1).getString("reason").startsWith("guard: cooldown 3h: run "), e.get(1).toJson());
      assertFalse(e.get(1).getBoolean("fired"));
    }
  }

  @Test
  void max_per_day_caps_scheduler_runs_in_a_rolling_day() {
    try (Fixture f = new Fixture(T0.minusSeconds(1))) {
      Trigger t = f.triggers.add("dev", TriggerType.CRON, hourlyCron(), new Guards(Duration.ZERO, 4, null));
      f.clock.set(T0);
      f.tickUntil(f.engine(), T0.plus(Duration.ofHours(24)), HOUR);
      // 00..03 fire; 04..23 refused; 24:00 is 24 h after 00:00, which has left the rolling day
      assertEquals(List.of(T0, T0.plusSeconds(3600), T0.plusSeconds(7200), T0.plusSeconds(10800),
          T0.plus(Duration.ofHours(24))), f.firedSlots(t.triggerId()));
      assertTrue(events(f, t.triggerId()).get(4).getString("reason")
          .startsWith("guard: max per day: 4 scheduled runs in the last 24 h (limit 4)"));
    }
  }

  @Test
  void min_new_rows_guard_and_new_data_trigger_count_readings_after_the_last_successful_run() {
    try (Fixture f = new Fixture(T0.minusSeconds(1))) {
      BucketTelemetryStore telemetry = new BucketTelemetryStore(f.store);
      RunRepository runs = new RunRepository(f.store, f.clock);
      // a completed run whose data ended at T0 - 1 h, then 50 readings after it
      Document done = runs.startInline("dev", new Document("type", "manual"), new Document());
      runs.finish(done.getString("run_id"), RunStatus.COMPLETED, new Document("data",
          new Document("to", java.util.Date.from(T0.minus(HOUR)))).append("decision", new Document("promoted", true)));
      write(telemetry, T0.minus(Duration.ofHours(2)), 60, Duration.ofMinutes(1)); // 59 before .. end: 00:59 ahead
      Trigger guarded = f.triggers.add("dev", TriggerType.CRON, hourlyCron(), new Guards(Duration.ZERO, null, 100L));
      Trigger newData = f.triggers.add("dev", TriggerType.NEW_DATA, new Document("min_rows", 100L), Fixture.noGuards());
      TriggerEngine engine = f.engine();
      f.clock.set(T0);
      engine.tick(T0);
      assertEquals(List.of(), f.firedSlots(guarded.triggerId()));
      assertEquals(List.of(), f.firedSlots(newData.triggerId()));
      Document refusal = f.events.recent(guarded.triggerId(), 1).get(0);
      assertTrue(refusal.getString("reason").startsWith("guard: min new rows: 0 readings since"), refusal.toJson());
      Document notYet = f.events.recent(newData.triggerId(), 1).get(0);
      assertEquals(0.0, notYet.getDouble("value"));
      assertEquals(100.0, notYet.getDouble("threshold"));
      write(telemetry, T0, 120, Duration.ofSeconds(20)); // 120 readings in 00:00..00:40
      f.clock.set(T0.plus(HOUR));
      engine.tick(T0.plus(HOUR));
      assertEquals(List.of(T0.plus(HOUR)), f.firedSlots(guarded.triggerId()));
      assertEquals(List.of(T0.plus(HOUR)), f.firedSlots(newData.triggerId()));
      assertEquals(120.0, f.events.recent(newData.triggerId(), 1).get(0).getDouble("value"));
    }
  }

  static void write(BucketTelemetryStore telemetry, Instant from, int n, Duration step) {
    long[] ts = new long[n];
    double[] p = new double[n];
    for (int i = 0; i < n; i++) {
      ts[i] = from.plus(step.multipliedBy(i)).toEpochMilli();
      p[i] = 100 + i;
    }
    telemetry.write("dev", ts, Map.of("power_w", p));
  }

  @Test
  void circuit_opens_after_three_failed_or_rejected_runs_raises_one_alert_and_enable_closes_it() {
    try (Fixture f = new Fixture(T0.minusSeconds(1))) {
      RecordingAlerts alerts = new RecordingAlerts();
      Trigger t = f.triggers.add("dev", TriggerType.CRON, hourlyCron(), Fixture.noGuards());
      Trigger other = f.triggers.add("dev", TriggerType.INTERVAL, new Document("every", HOUR), Fixture.noGuards());
      RunRepository runs = new RunRepository(f.store, f.clock);
      TriggerEngine engine = f.engine(null, alerts);
      finish(runs, RunStatus.FAILED, null);
      finish(runs, RunStatus.COMPLETED, false); // rejected
      f.clock.set(T0);
      engine.tick(T0);
      assertEquals(1, f.firedSlots(t.triggerId()).size(), "two failures do not open the circuit");
      finish(runs, RunStatus.TIMED_OUT, null);
      f.tickUntil(engine, T0.plus(Duration.ofHours(3)), HOUR);
      assertEquals(1, f.firedSlots(t.triggerId()).size());
      assertEquals(1, alerts.raised.size(), alerts.raised.toString());
      assertTrue(alerts.raised.get(0).startsWith("CIRCUIT_OPEN dev "), alerts.raised.get(0));
      Trigger stored = f.triggers.require(other.triggerId());
      assertTrue(stored.circuit().open());
      assertEquals(3, stored.circuit().consecutiveFailures());
      assertTrue(f.events.recent(t.triggerId(), 1).get(0).getString("reason").startsWith("guard: circuit open"));

      f.triggers.enable(t.triggerId());
      assertFalse(f.triggers.require(other.triggerId()).circuit().open(), "the circuit is per device");
      f.tickUntil(engine, T0.plus(Duration.ofHours(4)), HOUR);
      assertEquals(List.of(T0, T0.plus(Duration.ofHours(4))), f.firedSlots(t.triggerId()));
      assertEquals(1, alerts.raised.size());
    }
  }

  private static void finish(RunRepository runs, RunStatus status, Boolean promoted) {
    Document r = runs.startInline("dev", new Document("type", "manual"), new Document());
    Document fields = new Document();
    if (promoted != null) {
      fields.append("decision", new Document("promoted", promoted));
    }
    runs.finish(r.getString("run_id"), status, fields);
  }

  @Test
  void unfired_events_are_pruned_to_the_newest_200_per_trigger_and_fired_ones_are_kept() {
    try (Fixture f = new Fixture(T0.minusSeconds(1))) {
      Trigger t = f.triggers.add("dev", TriggerType.CRON, new Document("cron", "* * * * *").append("zone", "UTC"),
          new Guards(Duration.ofMinutes(100), null, null));
      f.clock.set(T0);
      f.tickUntil(f.engine(), T0.plus(Duration.ofMinutes(299)), Duration.ofMinutes(1));
      assertEquals(3, f.events.count(t.triggerId(), true)); // 00:00, 01:40, 03:20
      long unfired = f.events.count(t.triggerId(), false);
      assertTrue(unfired >= TriggerEvents.KEEP_UNFIRED && unfired < TriggerEvents.KEEP_UNFIRED + TriggerEvents.PRUNE_EVERY,
          "unfired events kept: " + unfired);
      Document newest = f.events.recent(t.triggerId(), 1).get(0);
      assertNotNull(newest);
      assertEquals(T0.plus(Duration.ofMinutes(299)), newest.getDate("scheduled_for").toInstant());
    }
  }
}

package com.retrainconsole.triggers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.retrainconsole.common.UserException;
import com.retrainconsole.runs.RunRepository;
import com.retrainconsole.runs.RunStatus;
import com.retrainconsole.store.Collections;
import com.retrainconsole.telemetry.BucketTelemetryStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.Test;

class TriggerReplayTest {
  private static final Instant T0 = Instant.parse("2025-06-02T00:00:00Z");

  /**
   * Telemetry arrives at an uneven pace; a new_data trigger (check every 30 min, ≥ 40 rows) with a 2 h cooldown
   * and a guarded cron are replayed first, then ticked live over the same day with a worker that completes each
   * run at once with data up to its slot. Both see the same fire instants. decision: one trigger per device
   * here, because a replay replays one trigger: other triggers' hypothetical fires on the same device are
   * not part of it.
   */
  @Test
  void replay_returns_the_fire_instants_that_live_ticking_produces_and_writes_nothing() {
    try (Fixture f = new Fixture(T0.minusSeconds(1))) {
      BucketTelemetryStore telemetry = new BucketTelemetryStore(f.store);
      // readings every minute in busy hours, every 10 minutes otherwise
      List<Long> ts = new ArrayList<>();
      for (Instant t = T0; t.isBefore(T0.plus(Duration.ofDays(1))); ) {
        ts.add(t.toEpochMilli());
        int h = t.atZone(java.time.ZoneOffset.UTC).getHour();
        t = t.plus(Duration.ofMinutes(h % 5 == 0 ? 1 : 10));
      }
      double[] p = new double[ts.size()];
      for (String device : List.of("dev", "dev2")) {
        telemetry.write(device, ts.stream().mapToLong(Long::longValue).toArray(), java.util.Map.of("power_w", p));
      }
      Trigger newData = f.triggers.add("dev", TriggerType.NEW_DATA, new Document("min_rows", 40L)
          .append("check_every", Duration.ofMinutes(30)), new Guards(Duration.ofHours(2), null, null));
      Trigger cron = f.triggers.add("dev2", TriggerType.CRON, new Document("cron", "15 * * * *").append("zone", "UTC"),
          new Guards(Duration.ZERO, 6, 30L));
      Instant end = T0.plus(Duration.ofHours(23));
      TriggerReplay replay = new TriggerReplay(f.store, f.devices, null);
      List<Instant> replayedNewData = replay.replay(newData, T0, end).fires().stream()
          .map(TriggerReplay.ReplayFire::at).toList();
      List<Instant> replayedCron = replay.replay(cron, T0, end).fires().stream()
          .map(TriggerReplay.ReplayFire::at).toList();
      assertEquals(0, f.store.collection(Collections.MODEL_RUNS).countDocuments(), "replay wrote runs");
      assertEquals(0, f.store.collection(Collections.TRIGGER_EVENTS).countDocuments(), "replay wrote events");

      RunRepository runs = new RunRepository(f.store, f.clock);
      TriggerEngine engine = f.engine();
      for (Instant t = T0; !t.isAfter(end); t = t.plus(Duration.ofMinutes(15))) {
        f.clock.set(t);
        engine.tick(t);
        // a worker finishing each new run at once, with data up to its slot
        for (Document r : f.store.collection(Collections.MODEL_RUNS).find(new Document("status", "pending"))) {
          String key = r.getString("fire_key");
          Instant slot = Instant.parse(key.substring(key.indexOf(':') + 1));
          runs.finish(r.getString("run_id"), RunStatus.COMPLETED, new Document("data",
              new Document("to", Date.from(slot))).append("decision", new Document("promoted", true)));
        }
      }
      assertTrue(replayedNewData.size() >= 3, "a meaningful number of fires: " + replayedNewData);
      assertEquals(f.firedSlots(newData.triggerId()), replayedNewData);
      assertEquals(f.firedSlots(cron.triggerId()), replayedCron);
      // and a replay after the fact (its own runs left out) still says the same
      assertEquals(replayedNewData, replay.replay(f.triggers.require(newData.triggerId()), T0, end).fires().stream()
          .map(TriggerReplay.ReplayFire::at).toList());
    }
  }

  @Test
  void replay_refuses_an_empty_range() {
    try (Fixture f = new Fixture(T0)) {
      Trigger t = f.triggers.add("dev", TriggerType.INTERVAL, new Document("every", Duration.ofHours(1)), null);
      String msg = org.junit.jupiter.api.Assertions.assertThrows(UserException.class,
          () -> new TriggerReplay(f.store, f.devices, null).replay(t, T0, T0)).getMessage();
      assertTrue(msg.startsWith("--from must be before --to"), msg);
    }
  }
}

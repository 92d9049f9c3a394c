package com.retrainconsole.triggers;

import com.retrainconsole.testing.SettableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.retrainconsole.alerts.AlertSink;
import com.retrainconsole.settings.AppConfig;
import com.retrainconsole.app.AppContext;
import com.retrainconsole.cli.RetrainCli;
import com.retrainconsole.common.Json;
import com.retrainconsole.common.ProgressListener;
import com.retrainconsole.retrain.RetrainOutcome;
import com.retrainconsole.retrain.RetrainRequest;
import com.retrainconsole.store.Store;
import com.retrainconsole.telemetry.DeviceConfig;
import com.retrainconsole.telemetry.Simulator;
import com.retrainconsole.telemetry.SimulatorConfig;
import com.retrainconsole.telemetry.TelemetryWindow;
import com.retrainconsole.training.TrainerKind;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Real models trained and promoted by the app on simulated telemetry of two identical plants, then a day of
 * unchanged data and a day where one of them yields 30% less power for the same sun (soiling or an inverter
 * fault) while its clean twin carries on.
 */
class PerformanceTriggerTest {
  private static final Instant TRAIN_END = Instant.parse("2025-06-09T00:00:00Z");
  private static final Instant FAULT_FROM = TRAIN_END.plus(Duration.ofDays(1));
  private static final Instant END = FAULT_FROM.plus(Duration.ofDays(1));
  private static final String FAULTY = "faulty";
  private static final String CLEAN = "clean";

  @TempDir Path dir;

  @Test
  void the_performance_trigger_stays_quiet_on_unchanged_data_and_fires_after_a_30_percent_power_loss() throws Exception {
    Store store = Store.openInMemory();
    SettableClock clock = new SettableClock(TRAIN_END);
    Path models = dir.resolve("models");
    try (AppContext ctx = AppContext.open(new AppConfig(null, dir.resolve("data"), models), store, clock)) {
      ZoneId madrid = ZoneId.of("Europe/Madrid");
      SimulatorConfig cfg = new SimulatorConfig(List.of("site"), END, 12, Duration.ofMinutes(10), 5,
          SimulatorConfig.DEFAULT_LAT, SimulatorConfig.DEFAULT_LON, madrid);
      TelemetryWindow w = Simulator.generate(cfg, "site");
      // one simulated plant under two ids: identical weather, only the fault differs
      for (String id : List.of(CLEAN, FAULTY)) {
        ctx.devices().upsert(DeviceConfig.of(id).withLocation(cfg.lat(), cfg.lon(), madrid));
        // the history up to the training, then the data arriving after it: one clean day, then the fault
        write(ctx, id, w, Instant.EPOCH, TRAIN_END, 1.0);
        RetrainOutcome trained = ctx.retrain().run(new RetrainRequest(id, 9, TRAIN_END, TrainerKind.XGBOOST,
            false, "manual", "first model", "tester"), ProgressListener.NONE);
        assertTrue(trained.completed(), trained.run().stored().toJson());
        assertTrue(ctx.registry().current(id).isPresent(), "the first model is promoted: " + trained.run().stored().toJson());
        write(ctx, id, w, TRAIN_END, FAULT_FROM, 1.0);
        write(ctx, id, w, FAULT_FROM, END, id.equals(FAULTY) ? 0.7 : 1.0);
      }

      Fixture f = new Fixture(store, TRAIN_END);
      Guards guards = new Guards(Duration.ofHours(6), null, null);
      // decision: +100%, not +20%: this simulator's weather alone moves a day's MAE by up to ~40% (seen on the
      // clean twin), the fault by more than 10x
      Document spec = new Document("threshold_pct", 100L).append("window", Duration.ofHours(24))
          .append("min_sample", 100L);
      Trigger perf = f.triggers.add(FAULTY, TriggerType.PERFORMANCE, spec, guards);
      Trigger twin = f.triggers.add(CLEAN, TriggerType.PERFORMANCE, spec, guards);
      Trigger needsMore = f.triggers.add(FAULTY, TriggerType.PERFORMANCE, new Document(spec)
          .append("min_sample", 1000L), guards);
      TriggerEngine engine = new TriggerEngine(store, f.clock, f.devices, ctx.registry(), AlertSink.NONE,
          TriggerEngine.Settings.defaults());

      // (a) every hourly check over the clean day: evaluated on the model's own kind of data, never fired
      f.tickUntil(engine, FAULT_FROM, Duration.ofHours(1));
      assertEquals(List.of(), f.firedSlots(perf.triggerId()));
      Document clean = f.events.recent(perf.triggerId(), 1).get(0);
      assertFalse(clean.getBoolean("fired"), clean.toJson());
      double cleanMae = clean.getDouble("value");
      double threshold = clean.getDouble("threshold");
      assertTrue(cleanMae <= threshold, clean.toJson());
      int rows = clean.get("details", Document.class).getInteger("rows");
      assertTrue(rows >= 100 && rows <= 144, "a day of 10-minute readings, at least min_sample: " + clean.toJson());
      assertTrue(clean.getString("reason").contains(" <= "), clean.getString("reason"));

      // (b) over the faulty day it fires, with the MAE above the threshold and by how much in the reason
      f.tickUntil(engine, END, Duration.ofHours(1));
      List<Instant> fired = f.firedSlots(perf.triggerId());
      assertFalse(fired.isEmpty(), "no fire after the fault: " + f.events.recent(perf.triggerId(), 3));
      assertTrue(fired.get(0).isAfter(FAULT_FROM), fired.toString());
      Document fire = f.events.recent(perf.triggerId(), 30).stream().filter(e -> e.getBoolean("fired"))
          .reduce((a, b) -> b).orElseThrow(); // the first fire (events come newest first)
      assertEquals(fired.get(0), fire.getDate("scheduled_for").toInstant());
      assertTrue(fire.getDouble("value") > fire.getDouble("threshold"), fire.toJson());
      assertEquals(threshold, fire.getDouble("threshold"), 1e-9, "the threshold is the promotion MAE + 100%");
      double change = fire.get("details", Document.class).getDouble("change_pct");
      assertTrue(change > 100, fire.toJson());
      assertTrue(fire.getString("reason").contains(String.format(java.util.Locale.ROOT, "%+.1f%% against promotion",
          change)), fire.getString("reason"));
      assertTrue(fired.get(0).isBefore(FAULT_FROM.plus(Duration.ofHours(12))), "fires within the faulty day: " + fired);
      Document last = f.events.recent(perf.triggerId(), 1).get(0);
      assertTrue(last.getDouble("value") > cleanMae * 2, "a whole faulty day: " + last.toJson());
      // the clean twin saw the same weather on the same model and stayed under its threshold throughout
      assertEquals(List.of(), f.firedSlots(twin.triggerId()));
      assertEquals(48, f.events.count(twin.triggerId(), false), "evaluated at every hourly check");

      // the minimum sample holds it back on the same data: a day has at most 144 readings, it asks for 1000
      assertEquals(List.of(), f.firedSlots(needsMore.triggerId()));
      Document held = f.events.recent(needsMore.triggerId(), 1).get(0);
      int lastRows = last.get("details", Document.class).getInteger("rows");
      assertTrue(held.getString("reason").startsWith("only " + lastRows + " labelled rows in the last 24h (need 1000)"),
          held.getString("reason"));
      assertEquals(null, held.get("value"), "no MAE is claimed from too few rows");

      // `triggers replay` over the period, through the CLI against the same store, reports the same fires
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      CommandLine cli = new CommandLine(new RetrainCli(AppContext::open));
      cli.setOut(new PrintWriter(out, true));
      cli.setErr(new PrintWriter(err, true));
      int code = cli.execute("triggers", "replay", perf.triggerId(), "--from", TRAIN_END.toString(), "--to",
          END.toString(), "--mongo-uri", store.connectionUri(), "--models-dir", models.toString(),
          "--data-dir", dir.resolve("data").toString(), "--json");
      assertEquals(0, code, out + "\n" + err);
      JsonNode replay = Json.MAPPER.readTree(out.toString());
      List<Instant> replayed = new ArrayList<>();
      replay.get("fires").forEach(n -> replayed.add(Instant.parse(n.get("at").asText())));
      assertEquals(fired, replayed, replay.toPrettyString());
      JsonNode first = replay.get("fires").get(0);
      assertTrue(first.get("value").asDouble() > first.get("threshold").asDouble(), first.toString());
    }
  }

  /** Writes the readings with {@code from <= ts < to}, power scaled by {@code powerFactor}. */
  private static void write(AppContext ctx, String device, TelemetryWindow w, Instant from, Instant to,
      double powerFactor) {
    long[] ts = w.ts();
    int lo = 0;
    while (lo < ts.length && ts[lo] < from.toEpochMilli()) {
      lo++;
    }
    int hi = lo;
    while (hi < ts.length && ts[hi] < to.toEpochMilli()) {
      hi++;
    }
    Map<String, double[]> cols = new LinkedHashMap<>();
    for (Map.Entry<String, double[]> e : w.columns().entrySet()) {
      double[] c = Arrays.copyOfRange(e.getValue(), lo, hi);
      if (e.getKey().equals(Simulator.POWER)) {
        for (int i = 0; i < c.length; i++) {
          c[i] *= powerFactor;
        }
      }
      cols.put(e.getKey(), c);
    }
    ctx.telemetry().write(device, Arrays.copyOfRange(ts, lo, hi), cols);
  }
}

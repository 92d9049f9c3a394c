package com.retrainconsole.triggers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.retrainconsole.telemetry.DeviceConfig;
import com.retrainconsole.telemetry.BucketTelemetryStore;
import com.retrainconsole.telemetry.Simulator;
import com.retrainconsole.telemetry.SimulatorConfig;
import com.retrainconsole.telemetry.TelemetryWindow;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.bson.Document;
import org.junit.jupiter.api.Test;

class DriftTriggerTest {
  private static final List<String> FEATURES = List.of("a", "b", "c");

  private static double[] normal(Random r, int n, double shift) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = r.nextGaussian() + shift;
    }
    return x;
  }

  @SuppressWarnings("unchecked")
  private static double moduleD(Document event) {
    for (Document d : (List<Document>) event.get("details", Document.class).get("features")) {
      if (d.getString("feature").equals(Simulator.MODULE)) {
        return d.getDouble("d");
      }
    }
    throw new AssertionError("no module_temp_c in " + event.toJson());
  }

  /** Same distribution on both sides, 1,000 times: the corrected test alone must alarm at most alpha of the time. */
  @Test
  void aa_false_alarm_rate_stays_at_or_below_alpha_with_bonferroni_and_fdr() {
    double alpha = 0.05;
    for (DriftStatistics.Correction c : DriftStatistics.Correction.values()) {
      int alarms = 0;
      int alarmsWithEffect = 0;
      for (int rep = 0; rep < 1000; rep++) {
        Random r = new Random(1000L + rep);
        List<double[]> ref = List.of(normal(r, 600, 0), normal(r, 600, 0), normal(r, 600, 0));
        List<double[]> rec = List.of(normal(r, 250, 0), normal(r, 250, 0), normal(r, 250, 0));
        // min effect 0: the correction alone is under test
        if (DriftStatistics.test(FEATURES, ref, rec, alpha, c, 0.0, 200).drifted()) {
          alarms++;
        }
        if (DriftStatistics.test(FEATURES, ref, rec, alpha, c, 0.1, 200).drifted()) {
          alarmsWithEffect++;
        }
      }
      assertTrue(alarms <= alpha * 1000, c + ": " + alarms + " false alarms in 1000");
      assertTrue(alarmsWithEffect <= alarms, c + ": the effect-size floor only removes alarms");
    }
  }

  @Test
  void a_shift_in_one_feature_is_detected_and_a_tiny_one_is_held_back_by_the_min_effect() {
    Random r = new Random(7);
    List<double[]> ref = List.of(normal(r, 2000, 0), normal(r, 2000, 0), normal(r, 2000, 0));
    DriftStatistics.Result big = DriftStatistics.test(FEATURES, ref,
        List.of(normal(r, 300, 0), normal(r, 300, 0.8), normal(r, 300, 0)), 0.01,
        DriftStatistics.Correction.BONFERRONI, 0.1, 200);
    assertTrue(big.drifted(), big.reason());
    assertTrue(big.features().get(1).drifted() && !big.features().get(0).drifted(), big.reason());
    // large samples make a 0.1-sigma shift significant, but its D stays under 0.1
    List<double[]> bigRef = List.of(normal(r, 50_000, 0));
    DriftStatistics.Result tiny = DriftStatistics.test(List.of("a"), bigRef, List.of(normal(r, 50_000, 0.1)), 0.01,
        DriftStatistics.Correction.FDR, 0.1, 200);
    assertFalse(tiny.drifted(), tiny.reason());
    assertTrue(tiny.features().get(0).significant(), tiny.reason());
    DriftStatistics.Result small = DriftStatistics.test(FEATURES, ref,
        List.of(normal(r, 100, 3), normal(r, 100, 3), normal(r, 100, 3)), 0.01,
        DriftStatistics.Correction.BONFERRONI, 0.1, 200);
    assertFalse(small.drifted(), "a recent sample under the minimum never fires: " + small.reason());
  }

  /**
   * Simulated plant, 9 days; the last 2 days' module temperature sensor reads 15 °C high (an offset fault).
   * The drift trigger fires with persistence 2/3 on the second check (23:00), with a KS effect well above the
   * clean twin device's.
   */
  @Test
  void a_module_temperature_sensor_offset_in_simulator_data_fires_the_drift_trigger() {
    Instant end = Instant.parse("2025-06-10T00:00:00Z");
    try (Fixture f = new Fixture(end.minus(Duration.ofHours(3)))) {
      BucketTelemetryStore telemetry = new BucketTelemetryStore(f.store);
      ZoneId madrid = ZoneId.of("Europe/Madrid");
      SimulatorConfig cfg = new SimulatorConfig(List.of("site"), end, 9, Duration.ofMinutes(2), 11,
          SimulatorConfig.DEFAULT_LAT, SimulatorConfig.DEFAULT_LON, madrid);
      // one simulated plant written under two ids, so weather is identical and only the fault differs
      TelemetryWindow w = Simulator.generate(cfg, "site");
      long faultFrom = end.minus(Duration.ofDays(2)).toEpochMilli();
      Map<String, double[]> faultyCols = new LinkedHashMap<>();
      for (Map.Entry<String, double[]> e : w.columns().entrySet()) {
        double[] c = e.getValue().clone();
        if (e.getKey().equals(Simulator.MODULE)) {
          for (int i = 0; i < c.length; i++) {
            c[i] += w.ts()[i] >= faultFrom ? 15 : 0;
          }
        }
        faultyCols.put(e.getKey(), c);
      }
      for (String id : List.of("clean", "faulty")) {
        f.devices.upsert(DeviceConfig.of(id).withLocation(cfg.lat(), cfg.lon(), madrid));
        telemetry.write(id, w.ts(), id.equals("clean") ? w.columns() : faultyCols);
      }

      Document spec = new Document("features", List.of(Simulator.IRRADIANCE, Simulator.MODULE)).append("alpha", 0.01)
          .append("persistence_m", 2L).append("persistence_n", 3L).append("window", Duration.ofHours(24))
          .append("reference_days", 5L);
      Trigger faulty = f.triggers.add("faulty", TriggerType.DRIFT, spec, Fixture.noGuards());
      Trigger clean = f.triggers.add("clean", TriggerType.DRIFT, spec, Fixture.noGuards());
      TriggerEngine engine = f.engine();
      f.tickUntil(engine, end.minusSeconds(1), Duration.ofHours(1));
      // checks at 22:00 (held 1 of 1: not yet, persistence needs 2) and 23:00 (held 2 of 2: fires)
      assertEquals(List.of(Instant.parse("2025-06-09T23:00:00Z")), f.firedSlots(faulty.triggerId()));
      Document first = f.events.recent(faulty.triggerId(), 2).get(1);
      assertFalse(first.getBoolean("fired"));
      assertTrue(first.getString("reason").startsWith("condition held in 1 of the last 1 checks (need 2 of 3)"),
          first.getString("reason"));
      Document fired = f.events.recent(faulty.triggerId(), 1).get(0);
      assertTrue(fired.getString("reason").contains("module_temp_c drift: D="), fired.getString("reason"));
      // the simulated weather itself moves module temperature from week to week, so the clean twin may drift
      // too; the control is the size of the effect on identical weather
      double faultyD = moduleD(fired);
      double cleanD = moduleD(f.events.recent(clean.triggerId(), 1).get(0));
      assertTrue(faultyD > cleanD + 0.1, "faulty D " + faultyD + " vs clean D " + cleanD);
    }
  }
}

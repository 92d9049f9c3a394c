package com.retrainconsole.telemetry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.retrainconsole.store.Store;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class SimulatorTest {
  private static final Instant JUNE = Instant.parse("2026-06-30T00:00:00Z");

  private static SimulatorConfig config(long seed, int days) {
    return SimulatorConfig.defaults(List.of("t1", "t2"), JUNE).withDays(days).withSeed(seed);
  }

  @Test
  void the_same_seed_gives_identical_readings() {
    TelemetryWindow a = Simulator.generate(config(7, 10), "t1");
    TelemetryWindow b = Simulator.generate(config(7, 10), "t1");

    assertArrayEquals(a.ts(), b.ts());
    for (String field : Simulator.FIELDS) {
      assertArrayEquals(a.column(field), b.column(field), field);
    }
  }

  @Test
  void a_different_seed_or_device_gives_different_readings() {
    TelemetryWindow a = Simulator.generate(config(7, 10), "t1");
    TelemetryWindow otherSeed = Simulator.generate(config(8, 10), "t1");
    TelemetryWindow otherDevice = Simulator.generate(config(7, 10), "t2");

    assertFalse(Arrays.equals(a.column("power_w"), otherSeed.column("power_w")));
    assertFalse(Arrays.equals(a.column("power_w"), otherDevice.column("power_w")));
  }

  @Test
  void readings_cover_the_window_on_the_interval_grid_with_every_canonical_field() {
    SimulatorConfig cfg = config(1, 3).withInterval(Duration.ofMinutes(15));
    TelemetryWindow w = Simulator.generate(cfg, "t1");

    assertEquals(List.of(Simulator.FIELDS), new ArrayList<>(w.columns().keySet()));
    assertTrue(w.ts()[0] >= JUNE.minus(Duration.ofDays(3)).toEpochMilli());
    assertTrue(w.ts()[w.size() - 1] < JUNE.toEpochMilli());
    for (int i = 1; i < w.size(); i++) {
      assertTrue(w.ts()[i] > w.ts()[i - 1]);
      assertEquals(0, (w.ts()[i] - w.ts()[0]) % Duration.ofMinutes(15).toMillis());
    }
  }

  @Test
  void power_is_zero_at_night_and_peaks_near_solar_noon() {
    // decision: around the equinox; in midsummer a clipped tracker's day is a plateau from 8 to 16
    // h
    SimulatorConfig cfg =
        SimulatorConfig.defaults(List.of("t1"), Instant.parse("2026-03-30T00:00:00Z"))
            .withDays(20)
            .withSeed(3);
    TelemetryWindow w = Simulator.generate(cfg, "t1");
    double[] power = w.column("power_w");
    double[] sumByHour = new double[24];
    int[] countByHour = new int[24];
    int night = 0;
    for (int i = 0; i < w.size(); i++) {
      double zenith = SolarGeometry.position(w.ts()[i], cfg.lat(), cfg.lon())[0];
      if (zenith > Math.toRadians(92)) {
        night++;
        assertEquals(0.0, power[i], "power at night, ts " + Instant.ofEpochMilli(w.ts()[i]));
      }
      int hour = (int) SolarGeometry.solarHour(w.ts()[i], cfg.lon());
      sumByHour[hour] += power[i];
      countByHour[hour]++;
    }
    int peak = 0;
    for (int h = 0; h < 24; h++) {
      if (sumByHour[h] / countByHour[h] > sumByHour[peak] / countByHour[peak]) {
        peak = h;
      }
    }
    assertTrue(night > 1000, "night readings: " + night);
    double noon = sumByHour[12] / countByHour[12];
    double eight = sumByHour[8] / countByHour[8];
    double six = sumByHour[6] / countByHour[6];
    assertTrue(
        peak >= 10 && peak <= 13 && noon > eight && eight > six,
        "peak hour " + peak + "; noon " + noon + ", 8 h " + eight + ", 6 h " + six);
  }

  @Test
  void module_runs_warmer_than_ambient_in_sunshine() {
    TelemetryWindow w = Simulator.generate(config(4, 15), "t1");
    double[] irr = w.column("irradiance_wm2");
    double[] amb = w.column("ambient_temp_c");
    double[] mod = w.column("module_temp_c");
    int sunny = 0;
    int warmer = 0;
    for (int i = 0; i < w.size(); i++) {
      if (irr[i] > 700) {
        sunny++;
        if (mod[i] > amb[i] + 5) {
          warmer++;
        }
      }
    }
    assertTrue(sunny > 500, "sunny readings: " + sunny);
    assertTrue(
        warmer > 0.9 * sunny,
        warmer + " of " + sunny + " sunny readings have module > ambient + 5 K");
  }

  @Test
  void soiling_lowers_the_power_to_irradiance_ratio() {
    SimulatorConfig cfg = config(5, 90);
    Simulator.DeviceSimulation sim = new Simulator.DeviceSimulation(cfg, "t1");
    int stepsPerDay = 288;
    List<double[]> days = new ArrayList<>(); // {soiling at midday, ratio of sums around midday}
    while (sim.step < sim.totalSteps) {
      TelemetryWindow day = sim.next(stepsPerDay);
      double p = 0;
      double g = 0;
      for (int i = 0; i < day.size(); i++) {
        double hour = SolarGeometry.solarHour(day.ts()[i], cfg.lon());
        double irr = day.column("irradiance_wm2")[i];
        if (hour > 10 && hour < 14 && irr > 400 && irr < 900) { // below inverter clipping
          p += day.column("power_w")[i];
          g += irr;
        }
      }
      if (g > 0) {
        days.add(new double[] {sim.soiling(), p / g});
      }
    }
    double correlation = pearson(days);
    double maxSoiling = days.stream().mapToDouble(d -> d[0]).max().orElse(0);
    assertTrue(maxSoiling > 0.03, "soiling never exceeded " + maxSoiling);
    assertTrue(correlation < -0.5, "soiling vs ratio correlation " + correlation);
  }

  @Test
  void some_readings_are_missing_and_some_sensors_get_stuck() {
    SimulatorConfig cfg = config(6, 60);
    TelemetryWindow w = Simulator.generate(cfg, "t1");
    long expected = (cfg.endMillis() - cfg.startMillis()) / cfg.intervalMillis();

    assertTrue(w.size() < expected, "no gaps: " + w.size() + " of " + expected);
    assertTrue(w.size() > 0.9 * expected, "too many gaps: " + w.size() + " of " + expected);
    int longestRepeat = 0;
    for (String field :
        List.of("ambient_temp_c", "module_temp_c")) { // noisy: never repeat by chance
      double[] v = w.column(field);
      int run = 0;
      for (int i = 1; i < w.size(); i++) {
        run = v[i] == v[i - 1] ? run + 1 : 0;
        longestRepeat = Math.max(longestRepeat, run);
      }
    }
    assertTrue(longestRepeat >= 12, "no temperature sensor stuck for an hour: " + longestRepeat);
  }

  @Test
  void simulate_stores_every_device_reports_progress_and_is_idempotent() {
    try (Store store = Store.openInMemory()) {
      SimulatorConfig cfg = config(9, 3);
      Map<String, Double> lastFraction = new ConcurrentHashMap<>();

      SimulatorResult first = Simulator.simulate(store, cfg, lastFraction::put);
      SimulatorResult second = Simulator.simulate(store, cfg, (stage, fraction) -> {});

      BucketTelemetryStore telemetry = new BucketTelemetryStore(store);
      long expected = 0;
      for (String device : cfg.devices()) {
        TelemetryWindow generated = Simulator.generate(cfg, device);
        expected += generated.size();
        TelemetryWindow stored = telemetry.read(device, first.from(), first.to());
        assertArrayEquals(generated.ts(), stored.ts());
        assertArrayEquals(generated.column("power_w"), stored.column("power_w"));
        assertEquals(1.0, lastFraction.get("simulate " + device));
      }
      assertEquals(expected, first.written());
      assertEquals(0, second.written());
      assertEquals(expected, second.alreadyPresent());
      DeviceConfig device = new DeviceRepository(store).require("t2");
      assertEquals(37.1, device.lat());
      assertEquals(ZoneId.of("Europe/Madrid"), device.zone());
    }
  }

  private static double pearson(List<double[]> xy) {
    double mx = xy.stream().mapToDouble(d -> d[0]).average().orElse(0);
    double my = xy.stream().mapToDouble(d -> d[1]).average().orElse(0);
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (double[] d : xy) {
      sxy += (d[0] - mx) * (d[1] - my);
      sxx += (d[0] - mx) * (d[0] - mx);
      syy += (d[1] - my) * (d[1] - my);
    }
    return sxy / Math.sqrt(sxx * syy);
  }
}

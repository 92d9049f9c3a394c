package com.retrainconsole.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.retrainconsole.access.Actor;
import com.retrainconsole.access.Role;
import com.retrainconsole.settings.AppConfig;
import com.retrainconsole.app.AppContext;
import com.retrainconsole.retrain.RetrainRequest;
import com.retrainconsole.store.Store;
import com.retrainconsole.training.TrainerKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The readiness report on data shaped like a real export: 15-minute rows, power, irradiance and ambient
 * temperature but no module temperature, a missing day, and a device added before it has any data.
 */
class DeviceReadinessTest {
  private static final Actor ADMIN = new Actor("tester", Role.ADMIN);
  private static final Instant T0 = Instant.parse("2026-05-01T00:00:00Z");
  private static AppContext ctx;

  @BeforeAll
  static void open() throws Exception {
    Path root = Files.createTempDirectory("readiness");
    ctx = AppContext.open(new AppConfig(null, root.resolve("data"), root.resolve("models"), null),
        Store.openInMemory(), Clock.systemUTC());
    // 14 days at 15 min with day 6 missing: a plant whose logger was down for a day
    int perDay = 96;
    int n = 14 * perDay;
    long[] ts = new long[n - perDay];
    Map<String, double[]> cols = new LinkedHashMap<>();
    double[] power = new double[ts.length];
    double[] irr = new double[ts.length];
    double[] amb = new double[ts.length];
    int k = 0;
    java.util.Random rng = new java.util.Random(3);
    for (int i = 0; i < n; i++) {
      if (i / perDay == 6) {
        continue;
      }
      double hour = (i % perDay) / 4.0;
      double sun = Math.max(0, Math.sin(Math.PI * (hour - 6) / 12));
      double cloud = 0.6 + 0.4 * rng.nextDouble();
      ts[k] = T0.plus(Duration.ofMinutes(15L * i)).toEpochMilli();
      irr[k] = 1000 * sun * cloud;
      amb[k] = 15 + 10 * sun + 4 * Math.sin(2 * Math.PI * hour / 24) + 0.2 * rng.nextGaussian();
      power[k] = irr[k] * 4.8 * (1 - 0.004 * (amb[k] + 20 * sun - 25)) + rng.nextGaussian();
      k++;
    }
    cols.put("power_w", power);
    cols.put("irradiance_wm2", irr);
    cols.put("ambient_temp_c", amb);
    ctx.telemetry().write("plant-a", ts, cols);
    ctx.operations().addDevice(ADMIN, "plant-b", DeviceChanges.none().withZone("Asia/Kolkata"));
  }

  @AfterAll
  static void close() {
    ctx.close();
  }

  @Test
  void a_device_lacking_module_temperature_is_ready_with_the_derived_spec_and_trains() {
    ctx.devices().upsert(com.retrainconsole.telemetry.DeviceConfig.of("plant-a"));
    ReadinessReport r = ctx.deviceService().check("plant-a", 30);

    assertTrue(r.ready(), r.advice().toString());
    assertTrue(r.specDerived());
    assertEquals(java.util.List.of("irradiance_wm2", "ambient_temp_c"), r.spec().inputs());
    assertEquals(java.util.List.of(), r.specLacks());
    assertEquals(Duration.ofMinutes(15), r.samplingInterval());
    assertEquals(13 * 96, r.rows());
    assertEquals(1, r.gapCount(), "the missing day is one gap");
    assertEquals(Duration.ofDays(1).plusMinutes(15), r.gaps().get(0).length());
    assertTrue(r.coveragePct() > 92 && r.coveragePct() < 93, "13 of 14 days: " + r.coveragePct());

    var outcome = ctx.operations().retrain(ADMIN, new RetrainRequest("plant-a", 30, null, TrainerKind.CART, true,
        "manual", "readiness test", "tester"), (s, f) -> {});
    assertTrue(outcome.completed(), outcome.run().stored().toJson());
  }

  @Test
  void a_stored_spec_that_needs_a_missing_field_is_not_ready_and_says_what_to_do() {
    ctx.operations().addDevice(ADMIN, "plant-c", DeviceChanges.none());
    long[] ts = {T0.toEpochMilli(), T0.plusSeconds(900).toEpochMilli()};
    ctx.telemetry().write("plant-c", ts, Map.of("power_w", new double[] {1, 2}));
    ctx.devices().replace(ctx.devices().require("plant-c").withFeatureSpec(
        com.retrainconsole.features.FeatureSpec.defaults().toDocument()));

    ReadinessReport r = ctx.deviceService().check("plant-c", 30);

    assertFalse(r.ready());
    assertFalse(r.specDerived());
    assertEquals(java.util.List.of("irradiance_wm2", "ambient_temp_c", "module_temp_c"), r.specLacks());
    assertTrue(r.advice().get(0).contains("--reset-feature-spec"), r.advice().toString());
  }

  @Test
  void a_device_without_readings_is_not_ready_and_points_at_the_way_in() {
    ReadinessReport r = ctx.deviceService().check("plant-b", 30);
    assertFalse(r.ready());
    assertEquals(0, r.rows());
    assertTrue(r.advice().get(0).contains("import-csv"), r.advice().toString());
  }
}

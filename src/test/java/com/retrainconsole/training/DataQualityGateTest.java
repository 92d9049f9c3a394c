package com.retrainconsole.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.retrainconsole.features.FeatureSpec;
import com.retrainconsole.features.SyntheticSolar;
import com.retrainconsole.telemetry.TelemetryWindow;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DataQualityGateTest {
  private static final FeatureSpec SPEC = FeatureSpec.defaults();
  private static final GatePolicy POLICY = GatePolicy.defaults();

  /** 15 days of clean 5-minute readings: 4320 rows, half of them night zeros. */
  private static TelemetryWindow clean() {
    return SyntheticSolar.window(4320, 5, 11, false);
  }

  private static TelemetryWindow with(TelemetryWindow w, String field, double[] values) {
    Map<String, double[]> cols = new LinkedHashMap<>(w.columns());
    cols.put(field, values);
    return new TelemetryWindow(w.deviceId(), w.ts(), cols);
  }

  @Test
  void clean_data_with_night_zeros_passes() {
    TelemetryWindow w = clean();
    long zeros = Arrays.stream(w.column("power_w")).filter(v -> v == 0).count();
    assertTrue(zeros > 1000, "expected long runs of night zeros, got " + zeros);

    GateResult r = DataQualityGate.check(w, SPEC, POLICY);

    assertTrue(r.passed(), r.summary());
    assertEquals(0, r.reasons().size());
  }

  @Test
  void too_few_rows_names_the_count_and_the_minimum() {
    GateResult r = DataQualityGate.check(SyntheticSolar.window(50, 5, 1, false), SPEC, POLICY);

    assertFalse(r.passed());
    assertTrue(r.reasons().contains("only 50 rows in the window, at least 100 needed; widen the window"
        + " or wait for more data"), r.reasons().toString());
  }

  @Test
  void entirely_nan_column_is_named_with_counts() {
    TelemetryWindow w = clean();
    double[] nan = new double[w.size()];
    Arrays.fill(nan, Double.NaN);

    GateResult r = DataQualityGate.check(with(w, "irradiance_wm2", nan), SPEC, POLICY);

    assertFalse(r.passed());
    assertEquals("column irradiance_wm2 is entirely NaN (0 of 4320 values)", r.reasons().get(0));
  }

  @Test
  void a_sensor_frozen_for_hours_mid_window_is_masked_and_warned_not_failed() {
    TelemetryWindow w = clean();
    double[] temp = w.column("module_temp_c").clone();
    int from = 1000;
    int to = 1000 + 48; // 49 readings, 4 h
    Arrays.fill(temp, from, to + 1, 31.5);

    GateResult r = DataQualityGate.check(with(w, "module_temp_c", temp), SPEC, POLICY);

    assertTrue(r.passed(), r.reasons().toString());
    assertEquals(1, r.warnings().size(), r.warnings().toString());
    assertTrue(r.warnings().get(0).contains("longest stuck at 31.5 for 4h00m (49 readings from "
        + Instant.ofEpochMilli(w.ts()[from]) + " to " + Instant.ofEpochMilli(w.ts()[to]) + ")"), r.warnings().get(0));
    double[] cleaned = r.window().column("module_temp_c");
    for (int i = from; i <= to; i++) {
      assertTrue(Double.isNaN(cleaned[i]), "frozen reading " + i + " not masked");
    }
    assertEquals(temp[from - 1], cleaned[from - 1]);
    assertEquals(temp[to + 1], cleaned[to + 1]);
  }

  @Test
  void a_sensor_stuck_up_to_the_newest_reading_fails_the_gate() {
    TelemetryWindow w = clean();
    double[] temp = w.column("module_temp_c").clone();
    int from = w.size() - 49; // the last 4 h
    Arrays.fill(temp, from, w.size(), 31.5);

    GateResult r = DataQualityGate.check(with(w, "module_temp_c", temp), SPEC, POLICY);

    assertFalse(r.passed());
    assertTrue(r.reasons().get(0).startsWith("column module_temp_c is stuck at 31.5 for 4h00m (49 readings from "
        + Instant.ofEpochMilli(w.ts()[from])), r.reasons().get(0));
    assertTrue(r.reasons().get(0).contains("the sensor is stuck now"), r.reasons().get(0));
  }

  @Test
  void frozen_readings_over_the_share_limit_fail_the_gate() {
    TelemetryWindow w = clean();
    double[] temp = w.column("module_temp_c").clone();
    Arrays.fill(temp, 1000, 1000 + 300, 31.5); // 300 of 4320 readings, 6.9 %

    GateResult r = DataQualityGate.check(with(w, "module_temp_c", temp), SPEC, POLICY);

    assertFalse(r.passed());
    assertTrue(r.reasons().get(0).contains("300 readings (6.9%) masked"), r.reasons().get(0));
    assertTrue(r.reasons().get(0).contains("more than 5.0% of the window"), r.reasons().get(0));
  }

  @Test
  void nan_burst_is_reported_with_its_duration() {
    TelemetryWindow w = clean();
    double[] power = w.column("power_w").clone();
    Arrays.fill(power, 2000, 2000 + 180, Double.NaN); // 15 h of 5-minute readings

    GateResult r = DataQualityGate.check(with(w, "power_w", power), SPEC, POLICY);

    assertFalse(r.passed());
    assertEquals(1, r.reasons().size(), r.reasons().toString());
    assertTrue(r.reasons().get(0).startsWith("column power_w has no values for 15h05m (180 NaN readings"
        + " from " + Instant.ofEpochMilli(w.ts()[2000])), r.reasons().get(0));
  }

  @Test
  void scattered_nans_over_the_share_threshold_fail() {
    TelemetryWindow w = clean();
    double[] amb = w.column("ambient_temp_c").clone();
    for (int i = 0; i < amb.length; i += 2) {
      amb[i] = Double.NaN;
    }

    GateResult r = DataQualityGate.check(with(w, "ambient_temp_c", amb), SPEC, POLICY);

    assertFalse(r.passed());
    assertEquals(
        "column ambient_temp_c is 50.0% NaN (2160 of 4320 values), more than 30.0%", r.reasons().get(0));
  }
}

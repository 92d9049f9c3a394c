package com.retrainconsole.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.retrainconsole.common.UserException;
import com.retrainconsole.telemetry.TelemetryWindow;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FeatureBuilderTest {
  private static final long MIN = 60_000L;
  private static final double EPS = 1e-9;

  private static TelemetryWindow tiny(long[] minutes, double[] p, double[] g) {
    long[] ts = Arrays.stream(minutes).map(m -> m * MIN).toArray();
    Map<String, double[]> cols = new LinkedHashMap<>();
    cols.put("p", p);
    cols.put("g", g);
    return new TelemetryWindow("d", ts, cols);
  }

  private static double[] column(FeatureMatrix m, String name) {
    int j = Arrays.asList(m.names()).indexOf(name);
    assertTrue(j >= 0, "no feature " + name + " in " + Arrays.toString(m.names()));
    return Arrays.stream(m.x()).mapToDouble(r -> r[j]).toArray();
  }

  @Test
  void lags_by_time_skip_a_gap_instead_of_shifting_and_rolling_windows_match_hand_values() {
    // readings at 0,10,20,30 then a gap, then 60,70 minutes
    TelemetryWindow w = tiny(new long[] {0, 10, 20, 30, 60, 70},
        new double[] {1, 2, 3, 4, 5, 6}, new double[] {10, 20, 40, 40, 50, 80});
    FeatureSpec spec = new FeatureSpec("p", List.of("g"), false, false,
        List.of(new FeatureSpec.Lag("p", Duration.ofMinutes(10))),
        List.of(new FeatureSpec.Rolling("g", Duration.ofMinutes(20))), Duration.ofMinutes(2));

    FeatureBuilder.Built built = FeatureBuilder.buildWithReport(w, spec, ZoneOffset.UTC);
    FeatureMatrix m = built.matrix();

    assertEquals(List.of("g", "p_lag_10m", "g_mean_20m", "g_std_20m"), List.of(m.names()));
    // row 0 has no reading 10 min earlier; row at 60 min would need one at 50 min (the gap): both dropped
    assertArrayEquals(new long[] {10 * MIN, 20 * MIN, 30 * MIN, 70 * MIN}, m.ts());
    assertArrayEquals(new double[] {2, 3, 4, 6}, m.y(), EPS);
    assertArrayEquals(new double[] {1, 2, 3, 5}, column(m, "p_lag_10m"), EPS);
    // trailing (t-20min, t]: {10,20} {20,40} {40,40} {50,80}
    assertArrayEquals(new double[] {15, 30, 40, 65}, column(m, "g_mean_20m"), EPS);
    assertArrayEquals(new double[] {5, 10, 0, 15}, column(m, "g_std_20m"), EPS);
    assertEquals(2, built.droppedMissingFeature());
    assertEquals(Map.of("p_lag_10m", 2), built.missingByFeature());
  }

  @Test
  void rolling_window_on_the_target_excludes_the_current_reading() {
    TelemetryWindow w = tiny(new long[] {0, 10, 20}, new double[] {1, 3, 8}, new double[] {0, 0, 0});
    FeatureSpec spec = new FeatureSpec("p", List.of(), false, false, List.of(),
        List.of(new FeatureSpec.Rolling("p", Duration.ofMinutes(30))), null);

    FeatureMatrix m = FeatureBuilder.build(w, spec, ZoneOffset.UTC);

    // row 0 has nothing before it: dropped; row 10 sees {1}; row 20 sees {1,3} but not its own 8
    assertArrayEquals(new double[] {3, 8}, m.y(), EPS);
    assertArrayEquals(new double[] {1, 2}, column(m, "p_mean_30m"), EPS);
    assertArrayEquals(new double[] {0, 1}, column(m, "p_std_30m"), EPS);
  }

  @Test
  void rows_without_target_are_dropped_and_nan_inputs_are_reported() {
    TelemetryWindow w = tiny(new long[] {0, 10, 20, 30},
        new double[] {1, Double.NaN, 3, 4}, new double[] {5, 6, Double.NaN, 8});
    FeatureSpec spec = new FeatureSpec("p", List.of("g"), false, false, List.of(), List.of(), null);

    FeatureBuilder.Built built = FeatureBuilder.buildWithReport(w, spec, ZoneOffset.UTC);

    assertArrayEquals(new double[] {1, 4}, built.matrix().y(), EPS);
    assertEquals(1, built.droppedNoTarget());
    assertEquals(1, built.droppedMissingFeature());
    assertTrue(built.summary().contains("2 of 4 rows usable"), built.summary());
  }

  @Test
  void time_features_use_local_time_of_the_device_zone_across_daylight_saving() {
    ZoneId madrid = ZoneId.of("Europe/Madrid");
    long winter = Instant.parse("2026-01-01T05:00:00Z").toEpochMilli(); // 06:00 local (UTC+1)
    long summer = Instant.parse("2026-07-01T10:00:00Z").toEpochMilli(); // 12:00 local (UTC+2)

    double[][] f = FeatureBuilder.timeFeatures(new long[] {winter, summer}, madrid);

    assertEquals(1.0, f[0][0], EPS); // sin(2π·0.25)
    assertEquals(0.0, f[1][0], EPS);
    assertEquals(0.0, f[0][1], EPS); // sin(2π·0.5)
    assertEquals(-1.0, f[1][1], EPS);
    double doyWinter = 2 * Math.PI * (0 + 0.25) / 365;
    double doySummer = 2 * Math.PI * (181 + 0.5) / 365; // 1 July 2026 is day 182
    assertEquals(Math.sin(doyWinter), f[2][0], EPS);
    assertEquals(Math.cos(doyWinter), f[3][0], EPS);
    assertEquals(Math.sin(doySummer), f[2][1], EPS);
    assertEquals(Math.cos(doySummer), f[3][1], EPS);
  }

  @Test
  void changing_later_readings_never_changes_earlier_rows() {
    TelemetryWindow w = SyntheticSolar.window(3000, 5, 1, true);
    FeatureSpec spec = FeatureSpec.defaults();
    FeatureMatrix before = FeatureBuilder.build(w, spec, SyntheticSolar.ZONE);

    int cut = 2000;
    Map<String, double[]> changed = new LinkedHashMap<>();
    for (Map.Entry<String, double[]> e : w.columns().entrySet()) {
      double[] v = e.getValue().clone();
      for (int i = cut; i < v.length; i++) {
        v[i] = v[i] * 3 + 100;
      }
      changed.put(e.getKey(), v);
    }
    FeatureMatrix after = FeatureBuilder.build(
        new TelemetryWindow(w.deviceId(), w.ts(), changed), spec, SyntheticSolar.ZONE);

    long cutTs = w.ts()[cut];
    int compared = 0;
    for (int r = 0; r < before.size() && before.ts()[r] < cutTs; r++) {
      assertEquals(before.ts()[r], after.ts()[r]);
      assertArrayEquals(before.x()[r], after.x()[r], 0.0, "row at " + Instant.ofEpochMilli(before.ts()[r]));
      compared++;
    }
    assertTrue(compared > 1000, "compared " + compared);
  }

  @Test
  void naive_is_the_target_one_day_earlier_and_nan_when_unknown() {
    long[] ts = {0, 60 * MIN, 24 * 60 * MIN, 25 * 60 * MIN + 1 * MIN};
    Map<String, double[]> cols = new LinkedHashMap<>();
    cols.put("p", new double[] {7, 9, 11, 13});
    FeatureSpec spec = new FeatureSpec("p", List.of(), true, false, List.of(), List.of(),
        Duration.ofMinutes(5));

    FeatureMatrix m = FeatureBuilder.build(new TelemetryWindow("d", ts, cols), spec, ZoneOffset.UTC);

    assertTrue(Double.isNaN(m.naive()[0]));
    assertTrue(Double.isNaN(m.naive()[1]));
    assertEquals(7, m.naive()[2], EPS);
    assertEquals(9, m.naive()[3], EPS); // 1 min off, within the 5 min tolerance
  }

  @Test
  void default_lag_tolerance_is_half_the_median_interval() {
    // 10-min readings; a lag of 10 min wanted at 24 min lands 4 min from 10: within 5 min tolerance
    TelemetryWindow w = tiny(new long[] {0, 10, 20, 24, 30, 40}, new double[] {1, 2, 3, 4, 5, 6},
        new double[] {0, 0, 0, 0, 0, 0});
    FeatureSpec spec = new FeatureSpec("p", List.of(), false, false,
        List.of(new FeatureSpec.Lag("g", Duration.ofMinutes(10)), new FeatureSpec.Lag("p", Duration.ofMinutes(16))),
        List.of(), null);

    FeatureBuilder.Built built = FeatureBuilder.buildWithReport(w, spec, ZoneOffset.UTC);

    assertEquals(Duration.ofMinutes(5), built.lagTolerance());
    // p lag 16m: at 20 wants 4 (0 is 4 away), at 24 wants 8 (10), at 30 wants 14 (10), at 40 wants 24
    assertArrayEquals(new long[] {20 * MIN, 24 * MIN, 30 * MIN, 40 * MIN}, built.matrix().ts());
    assertArrayEquals(new double[] {1, 2, 2, 4}, column(built.matrix(), "p_lag_16m"), EPS);
  }

  @Test
  void missing_field_fails_naming_it_and_listing_available_fields() {
    TelemetryWindow w = tiny(new long[] {0, 10}, new double[] {1, 2}, new double[] {1, 2});
    UserException e = assertThrows(UserException.class,
        () -> FeatureBuilder.build(w, FeatureSpec.defaults(), ZoneOffset.UTC));
    assertTrue(e.getMessage().contains("power_w"), e.getMessage());
    assertTrue(e.getMessage().contains("irradiance_wm2"), e.getMessage());
    assertTrue(e.getMessage().contains("available fields: [g, p]"), e.getMessage());
  }
}

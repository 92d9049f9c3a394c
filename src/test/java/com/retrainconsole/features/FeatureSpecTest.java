package com.retrainconsole.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.retrainconsole.common.UserException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.bson.Document;
import org.junit.jupiter.api.Test;

class FeatureSpecTest {
  @Test
  void json_round_trip_keeps_every_field_with_snake_case_names() {
    FeatureSpec spec = new FeatureSpec("power_w", List.of("irradiance_wm2"), true, false,
        List.of(new FeatureSpec.Lag("power_w", Duration.ofHours(24))),
        List.of(new FeatureSpec.Rolling("irradiance_wm2", Duration.ofMinutes(90))),
        Duration.ofMinutes(3));

    String json = spec.toJson();

    assertTrue(json.contains("\"time_of_day\":true"), json);
    assertTrue(json.contains("\"lag_tolerance\":\"PT3M\""), json);
    assertTrue(json.contains("\"window\":\"PT1H30M\""), json);
    assertEquals(spec, FeatureSpec.fromJson(json));
    assertEquals(FeatureSpec.defaults(), FeatureSpec.fromJson(FeatureSpec.defaults().toJson()));
  }

  @Test
  void document_round_trip_gives_the_same_spec() {
    Document doc = FeatureSpec.defaults().toDocument();
    assertEquals("power_w", doc.getString("target"));
    assertEquals(FeatureSpec.defaults(), FeatureSpec.fromDocument(doc));
  }

  @Test
  void invalid_json_is_a_user_error() {
    UserException e = assertThrows(UserException.class, () -> FeatureSpec.fromJson("{\"target\": 3, "));
    assertTrue(e.getMessage().startsWith("feature spec JSON is invalid"), e.getMessage());
  }

  @Test
  void validate_names_missing_fields_and_lists_available_ones() {
    UserException e = assertThrows(UserException.class,
        () -> FeatureSpec.defaults().validate(Set.of("power_w", "irradiance_wm2", "ambient_temp_c")));
    assertEquals("feature spec needs field(s) [module_temp_c] that the telemetry lacks; available fields:"
        + " [ambient_temp_c, irradiance_wm2, power_w]. Fix the device's column mapping or edit the"
        + " feature spec.", e.getMessage());
  }

  @Test
  void target_among_inputs_and_non_positive_lags_are_refused() {
    assertThrows(UserException.class,
        () -> new FeatureSpec("power_w", List.of("power_w"), true, true, List.of(), List.of(), null));
    assertThrows(UserException.class, () -> new FeatureSpec.Lag("power_w", Duration.ZERO));
  }

  @Test
  void default_feature_names_are_stable() {
    assertEquals(List.of("irradiance_wm2", "ambient_temp_c", "module_temp_c", "tod_sin", "tod_cos",
        "doy_sin", "doy_cos", "power_w_lag_1h", "power_w_lag_24h", "irradiance_wm2_lag_15m",
        "irradiance_wm2_mean_1h", "irradiance_wm2_std_1h", "irradiance_wm2_mean_3h",
        "irradiance_wm2_std_3h"), FeatureSpec.defaults().featureNames());
  }

  @Test
  void the_derived_spec_uses_only_the_fields_a_device_has() {
    FeatureSpec full = FeatureSpec.derived("power_w",
        Set.of("power_w", "irradiance_wm2", "ambient_temp_c", "module_temp_c", "wind_speed_ms"), false);
    assertEquals(List.of("irradiance_wm2", "ambient_temp_c", "module_temp_c"), full.inputs());
    assertEquals(FeatureSpec.defaults().featureNames(), full.featureNames(),
        "with every field present the derived spec is the long-standing default");

    FeatureSpec noModule = FeatureSpec.derived("power_w", Set.of("power_w", "irradiance_wm2", "ambient_temp_c"), false);
    assertEquals(List.of("irradiance_wm2", "ambient_temp_c"), noModule.inputs());
    noModule.validate(Set.of("power_w", "irradiance_wm2", "ambient_temp_c")); // train's check passes

    FeatureSpec powerOnly = FeatureSpec.derived("power_w", Set.of("power_w"), false);
    assertEquals(List.of(), powerOnly.inputs());
    assertEquals(List.of("power_w_lag_1h", "power_w_lag_24h"), powerOnly.lags().stream()
        .map(FeatureSpec.Lag::featureName).toList());
    assertTrue(powerOnly.rolling().isEmpty(), "no irradiance, no rolling irradiance");
    assertTrue(powerOnly.timeOfDay() && powerOnly.dayOfYear());
  }

  @Test
  void a_forecast_never_lags_its_target() {
    FeatureSpec forecast = FeatureSpec.derived("power_w", Set.of("power_w", "irradiance_wm2"), true);
    assertTrue(forecast.lags().stream().noneMatch(l -> l.field().equals("power_w")), forecast.toJson());
    assertEquals(List.of("irradiance_wm2_lag_15m"), forecast.lags().stream().map(FeatureSpec.Lag::featureName).toList());
  }

  @Test
  void a_new_target_takes_its_lags_along_and_leaves_the_inputs() {
    FeatureSpec moved = FeatureSpec.defaults().withInputs(List.of("irradiance_wm2", "module_temp_c"))
        .withTarget("module_temp_c");
    assertEquals("module_temp_c", moved.target());
    assertEquals(List.of("irradiance_wm2"), moved.inputs());
    assertTrue(moved.lags().stream().anyMatch(l -> l.featureName().equals("module_temp_c_lag_1h")));
  }
}

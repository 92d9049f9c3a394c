package com.retrainconsole.comparison;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.retrainconsole.common.Json;
import com.retrainconsole.features.FeatureSpec;
import com.retrainconsole.registry.DataWindow;
import com.retrainconsole.registry.MetricsDoc;
import com.retrainconsole.registry.ModelMeta;
import com.retrainconsole.registry.Stage;
import com.retrainconsole.training.TrainerKind;
import com.retrainconsole.training.TrainerParams;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VersionDiffTest {
  static final Instant T0 = Instant.parse("2026-11-20T06:00:00Z");

  static ModelMeta meta(String version, Map<String, Object> params, FeatureSpec spec, DataWindow data,
      MetricsDoc metrics, Instant created) {
    JsonNode specJson = spec == null ? null : Json.MAPPER.valueToTree(spec);
    return new ModelMeta(version, "tracker01", "run-" + version, created, (String) params.get("trainer"), params,
        specJson, data, metrics, null, ModelMeta.CHAMPION_NAIVE, null, null, "sha", 10, Stage.CANDIDATE, List.of(),
        null, null, List.of());
  }

  static Map<String, Object> params(TrainerParams p) {
    // as read back from a meta file: JSON numbers
    return new LinkedHashMap<>(Json.MAPPER.convertValue(p.toMap(), Map.class));
  }

  static Map<String, VersionDiff.Row> byField(VersionDiff d) {
    Map<String, VersionDiff.Row> out = new LinkedHashMap<>();
    d.rows().forEach(r -> out.put(r.section() + "/" + r.field(), r));
    return out;
  }

  @Test
  void rows_differ_exactly_where_trainer_params_feature_spec_data_or_metrics_differ() {
    FeatureSpec spec = FeatureSpec.defaults();
    FeatureSpec fewerLags = new FeatureSpec(spec.target(), spec.inputs(), spec.timeOfDay(), spec.dayOfYear(),
        List.of(new FeatureSpec.Lag("power_w", Duration.ofHours(1))), spec.rolling(), spec.lagTolerance());
    TrainerParams cart = TrainerParams.defaults(TrainerKind.CART);
    ModelMeta a = meta("v-a", params(cart), spec,
        new DataWindow(T0, T0.plus(Duration.ofDays(5)), 480, 384, 96), new MetricsDoc(120.04, 180.0, 0.91234, 96),
        T0.plus(Duration.ofDays(5)));
    ModelMeta b = meta("v-b", params(cart.withMaxDepth(cart.maxDepth() + 2)), fewerLags,
        new DataWindow(T0, T0.plus(Duration.ofDays(6)), 576, 460, 116), new MetricsDoc(120.01, 175.55, 0.91234, 116),
        T0.plus(Duration.ofDays(6)));

    VersionDiff d = VersionDiff.of(a, b, ZoneOffset.UTC);
    Map<String, VersionDiff.Row> rows = byField(d);
    assertEquals("v-a", d.versionA());
    assertEquals("v-b", d.versionB());

    VersionDiff.Row depth = rows.get("TRAINER/max_depth");
    assertTrue(depth.differs(), depth.toString());
    assertEquals(String.valueOf(cart.maxDepth()), depth.a(), "whole numbers read as integers");
    assertFalse(rows.get("TRAINER/Trainer").differs());
    assertFalse(rows.get("TRAINER/seed").differs(), "the seed is recorded in the params");
    assertEquals(String.valueOf(cart.seed()), rows.get("TRAINER/seed").a());

    VersionDiff.Row lags = rows.get("FEATURES/lags");
    assertTrue(lags.differs());
    assertEquals("power_w 1h, power_w 24h, irradiance_wm2 15m", lags.a());
    assertEquals("power_w 1h", lags.b());
    assertFalse(rows.get("FEATURES/target").differs());
    assertFalse(rows.get("FEATURES/rolling").differs());

    assertFalse(rows.get("DATA/From").differs());
    assertEquals("2026-11-20 06:00:00", rows.get("DATA/From").a());
    assertTrue(rows.get("DATA/Until").differs());
    assertEquals("384", rows.get("DATA/Training rows").a());
    assertTrue(rows.get("DATA/Test rows").differs());

    // compared as displayed: 120.04 and 120.01 W are both "120.0 W"
    assertFalse(rows.get("METRICS/MAE").differs(), rows.get("METRICS/MAE").toString());
    assertEquals("120.0 W", rows.get("METRICS/MAE").a());
    assertTrue(rows.get("METRICS/RMSE").differs());
    assertEquals("0.912", rows.get("METRICS/R²").b());
    assertEquals("naive baseline (same time yesterday)", rows.get("METRICS/Compared with").a());

    assertEquals("not recorded", rows.get("VERSION/App version").a());
    assertFalse(rows.get("VERSION/App version").differs());

    List<VersionDiff.Row> diffs = d.differences();
    assertTrue(diffs.stream().allMatch(VersionDiff.Row::differs));
    assertEquals(d.rows().stream().filter(VersionDiff.Row::differs).count(), diffs.size());
    assertTrue(diffs.size() < d.rows().size(), "equal rows are left out of the differences");
  }

  @Test
  void a_field_only_one_version_records_shows_as_missing_on_the_other_side() {
    Map<String, Object> withApp = params(TrainerParams.defaults(TrainerKind.CART));
    withApp.put(ModelMeta.APP_VERSION_PARAM, "1.4.0");
    ModelMeta a = meta("v-a", params(TrainerParams.defaults(TrainerKind.CART)), FeatureSpec.defaults(), null, null,
        T0);
    Map<String, Object> forest = params(TrainerParams.defaults(TrainerKind.FOREST));
    forest.put(ModelMeta.APP_VERSION_PARAM, "1.4.0");
    ModelMeta b = meta("v-b", forest, null, new DataWindow(T0, T0, 1, 1, 0), new MetricsDoc(1, 2, 0.5, 3), T0);

    Map<String, VersionDiff.Row> rows = byField(VersionDiff.of(a, b, ZoneOffset.UTC));
    assertEquals(VersionDiff.MISSING, rows.get("DATA/Rows").a());
    assertEquals("1", rows.get("DATA/Rows").b());
    assertEquals(VersionDiff.MISSING, rows.get("METRICS/MAE").a());
    assertEquals(VersionDiff.MISSING, rows.get("FEATURES/target").b(), "b has no feature spec");
    assertEquals("1.4.0", rows.get("VERSION/App version").b());
    assertTrue(rows.get("VERSION/App version").differs());
    assertTrue(rows.get("TRAINER/Trainer").differs());
    assertFalse(rows.containsKey("TRAINER/" + ModelMeta.APP_VERSION_PARAM), "shown once, under Version");
  }

  @Test
  void iso_durations_read_short() {
    assertEquals("1h30m", VersionDiff.duration("PT1H30M"));
    assertEquals("2d", VersionDiff.duration("P2D"));
    assertEquals("0s", VersionDiff.duration("PT0S"));
    assertEquals("24h", VersionDiff.duration("PT24H"));
    assertEquals("Power", VersionDiff.duration("Power"));
    assertEquals("PTX", VersionDiff.duration("PTX"));
  }
}

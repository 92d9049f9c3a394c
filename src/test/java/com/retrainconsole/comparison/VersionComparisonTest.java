package com.retrainconsole.comparison;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.retrainconsole.settings.AppConfig;
import com.retrainconsole.app.AppContext;
import com.retrainconsole.audit.PointerMove;
import com.retrainconsole.common.UserException;
import com.retrainconsole.retrain.RetrainRequest;
import com.retrainconsole.store.Store;
import com.retrainconsole.telemetry.Simulator;
import com.retrainconsole.telemetry.SimulatorConfig;
import com.retrainconsole.telemetry.TelemetrySources;
import com.retrainconsole.training.TrainerKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two real CART versions of one simulated tracker, compared on its newest three days. */
class VersionComparisonTest {
  static Path root;
  static AppContext ctx;
  static String older;
  static String newer;

  @BeforeAll
  static void two_versions_trained_on_simulated_telemetry() throws IOException {
    root = Files.createTempDirectory("comparison");
    Clock clock = Clock.systemUTC();
    ctx = AppContext.open(new AppConfig(null, root.resolve("data"), root.resolve("models")), Store.openInMemory(),
        clock);
    Instant end = clock.instant().atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).toInstant();
    Simulator.simulate(ctx.store(), SimulatorConfig.defaults(List.of("tracker01"), end).withDays(7)
        .withInterval(Duration.ofMinutes(15)), (s, f) -> {});
    // 5 days: Tribuo's binned CART fails below 255 distinct values per feature (4 days at 15 min)
    older = train(5, end.minus(Duration.ofDays(1)));
    newer = train(5, null);
    // the newer one may or may not beat the champion; keep the older in service so there is a pointer move
    if (!ctx.registry().current("tracker01").map(p -> p.version().equals(newer)).orElse(false)) {
      ctx.registry().promote("tracker01", newer, "test", "compare both");
    }
  }

  private static String train(int days, Instant until) {
    var outcome = ctx.retrain().run(new RetrainRequest("tracker01", days, until, TrainerKind.CART, false, "manual",
        "fixture", "test"), (s, f) -> {});
    if (!outcome.completed()) {
      throw new IllegalStateException("fixture model did not train: " + outcome.run().stored().toJson());
    }
    return ctx.registry().list("tracker01").get(0).version();
  }

  @AfterAll
  static void close() throws IOException {
    ctx.close();
    try (Stream<Path> files = Files.walk(root)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private static VersionComparison comparison() {
    return new VersionComparison(ctx.registry(), ctx.devices()::require,
        d -> TelemetrySources.forDevice(ctx.store(), d));
  }

  @Test
  void comparing_two_real_versions_predicts_both_on_identical_timestamps_with_residual_actual_minus_predicted() {
    assertNotEquals(older, newer);
    VersionComparison.Result r = comparison().compare("tracker01", List.of(older, newer), Duration.ofDays(3),
        (s, f) -> {});

    assertEquals(List.of(older, newer), r.versions().stream().map(VersionComparison.VersionResult::version).toList());
    assertTrue(r.ts().length > 200, "3 days at 15 min should give ~280 rows, got " + r.ts().length);
    assertEquals(r.ts().length, r.actual().length);
    for (int i = 1; i < r.ts().length; i++) {
      assertTrue(r.ts()[i] > r.ts()[i - 1], "timestamps ascend");
    }
    assertTrue(r.ts()[0] >= r.from().toEpochMilli() && r.ts()[r.ts().length - 1] < r.to().toEpochMilli());
    for (VersionComparison.VersionResult v : r.versions()) {
      assertEquals(r.ts().length, v.predicted().length);
      for (int i = 0; i < r.ts().length; i++) {
        assertEquals(r.actual()[i] - v.predicted()[i], v.residual()[i], 1e-9);
      }
      assertEquals(r.ts().length, v.windowMetrics().n());
      assertTrue(v.windowMetrics().finite(), v.windowMetrics().toString());
    }
    // two differently trained trees do not predict the same thing everywhere
    assertFalse(java.util.Arrays.equals(r.versions().get(0).predicted(), r.versions().get(1).predicted()));
  }

  @Test
  void error_by_hour_of_day_has_24_slots_that_add_up_to_the_window_mae() {
    VersionComparison.Result r = comparison().compare("tracker01", List.of(newer), Duration.ofDays(3),
        (s, f) -> {});
    VersionComparison.VersionResult v = r.versions().get(0);
    assertEquals(24, v.maeByHour().length);
    assertEquals(24, v.rowsByHour().length);
    double sum = 0;
    int rows = 0;
    for (int h = 0; h < 24; h++) {
      assertTrue(v.rowsByHour()[h] > 0, "15-min readings over 3 days cover hour " + h);
      sum += v.maeByHour()[h] * v.rowsByHour()[h];
      rows += v.rowsByHour()[h];
    }
    assertEquals(r.ts().length, rows);
    assertEquals(v.windowMetrics().mae(), sum / rows, 1e-6);
    assertFalse(v.featureImportance().isEmpty(), "a CART model reports feature importance");
  }

  @Test
  void a_version_whose_file_no_longer_matches_its_sha256_is_refused() throws IOException {
    Path file = ctx.registry().modelFile("tracker01", older);
    byte[] original = Files.readAllBytes(file);
    try {
      byte[] tampered = original.clone();
      tampered[tampered.length / 2] ^= 0x5a;
      Files.write(file, tampered);
      UserException e = assertThrows(UserException.class, () -> comparison().compare("tracker01",
          List.of(older, newer), Duration.ofDays(3), (s, f) -> {}));
      assertTrue(e.getMessage().contains("sha256"), e.getMessage());
    } finally {
      Files.write(file, original);
    }
  }

  @Test
  void history_lists_versions_oldest_first_with_the_pointer_moves_and_the_version_in_service() {
    VersionHistory h = VersionHistory.load(ctx.registry(), ctx.audit(), "tracker01");
    assertEquals(List.of(older, newer), h.versions().stream().map(VersionPoint::version).toList());
    assertEquals(newer, h.currentVersion());
    assertTrue(h.find(newer).inService());
    assertFalse(h.find(older).inService());
    assertEquals(Optional.of(newer), h.moves().stream().reduce((a, b) -> b).map(PointerMove::toVersion));
    assertTrue(h.moves().stream().allMatch(m -> PointerMove.isPointerAction(m.action())));
    assertTrue(Double.isFinite(h.find(older).metric(Metric.MAE)));
    assertArrayEquals(new String[] {"MAE (W)", "RMSE (W)", "R²"},
        java.util.Arrays.stream(Metric.values()).map(Metric::axisLabel).toArray());
  }
}

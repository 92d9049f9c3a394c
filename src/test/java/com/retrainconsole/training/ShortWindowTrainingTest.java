package com.retrainconsole.training;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.retrainconsole.settings.AppConfig;
import com.retrainconsole.app.AppContext;
import com.retrainconsole.retrain.RetrainRequest;
import com.retrainconsole.store.Store;
import com.retrainconsole.telemetry.Simulator;
import com.retrainconsole.telemetry.SimulatorConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShortWindowTrainingTest {
  @TempDir Path dir;

  @Test
  void cart_trains_on_a_window_with_fewer_observations_per_feature_than_bins() {
    try (AppContext ctx = AppContext.open(new AppConfig(null, dir.resolve("data"), dir.resolve("models")),
        Store.openInMemory(), Clock.systemUTC())) {
      Instant end = Instant.parse("2026-06-20T00:00:00Z");
      // 4 days at 15 min: ~220 training rows, and night-time zeros are absent from Tribuo's sparse rows,
      // so some features are seen fewer than 255 times (this failed with "Needs more values than bins")
      Simulator.simulate(ctx.store(), SimulatorConfig.defaults(List.of("t1"), end).withDays(4)
          .withInterval(Duration.ofMinutes(15)), (s, f) -> {});
      var out = ctx.retrain().run(new RetrainRequest("t1", 4, null, TrainerKind.CART, false, "manual", "test",
          "test"), (s, f) -> {});
      assertTrue(out.completed(), out.run().stored().toJson());
    }
  }
}

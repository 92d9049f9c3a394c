package com.retrainconsole.retrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.retrainconsole.settings.AppConfig;
import com.retrainconsole.app.AppContext;
import com.retrainconsole.common.ProgressListener;
import com.retrainconsole.runs.RunStatus;
import com.retrainconsole.store.Store;
import com.retrainconsole.telemetry.Simulator;
import com.retrainconsole.telemetry.SimulatorConfig;
import com.retrainconsole.training.TrainerKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console cancels an inline retrain by interrupting its thread; the run must still be closed. */
class RetrainInterruptTest {
  @TempDir Path dir;

  @Test
  void an_interrupt_landing_inside_a_store_call_closes_the_run_as_cancelled_and_keeps_the_flag() {
    AppConfig config = new AppConfig(null, dir, dir.resolve("models"));
    try (AppContext ctx = AppContext.open(config, Store.openInMemory(), Clock.systemUTC())) {
      Simulator.simulate(ctx.store(), new SimulatorConfig(List.of("t1"), Instant.parse("2026-04-01T00:00:00Z"), 5,
          Duration.ofMinutes(15), 7, 37.1, -3.6), ProgressListener.NONE);
      // interrupt from inside the pipeline, right before the run record's progress write for "train"
      ProgressListener interruptAtTrain = (stage, fraction) -> {
        if (stage.equals("train") && fraction == 0.0) {
          Thread.currentThread().interrupt();
        }
      };

      RetrainOutcome outcome = ctx.retrain().run(
          new RetrainRequest("t1", 5, null, TrainerKind.CART, false, "manual", "test", "tester"), interruptAtTrain);

      boolean flagKept = Thread.interrupted();
      assertEquals(RunStatus.CANCELLED, outcome.status(), outcome.run().stored().toJson());
      assertTrue(flagKept, "the caller must still see the interrupt");
      assertEquals("cancelled", ctx.runs().require(outcome.run().runId()).getString("status"));
      assertFalse(Files.exists(dir.resolve("models").resolve("t1").resolve("current_model.json")));
    }
  }
}

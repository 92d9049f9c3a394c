package com.retrainconsole.ui;

import com.retrainconsole.app.AppContext;
import com.retrainconsole.common.ProgressListener;
import com.retrainconsole.retrain.RetrainOutcome;
import com.retrainconsole.retrain.RetrainRequest;
import com.retrainconsole.telemetry.Simulator;
import com.retrainconsole.telemetry.SimulatorConfig;
import com.retrainconsole.training.TrainerKind;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * First-start demo data, as the CLI's {@code demo} command does it but through the core services directly
 * (the console never calls the CLI): simulated trackers, then a first model per device.
 */
public record DemoData(List<String> devices, int days, Duration interval, TrainerKind trainer) {
  public static DemoData defaults() {
    return new DemoData(List.of("tracker01", "tracker02", "tracker03"), SimulatorConfig.DEFAULT_DAYS,
        SimulatorConfig.DEFAULT_INTERVAL, TrainerKind.DEFAULT);
  }

  /** Simulates and trains; returns the runs that did not complete (empty when all went well). Blocking. */
  public List<RetrainOutcome> load(AppContext ctx, ProgressListener progress) {
    var end = ctx.clock().instant().atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).toInstant();
    SimulatorConfig config = SimulatorConfig.defaults(devices, end).withDays(days).withInterval(interval);
    Simulator.simulate(ctx.store(), config, progress);
    List<RetrainOutcome> failed = new ArrayList<>();
    String actor = System.getProperty("user.name", "demo");
    for (String device : devices) {
      if (Thread.currentThread().isInterrupted()) {
        break;
      }
      RetrainOutcome o = ctx.retrain().run(new RetrainRequest(device, days, null, trainer, false, "manual",
          "first model for the demo data", actor), (stage, f) -> progress.update(device + ": " + stage, f));
      if (!o.completed()) {
        failed.add(o);
      }
    }
    return failed;
  }
}

package com.retrainconsole.ui;

import com.retrainconsole.access.Actor;
import com.retrainconsole.services.Services;
import com.retrainconsole.common.ProgressListener;
import com.retrainconsole.retrain.RetrainOutcome;
import com.retrainconsole.retrain.RetrainRequest;
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

  /**
   * Simulates and trains as {@code actor} (through Operations, so a role that may not add devices is
   * refused); returns the runs that did not complete (empty when all went well). Blocking.
   */
  public List<RetrainOutcome> load(Services ctx, Actor actor, ProgressListener progress) {
    var end = ctx.clock().instant().atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).toInstant();
    SimulatorConfig config = SimulatorConfig.defaults(devices, end).withDays(days).withInterval(interval);
    ctx.operations().simulateDevices(actor, config, progress);
    List<RetrainOutcome> failed = new ArrayList<>();
    for (String device : devices) {
      if (Thread.currentThread().isInterrupted()) {
        break;
      }
      RetrainOutcome o = ctx.operations().retrain(actor, new RetrainRequest(device, days, null, trainer, false,
          "manual", "first model for the demo data", actor.user()), (stage, f) -> progress.update(device + ": " + stage,
          f));
      if (!o.completed()) {
        failed.add(o);
      }
    }
    return failed;
  }
}

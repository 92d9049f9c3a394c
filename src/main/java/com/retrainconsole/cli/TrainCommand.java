package com.retrainconsole.cli;

import com.retrainconsole.access.Actor;
import com.retrainconsole.services.Services;
import com.retrainconsole.retrain.RetrainOutcome;
import com.retrainconsole.retrain.RetrainRequest;
import com.retrainconsole.training.TrainerKind;
import java.time.Instant;
import com.retrainconsole.runs.Enqueued;
import com.retrainconsole.runs.RunRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Retrain one device now: load, check, train, compare with the model in service, maybe promote.")
final class TrainCommand extends StoreCommand {
  @Option(names = "--device", required = true, paramLabel = "ID", description = "Device to retrain.")
  String device;

  @Option(names = "--days", defaultValue = "" + RetrainRequest.DEFAULT_DAYS, paramLabel = "N",
      description = "Days of telemetry up to --until (default: ${DEFAULT-VALUE}).")
  int days;

  @Option(names = "--until", paramLabel = "TIME", converter = InstantConverter.class,
      description = "End of the window, ISO-8601 (default: the device's newest reading).")
  Instant until;

  @Option(names = "--trainer", defaultValue = "xgboost", paramLabel = "KIND", converter = TrainerKindConverter.class,
      description = "cart | forest | xgboost (default: ${DEFAULT-VALUE}).")
  TrainerKind trainer;

  @Option(names = "--dry-run", description = "Do everything but write the model and the pointer.")
  boolean dryRun;

  @Option(names = "--queue", description = "Enqueue the run for the scheduler service instead of running it here; prints its run_id.")
  boolean queue;

  @Override
  int call(Services ctx, Output out) {
    Actor actor = actor(ctx);
    RetrainRequest req = new RetrainRequest(device, days, until, trainer, dryRun, "manual",
        queue ? "train --queue" : "train command", actor.user());
    if (queue) {
      ctx.devices().require(device);
      Enqueued e = ctx.operations().enqueueRetrain(actor, req);
      out.result(Output.map("run_id", e.runId(), "status", "pending", "device_id", device),
          () -> out.linef("queued %s for %s; a running scheduler will pick it up (watch: runs --device %s)",
              e.runId(), device, device));
      return 0;
    }
    RetrainOutcome outcome = ctx.operations().retrainAndDetect(actor, req, progress());
    RunRecord run = outcome.run();
    out.result(RunView.summary(run, outcome.stageMillis()), () -> RunView.printText(out, run));
    if (!outcome.completed()) {
      // the contract (docs/ARCHITECTURE.md §10): a non-zero exit comes with a one-line reason on stderr
      err().println("error: run " + run.runId() + " " + outcome.status().wire() + ": " + run.error());
      return RetrainCli.EXIT_FAILED;
    }
    return 0;
  }
}

package com.retrainconsole.cli;

import com.retrainconsole.services.Services;
import com.retrainconsole.retrain.RetrainOutcome;
import com.retrainconsole.retrain.RetrainRequest;
import com.retrainconsole.telemetry.SimulatorConfig;
import com.retrainconsole.training.TrainerKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Load demo telemetry (3 trackers, 30 days, 5-minute readings) and train a first model per device.")
final class DemoCommand extends StoreCommand {
  static final List<String> DEVICES = List.of("tracker01", "tracker02", "tracker03");

  @Option(names = "--trainer", defaultValue = "xgboost", paramLabel = "KIND", converter = TrainerKindConverter.class)
  TrainerKind trainer;

  @Override
  int call(Services ctx, Output out) {
    SimulatorConfig config = SimulatorConfig.defaults(DEVICES, SimulateCommand.defaultEnd(ctx));
    ctx.operations().simulateDevices(actor(ctx), config, progress());
    List<Map<String, Object>> results = new ArrayList<>();
    boolean allCompleted = true;
    for (String device : DEVICES) {
      RetrainOutcome o = ctx.operations().retrain(actor(ctx),
          RetrainRequest.manual(device, trainer, actor(ctx).user()), progress());
      allCompleted &= o.completed();
      if (!o.completed()) {
        err().println("error: run " + o.run().runId() + " for " + device + " " + o.status().wire() + ": "
            + o.run().error());
      }
      results.add(RunView.summary(o.run(), o.stageMillis()));
      if (!out.json()) {
        RunView.printText(out, o.run());
      }
    }
    if (out.json()) {
      out.result(Output.map("store", ctx.store().describe(), "models_dir", ctx.config().modelsDir().toString(),
          "runs", results), () -> {});
    } else {
      out.line("store: " + ctx.store().describe() + "   models: " + ctx.config().modelsDir());
    }
    return allCompleted ? 0 : RetrainCli.EXIT_FAILED;
  }
}

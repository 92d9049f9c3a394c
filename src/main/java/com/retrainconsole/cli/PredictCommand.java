package com.retrainconsole.cli;

import com.retrainconsole.services.Services;
import com.retrainconsole.registry.LoadedModel;
import com.retrainconsole.serving.ModelProvider;
import com.retrainconsole.serving.Predictor;
import com.retrainconsole.telemetry.DeviceConfig;
import com.retrainconsole.telemetry.TelemetrySources;
import com.retrainconsole.training.Metrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code predict --device ID --from T1 --to T2}: the model in service against the actuals of a range. */
@Command(name = "predict", mixinStandardHelpOptions = true,
    description = "Predict with the device's production model over a time range and compare with the actuals.")
public final class PredictCommand extends StoreCommand {
  @Option(names = "--device", required = true, paramLabel = "ID") String device;

  @Option(names = "--from", required = true, converter = InstantConverter.class, paramLabel = "TIME") Instant from;

  @Option(names = "--to", required = true, converter = InstantConverter.class, paramLabel = "TIME") Instant to;

  @Option(names = "--sample", defaultValue = "10", paramLabel = "N",
      description = "Rows shown in text mode, evenly spread (default: ${DEFAULT-VALUE}); --json prints every row.")
  int sample;

  @Override
  int call(Services ctx, Output out) {
    DeviceConfig config = device(ctx, device);
    LoadedModel model;
    try (ModelProvider provider = new ModelProvider(ctx.registry(), device, Duration.ZERO, ctx.clock())) {
      model = provider.require();
    }
    Predictor.Result r = Predictor.predict(model, config, TelemetrySources.forDevice(ctx.store(), config), from, to);
    Metrics m = r.metrics();
    Map<String, Object> metrics = Output.map("mae", finite(m.mae()), "rmse", finite(m.rmse()), "r2", finite(m.r2()),
        "n", m.n());
    if (out.json()) {
      List<Map<String, Object>> rows = new ArrayList<>(r.ts().length);
      for (int i = 0; i < r.ts().length; i++) {
        rows.add(Output.map("ts", Instant.ofEpochMilli(r.ts()[i]).toString(), "actual", finite(r.actual()[i]),
            "predicted", finite(r.predicted()[i])));
      }
      out.result(Output.map("device", device, "version", r.version(), "from", from.toString(), "to", to.toString(),
          "readings", r.readings(), "rows", r.ts().length, "metrics", metrics, "predictions", rows), () -> { });
      return 0;
    }
    out.linef("device %s, version %s, %s .. %s: %d rows (%d readings)", device, r.version(), from, to,
        r.ts().length, r.readings());
    out.linef("MAE %.2f  RMSE %.2f  R² %.4f", m.mae(), m.rmse(), m.r2());
    int shown = Math.min(Math.max(0, sample), r.ts().length);
    if (shown > 0) {
      out.linef("%-24s %12s %12s %10s", "time", "actual", "predicted", "error");
      for (int k = 0; k < shown; k++) {
        int i = shown == 1 ? 0 : (int) Math.round(k * (r.ts().length - 1) / (double) (shown - 1));
        out.linef("%-24s %12.1f %12.1f %+10.1f", Instant.ofEpochMilli(r.ts()[i]), r.actual()[i], r.predicted()[i],
            r.predicted()[i] - r.actual()[i]);
      }
    }
    return 0;
  }

  private static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }
}

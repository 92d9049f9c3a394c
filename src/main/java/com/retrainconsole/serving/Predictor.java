package com.retrainconsole.serving;

import com.retrainconsole.common.UserException;
import com.retrainconsole.features.FeatureBuilder;
import com.retrainconsole.features.FeatureMatrix;
import com.retrainconsole.features.FeatureSpec;
import com.retrainconsole.registry.LoadedModel;
import com.retrainconsole.telemetry.DeviceConfig;
import com.retrainconsole.telemetry.TelemetrySource;
import com.retrainconsole.telemetry.TelemetryWindow;
import com.retrainconsole.training.Metrics;
import com.retrainconsole.training.Predictions;
import java.time.Instant;
import java.util.Arrays;

/**
 * Predictions of a loaded model against the actuals of a time range, with features built from the
 * model's own spec (its meta's {@code feature_spec}), as at training.
 */
public final class Predictor {
  private Predictor() {}

  /** Rows at {@code ts} in [from, to) that had every feature; metrics over them. */
  public record Result(
      String version, long[] ts, double[] actual, double[] predicted, Metrics metrics, int readings) {}

  public static Result predict(LoadedModel model, DeviceConfig device, TelemetrySource source, Instant from,
      Instant to) {
    if (!from.isBefore(to)) {
      throw new UserException("--from must be before --to (got " + from + " .. " + to + ")");
    }
    FeatureSpec spec = FeatureSpec.ofModel(model.meta().featureSpec(), model.meta().version());
    // lags and rolling windows look back: read that much before `from` so the first rows have features
    TelemetryWindow window = source.read(device.id(), from.minus(spec.lookback()), to);
    if (window.size() == 0) {
      throw new UserException("No rows to predict for " + device.id() + ": no telemetry between " + from + " and "
          + to + "; newest reading: " + source.newest(device.id()).map(Instant::toString).orElse("none"));
    }
    FeatureMatrix all = FeatureBuilder.build(window, spec, device.zone());
    int first = 0;
    while (first < all.size() && all.ts()[first] < from.toEpochMilli()) {
      first++;
    }
    int end = first;
    while (end < all.size() && all.ts()[end] < to.toEpochMilli()) {
      end++;
    }
    int readings = (int) Arrays.stream(window.ts()).filter(t -> t >= from.toEpochMilli() && t < to.toEpochMilli())
        .count();
    if (end == first) {
      throw new UserException("No rows to predict for " + device.id() + " between " + from + " and " + to
          + " (" + readings + " readings there, none with every feature of version " + model.meta().version()
          + "); pick a range with telemetry");
    }
    FeatureMatrix rows = all.slice(first, end);
    double[] predicted = Predictions.predict(model.model(), rows);
    return new Result(model.meta().version(), rows.ts(), rows.y(), predicted, Metrics.of(rows.y(), predicted),
        readings);
  }


}

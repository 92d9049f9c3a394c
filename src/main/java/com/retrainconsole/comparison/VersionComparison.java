package com.retrainconsole.comparison;

import com.retrainconsole.common.ProgressListener;
import com.retrainconsole.common.UserException;
import com.retrainconsole.features.FeatureBuilder;
import com.retrainconsole.features.FeatureMatrix;
import com.retrainconsole.features.FeatureSpec;
import com.retrainconsole.registry.LoadedModel;
import com.retrainconsole.registry.MetricsDoc;
import com.retrainconsole.registry.ModelRegistry;
import com.retrainconsole.telemetry.DeviceConfig;
import com.retrainconsole.telemetry.TelemetrySource;
import com.retrainconsole.telemetry.TelemetryWindow;
import com.retrainconsole.training.FeatureImportance;
import com.retrainconsole.training.Metrics;
import com.retrainconsole.training.Predictions;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Scores several saved versions of one device on the same recent telemetry window: each version is
 * loaded through the registry (sha256-verified), gets features built with its own saved feature spec, and
 * is kept only on the timestamps every picked version could predict, so the versions are compared on
 * identical rows (as a retrain compares candidate and champion).
 */
public final class VersionComparison {
  public static final Duration DEFAULT_WINDOW = Duration.ofDays(3);

  /** One version's predictions on the common rows. {@code residual = actual − predicted}. */
  public record VersionResult(
      String version,
      String trainer,
      Instant createdAt,
      String stage,
      MetricsDoc storedMetrics,
      double[] predicted,
      double[] residual,
      Metrics windowMetrics,
      double[] maeByHour,
      int[] rowsByHour,
      Map<String, Double> featureImportance) {}

  /** The common rows (ascending {@code ts}) with the actuals, and each version's results in pick order. */
  public record Result(
      String deviceId,
      Instant from,
      Instant to,
      ZoneId zone,
      long[] ts,
      double[] actual,
      List<VersionResult> versions,
      int readings) {}

  private final ModelRegistry registry;
  private final Function<String, DeviceConfig> devices;
  private final Function<DeviceConfig, TelemetrySource> sources;

  /**
   * @param devices resolves a device id to its config (fails with a user message for an unknown one)
   * @param sources the device's telemetry source (buckets or a mapped site collection)
   */
  public VersionComparison(ModelRegistry registry, Function<String, DeviceConfig> devices,
      Function<DeviceConfig, TelemetrySource> sources) {
    this.registry = Objects.requireNonNull(registry);
    this.devices = Objects.requireNonNull(devices);
    this.sources = Objects.requireNonNull(sources);
  }

  /** Compares {@code versions} on the last {@code window} of the device's telemetry. */
  public Result compare(String deviceId, List<String> versions, Duration window, ProgressListener progress) {
    DeviceConfig device = devices.apply(deviceId);
    TelemetrySource source = sources.apply(device);
    Instant to = source.newest(deviceId)
        .orElseThrow(() -> new UserException("Device " + deviceId + " has no telemetry to compare versions on"))
        .plusMillis(1);
    return compare(deviceId, versions, to.minus(window), to, progress);
  }

  /** Compares {@code versions} on the rows with from ≤ ts < to. */
  public Result compare(String deviceId, List<String> versions, Instant from, Instant to,
      ProgressListener progress) {
    List<String> picked = List.copyOf(new LinkedHashSet<>(versions));
    if (picked.isEmpty()) {
      throw new UserException("Pick at least one version to compare");
    }
    if (!from.isBefore(to)) {
      throw new UserException("The comparison window must end after it starts (" + from + " .. " + to + ")");
    }
    DeviceConfig device = devices.apply(deviceId);
    TelemetrySource source = sources.apply(device);
    int steps = picked.size() + 2;
    progress.update("loading models", 0);
    List<LoadedModel> models = new ArrayList<>();
    List<FeatureSpec> specs = new ArrayList<>();
    Duration lookback = Duration.ZERO;
    for (String v : picked) {
      LoadedModel m = registry.load(deviceId, v); // verifies the sha256 before deserializing
      FeatureSpec spec = FeatureSpec.ofModel(m.meta().featureSpec(), m.meta().version());
      models.add(m);
      specs.add(spec);
      Duration need = spec.lookback();
      lookback = need.compareTo(lookback) > 0 ? need : lookback;
    }
    progress.update("reading telemetry", 1.0 / steps);
    // one read for all versions: lags and rolling windows look back before `from`
    TelemetryWindow telemetry = source.read(deviceId, from.minus(lookback.plusHours(1)), to);
    int readings = (int) Arrays.stream(telemetry.ts())
        .filter(t -> t >= from.toEpochMilli() && t < to.toEpochMilli()).count();
    if (readings == 0) {
      throw new UserException("Device " + deviceId + " has no telemetry between " + from + " and " + to);
    }
    List<FeatureMatrix> rows = new ArrayList<>();
    List<double[]> predictions = new ArrayList<>();
    for (int i = 0; i < models.size(); i++) {
      LoadedModel m = models.get(i);
      progress.update("predicting with " + m.meta().version(), (2.0 + i) / steps);
      FeatureMatrix all = FeatureBuilder.build(telemetry, specs.get(i), device.zone());
      FeatureMatrix inWindow = slice(all, from.toEpochMilli(), to.toEpochMilli());
      if (inWindow.size() == 0) {
        throw new UserException("Version " + m.meta().version() + " cannot predict any of the " + readings
            + " readings between " + from + " and " + to + ": none has every feature it needs");
      }
      rows.add(inWindow);
      predictions.add(Predictions.predict(m.model(), inWindow));
    }
    long[] common = commonTimestamps(rows);
    if (common.length == 0) {
      throw new UserException("The picked versions share no row they can all predict between " + from + " and "
          + to + " (their feature specs drop different rows)");
    }
    double[] actual = null;
    List<VersionResult> results = new ArrayList<>();
    for (int i = 0; i < models.size(); i++) {
      FeatureMatrix r = rows.get(i);
      int[] idx = indexOf(r.ts(), common);
      double[] y = pick(r.y(), idx);
      double[] p = pick(predictions.get(i), idx);
      if (actual == null) {
        actual = y;
      }
      double[] residual = new double[common.length];
      for (int k = 0; k < common.length; k++) {
        residual[k] = actual[k] - p[k];
      }
      double[] maeByHour = new double[24];
      int[] rowsByHour = new int[24];
      for (int k = 0; k < common.length; k++) {
        int h = Instant.ofEpochMilli(common[k]).atZone(device.zone()).getHour();
        maeByHour[h] += Math.abs(residual[k]);
        rowsByHour[h]++;
      }
      for (int h = 0; h < 24; h++) {
        maeByHour[h] = rowsByHour[h] == 0 ? Double.NaN : maeByHour[h] / rowsByHour[h];
      }
      LoadedModel m = models.get(i);
      results.add(new VersionResult(m.meta().version(), m.meta().trainer(), m.meta().createdAt(),
          m.meta().stage() == null ? null : m.meta().stage().json(), m.meta().metrics(), p, residual,
          Metrics.of(actual, p), maeByHour, rowsByHour, FeatureImportance.of(m.model())));
    }
    progress.update("done", 1);
    return new Result(deviceId, from, to, device.zone(), common, actual, results, readings);
  }



  private static FeatureMatrix slice(FeatureMatrix all, long from, long to) {
    int first = 0;
    while (first < all.size() && all.ts()[first] < from) {
      first++;
    }
    int end = first;
    while (end < all.size() && all.ts()[end] < to) {
      end++;
    }
    return all.slice(first, end);
  }

  /** Timestamps present in every matrix, ascending. */
  static long[] commonTimestamps(List<FeatureMatrix> rows) {
    Map<Long, Integer> seen = new HashMap<>();
    for (FeatureMatrix r : rows) {
      for (long t : r.ts()) {
        seen.merge(t, 1, Integer::sum);
      }
    }
    return seen.entrySet().stream().filter(e -> e.getValue() == rows.size()).mapToLong(Map.Entry::getKey)
        .sorted().toArray();
  }

  private static int[] indexOf(long[] ts, long[] wanted) {
    Map<Long, Integer> pos = new HashMap<>(ts.length * 2);
    for (int i = 0; i < ts.length; i++) {
      pos.putIfAbsent(ts[i], i);
    }
    int[] idx = new int[wanted.length];
    for (int k = 0; k < wanted.length; k++) {
      idx[k] = pos.get(wanted[k]);
    }
    return idx;
  }

  private static double[] pick(double[] values, int[] idx) {
    double[] out = new double[idx.length];
    for (int k = 0; k < idx.length; k++) {
      out[k] = values[idx[k]];
    }
    return out;
  }
}

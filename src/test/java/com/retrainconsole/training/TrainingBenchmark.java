package com.retrainconsole.training;

import com.retrainconsole.common.ProgressListener;
import com.retrainconsole.features.FeatureBuilder;
import com.retrainconsole.features.FeatureMatrix;
import com.retrainconsole.features.FeatureSpec;
import com.retrainconsole.features.SyntheticSolar;
import com.retrainconsole.telemetry.TelemetryWindow;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.tribuo.Model;
import org.tribuo.Trainer;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.rtree.CARTRegressionTrainer;

/**
 * Prints training figures: each trainer on ~200k synthetic rows (train + predict time, MAE), scikit-learn's
 * depth-12 tree on the same rows, the 40k-row CART with and without binning, and the feature-set
 * experiment behind {@link FeatureSpec#defaults()}.
 *
 * <p>Run: {@code mvn -q -o test-compile && java -cp target/classes:target/test-classes:$(cat cp.txt)
 * com.retrainconsole.training.TrainingBenchmark [sections]} where sections are any of
 * {@code trainers sklearn quadratic features} (default: all) and cp.txt comes from
 * {@code mvn -q -o dependency:build-classpath -Dmdep.outputFile=cp.txt}.
 */
public final class TrainingBenchmark {
  private static final Path OUT = Path.of("target", "bench");

  public static void main(String[] args) throws Exception {
    List<String> sections = args.length == 0
        ? List.of("trainers", "sklearn", "quadratic", "features") : List.of(args);
    Files.createDirectories(OUT);
    System.out.println("processors=" + Runtime.getRuntime().availableProcessors()
        + " java=" + System.getProperty("java.version"));

    // decision: the app's own simulator (one-minute readings, gaps, stuck sensors), masked by the quality
    // gate as in a real run; 150 days give ~200k usable rows after the gate and feature building
    TelemetryWindow raw = com.retrainconsole.telemetry.Simulator.generate(
        new com.retrainconsole.telemetry.SimulatorConfig(List.of("bench"), java.time.Instant.parse("2026-06-01T00:00:00Z"),
            150, Duration.ofMinutes(1), 7, 37.1, -3.6, SyntheticSolar.ZONE), "bench");
    TelemetryWindow w = DataQualityGate.check(raw, FeatureSpec.defaults(), GatePolicy.defaults()).window();
    long t0 = System.nanoTime();
    FeatureBuilder.Built built = FeatureBuilder.buildWithReport(w, FeatureSpec.defaults(), SyntheticSolar.ZONE);
    System.out.printf(Locale.ROOT, "features: %s in %.2f s (%d features)%n", built.summary(),
        secs(t0), built.matrix().names().length);
    ChronologicalSplit.Split split = ChronologicalSplit.split(built.matrix(), 0.8);
    System.out.println("train rows=" + split.train().size() + " test rows=" + split.test().size());

    if (sections.contains("trainers")) {
      run("cart (binned 255, depth 12)", TrainerParams.defaults(TrainerKind.CART), split);
      run("xgboost (100 trees, depth 6, hist)", TrainerParams.defaults(TrainerKind.XGBOOST), split);
      run("xgboost (100 trees, depth 12, hist)",
          TrainerParams.defaults(TrainerKind.XGBOOST).withMaxDepth(12), split);
    }
    if (sections.contains("forest")) { // slow: ~140 s for 10 trees at 200k rows
      run("forest (10 trees, depth 12, binned)",
          TrainerParams.defaults(TrainerKind.FOREST).withTrees(10), split);
    }
    if (sections.contains("sklearn")) {
      Path train = OUT.resolve("train.csv");
      Path test = OUT.resolve("test.csv");
      writeCsv(split.train(), train);
      writeCsv(split.test(), test);
      Path script = Path.of("src/test/resources/bench/sklearn_tree.py");
      Process p = new ProcessBuilder("/usr/bin/python3", script.toString(), train.toString(), test.toString())
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      System.out.println("sklearn DecisionTreeRegressor(max_depth=12), same rows: " + out
          + " (exit " + p.waitFor() + ")");
    }
    if (sections.contains("quadratic")) {
      FeatureMatrix small = split.train().slice(0, 40_000);
      FeatureMatrix smallTest = split.test();
      TrainerParams cart = TrainerParams.defaults(TrainerKind.CART);
      timeTrainer("cart 40k rows, binned 255", Trainers.trainer(cart), small, smallTest);
      timeTrainer("cart 40k rows, NOT binned", new CARTRegressionTrainer(12), small, smallTest);
    }
    if (sections.contains("features")) {
      featureExperiment(w);
    }
  }

  private static void run(String label, TrainerParams params, ChronologicalSplit.Split split) {
    long t0 = System.nanoTime();
    Model<Regressor> model = Trainers.train(split.train(), params, ProgressListener.NONE);
    double train = secs(t0);
    long t1 = System.nanoTime();
    double[] predicted = Predictions.predict(model, split.test());
    double predict = secs(t1);
    Metrics m = Metrics.of(split.test().y(), predicted);
    System.out.printf(Locale.ROOT, "%-40s train %6.2f s  predict %5.2f s  MAE %7.2f  RMSE %7.2f  R2 %.4f%n",
        label, train, predict, m.mae(), m.rmse(), m.r2());
  }

  private static void timeTrainer(String label, Trainer<Regressor> trainer, FeatureMatrix train,
      FeatureMatrix test) {
    var data = TribuoData.dataset(train, () -> {});
    long t0 = System.nanoTime();
    Model<Regressor> model = trainer.train(data);
    double secs = secs(t0);
    Metrics m = Metrics.of(test.y(), Predictions.predict(model, test));
    System.out.printf(Locale.ROOT, "%-40s train %6.2f s  MAE %7.2f%n", label, secs, m.mae());
  }

  /** Which features earn their place: xgboost (fast) on 60 days of data, same test rows per set. */
  private static void featureExperiment(TelemetryWindow full) {
    int rows = 60 * 288;
    TelemetryWindow w = new TelemetryWindow(full.deviceId(), java.util.Arrays.copyOf(full.ts(), rows),
        full.columns().entrySet().stream().collect(java.util.stream.Collectors.toMap(
            java.util.Map.Entry::getKey, e -> java.util.Arrays.copyOf(e.getValue(), rows),
            (a, b) -> a, java.util.LinkedHashMap::new)));
    FeatureSpec d = FeatureSpec.defaults();
    List<String> raw = d.inputs();
    var lag1h = new FeatureSpec.Lag("power_w", Duration.ofHours(1));
    var lag24h = new FeatureSpec.Lag("power_w", Duration.ofHours(24));
    var irr15 = new FeatureSpec.Lag("irradiance_wm2", Duration.ofMinutes(15));
    var roll1h = new FeatureSpec.Rolling("irradiance_wm2", Duration.ofHours(1));
    var roll3h = new FeatureSpec.Rolling("irradiance_wm2", Duration.ofHours(3));
    List<Object[]> sets = new ArrayList<>();
    sets.add(new Object[] {"raw inputs only", spec(raw, false, List.of(), List.of())});
    sets.add(new Object[] {"raw + time", spec(raw, true, List.of(), List.of())});
    sets.add(new Object[] {"raw + time + lag 24h", spec(raw, true, List.of(lag24h), List.of())});
    sets.add(new Object[] {"raw + time + lags 1h,24h", spec(raw, true, List.of(lag1h, lag24h), List.of())});
    sets.add(new Object[] {"raw + time + lags 1h,24h,irr15m",
        spec(raw, true, List.of(lag1h, lag24h, irr15), List.of())});
    sets.add(new Object[] {"defaults (+ irr rolling 1h,3h)", d});
    sets.add(new Object[] {"defaults + power rolling 1h", spec(raw, true, List.of(lag1h, lag24h, irr15),
        List.of(roll1h, roll3h, new FeatureSpec.Rolling("power_w", Duration.ofHours(1))))});
    // evaluate every set on the same timestamps: those usable under the strictest set (defaults)
    long firstCommon = FeatureBuilder.build(w, d, SyntheticSolar.ZONE).ts()[0];
    TrainerParams xgb = TrainerParams.defaults(TrainerKind.XGBOOST).withMaxDepth(6);
    System.out.println("feature sets (xgboost depth 6, " + rows + " readings, 80/20):");
    for (Object[] s : sets) {
      FeatureMatrix m = FeatureBuilder.build(w, (FeatureSpec) s[1], SyntheticSolar.ZONE);
      int start = 0;
      while (m.ts()[start] < firstCommon) {
        start++;
      }
      ChronologicalSplit.Split split = ChronologicalSplit.split(m.slice(start, m.size()), 0.8);
      Model<Regressor> model = Trainers.train(split.train(), xgb, ProgressListener.NONE);
      Metrics metrics = Metrics.of(split.test().y(), Predictions.predict(model, split.test()));
      System.out.printf(Locale.ROOT, "  %-36s MAE %7.2f  RMSE %7.2f  (%d test rows)%n", s[0],
          metrics.mae(), metrics.rmse(), metrics.n());
    }
  }

  private static FeatureSpec spec(List<String> inputs, boolean time, List<FeatureSpec.Lag> lags,
      List<FeatureSpec.Rolling> rolling) {
    return new FeatureSpec("power_w", inputs, time, time, lags, rolling, null);
  }

  private static void writeCsv(FeatureMatrix m, Path file) throws IOException {
    try (BufferedWriter out = Files.newBufferedWriter(file)) {
      out.write(String.join(",", m.names()) + ",target\n");
      StringBuilder line = new StringBuilder(256);
      for (int i = 0; i < m.size(); i++) {
        line.setLength(0);
        for (double v : m.x()[i]) {
          line.append(v).append(',');
        }
        line.append(m.y()[i]).append('\n');
        out.write(line.toString());
      }
    }
  }

  private static double secs(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}

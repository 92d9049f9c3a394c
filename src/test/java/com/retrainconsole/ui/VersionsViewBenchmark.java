package com.retrainconsole.ui;

import com.retrainconsole.alerts.AlertService.StatusFilter;
import com.retrainconsole.alerts.AlertTypes;
import com.retrainconsole.settings.AppConfig;
import com.retrainconsole.app.AppContext;
import com.retrainconsole.registry.ModelMeta;
import com.retrainconsole.retrain.RetrainRequest;
import com.retrainconsole.store.Store;
import com.retrainconsole.telemetry.Simulator;
import com.retrainconsole.telemetry.SimulatorConfig;
import com.retrainconsole.training.TrainerKind;
import com.retrainconsole.ui.alerts.AlertsViewModel;
import com.retrainconsole.ui.versions.VersionsViewModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.bson.Document;

/**
 * Prints how long the Versions and Alerts views' reads take (background thread) and how long merging 500
 * alerts into the table rows takes (the FX-thread part of a poll). Not a test: run it by hand (README of
 * the report: java -cp target/classes:target/test-classes:$(cat cp.txt) com.retrainconsole.ui.VersionsViewBenchmark).
 */
public final class VersionsViewBenchmark {
  public static void main(String[] args) throws Exception {
    Path root = Files.createTempDirectory("versions-bench");
    Clock clock = Clock.systemUTC();
    try (AppContext ctx = AppContext.open(new AppConfig(null, root.resolve("data"), root.resolve("models")),
        Store.openInMemory(), clock)) {
      var end = clock.instant().atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).toInstant();
      Simulator.simulate(ctx.store(), SimulatorConfig.defaults(List.of("bench01"), end).withDays(5)
          .withInterval(Duration.ofMinutes(15)), (s, f) -> {});
      ctx.retrain().run(new RetrainRequest("bench01", 5, null, TrainerKind.CART, false, "manual", "bench", "bench"),
          (s, f) -> {});
      var loaded = ctx.registry().loadCurrent("bench01");
      ModelMeta m = loaded.meta();
      for (int i = 1; i < 20; i++) { // 20 = the registry's default retention
        ctx.registry().saveCandidate("bench01", loaded.model(), ModelMeta.draft("bench01", null, m.trainer(),
            m.params(), m.featureSpec(), m.data(), m.metrics(), m.championMetrics(), m.championSource(),
            m.championVersion(), m.maeByHour()));
      }
      long size = Files.size(ctx.registry().modelFile("bench01", m.version()));
      double[] versions = time(15, () -> VersionsViewModel.load(ctx, "bench01"));
      System.out.printf("versions view read, 20 versions (%d KB each, sha256 of every file): median %.1f ms, max %.1f ms%n",
          size / 1024, versions[0], versions[1]);

      for (int i = 0; i < 500; i++) {
        ctx.alerts().raiseAlert(AlertTypes.LOW_ACCURACY, "bench01", "bench-" + i, "bench alert " + i,
            Map.of("run_id", "run-" + i, "r2", 0.4));
      }
      AlertsViewModel.Query q = new AlertsViewModel.Query(StatusFilter.ACTIVE, null);
      double[] alertRead = time(15, () -> AlertsViewModel.load(ctx, q));
      List<Document> docs = AlertsViewModel.load(ctx, q);
      AlertsViewModel vm = new AlertsViewModel(ZoneId.systemDefault());
      long t0 = System.nanoTime();
      vm.apply(docs);
      double first = (System.nanoTime() - t0) / 1e6;
      double[] again = time(15, () -> {
        vm.apply(AlertsViewModel.load(ctx, q)); // includes the read; the merge alone is below
        return null;
      });
      double[] mergeOnly = time(15, () -> {
        vm.apply(docs);
        return null;
      });
      System.out.printf("alerts read, 500 active: median %.1f ms, max %.1f ms%n", alertRead[0], alertRead[1]);
      System.out.printf("alerts merge into rows (FX thread): first %.1f ms, unchanged poll median %.2f ms;"
          + " read+merge median %.1f ms%n", first, mergeOnly[0], again[0]);
    } finally {
      try (var files = Files.walk(root)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static double[] time(int n, java.util.concurrent.Callable<?> work) throws Exception {
    work.call(); // warm-up
    double[] ms = new double[n];
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      work.call();
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(ms);
    return new double[] {ms[n / 2], ms[n - 1]};
  }
}

package com.retrainconsole.ui;

import com.retrainconsole.settings.AppConfig;
import com.retrainconsole.app.AppContext;
import com.retrainconsole.audit.PointerMove;
import com.retrainconsole.comparison.Metric;
import com.retrainconsole.comparison.VersionComparison;
import com.retrainconsole.comparison.VersionHistory;
import com.retrainconsole.comparison.VersionPoint;
import com.retrainconsole.registry.MetricsDoc;
import com.retrainconsole.retrain.RetrainRequest;
import com.retrainconsole.store.Store;
import com.retrainconsole.telemetry.Simulator;
import com.retrainconsole.telemetry.SimulatorConfig;
import com.retrainconsole.telemetry.TelemetrySources;
import com.retrainconsole.testing.TestModels;
import com.retrainconsole.training.TrainerKind;
import com.retrainconsole.ui.compare.MetricChart;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.jfree.chart.fx.ChartViewer;

/**
 * Figures for the comparison view (prints, asserts nothing):
 * <ol>
 *   <li>metric chart of 5,000 versions and 500 pointer moves: dataset build and thinning (off the FX thread),
 *       show + one full draw, plain redraws, a pick change and a theme change on the FX thread, each with the
 *       worst FX stall (UiStallMonitor) while it happens, and the worst over the whole chart phase;
 *   <li>{@code VersionHistory.load} (ModelRegistry.list reads one meta file per version) for 500 real versions;
 *   <li>the on-demand comparison of 2 and 5 real CART versions on a 3-day window (1-minute readings).
 * </ol>
 * Needs the Monocle system properties of the surefire configuration (headless FX):
 * <pre>
 * mvn -q -o test-compile &amp;&amp; mvn -q -o dependency:build-classpath -Dmdep.outputFile=cp.txt -Dmdep.includeScope=test
 * java -Xmx2g -Dtestfx.headless=true -Dprism.order=sw -Dprism.text=t2k -Dglass.platform=Monocle \
 *   -Dmonocle.platform=Headless -Djava.awt.headless=true \
 *   -cp target/classes:target/test-classes:$(cat cp.txt) com.retrainconsole.ui.CompareViewBench 5000 500
 * </pre>
 * (first argument: versions in the chart; second: versions saved for the load figure).
 */
public final class CompareViewBench {
  public static void main(String[] args) throws Exception {
    int versions = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
    int listed = args.length > 1 ? Integer.parseInt(args[1]) : 500;
    chart(versions);
    Path root = Files.createTempDirectory("compare-bench");
    Clock clock = Clock.systemUTC();
    try (AppContext ctx = AppContext.open(new AppConfig(null, root.resolve("data"), root.resolve("models")),
        Store.openInMemory(), clock)) {
      list(ctx, listed);
      compare(ctx, clock);
    }
    Platform.exit();
  }

  static void chart(int n) throws Exception {
    Random random = new Random(7);
    Instant t = Instant.parse("2020-01-01T00:00:00Z");
    List<VersionPoint> points = new ArrayList<>(n);
    List<PointerMove> moves = new ArrayList<>();
    String current = null;
    for (int i = 0; i < n; i++) {
      t = t.plus(Duration.ofHours(6));
      double mae = 120 + 30 * Math.sin(i / 200.0) + random.nextGaussian() * 8;
      String v = String.format("20200101T000000Z-%06x", i);
      points.add(new VersionPoint(v, "run-" + i, "xgboost", t, new MetricsDoc(mae, mae * 1.3, 0.95, 500),
          "archived", false));
      if (i % 10 == 0) { // a promotion every 10th version, a rollback every 100th
        moves.add(new PointerMove(i % 100 == 0 ? PointerMove.ROLLBACK : PointerMove.PROMOTE, "bench", current, v,
            "bench", "bench", t.plusSeconds(60)));
        current = v;
      }
    }
    String inService = current;
    points.replaceAll(p -> p.version().equals(inService) ? new VersionPoint(p.version(), p.runId(), p.trainer(),
        p.createdAt(), p.metrics(), "production", true) : p);
    VersionHistory history = new VersionHistory("bench", points, moves, inService);

    CountDownLatch started = new CountDownLatch(1);
    Platform.startup(started::countDown);
    started.await();
    MetricChart chart = new MetricChart();
    ChartViewer[] viewer = new ChartViewer[1];
    CountDownLatch shown = new CountDownLatch(1);
    Platform.runLater(() -> {
      viewer[0] = new ChartViewer(chart.chart());
      Stage stage = new Stage();
      stage.setScene(new Scene(viewer[0], 1000, 600));
      stage.show();
      shown.countDown();
    });
    shown.await();
    System.out.printf("Metric chart, %d versions, %d pointer moves (1000x600):%n", n, moves.size());
    Set<String> picks = Set.of(points.get(n - 1).version(), points.get(n / 2).version());
    try (UiStallMonitor overall = UiStallMonitor.start()) {
      for (int round = 0; round < 4; round++) {
        long b0 = System.nanoTime();
        MetricChart.Data data = MetricChart.build(history, round % 2 == 0 ? Metric.MAE : Metric.RMSE,
            MetricChart.DEFAULT_COLUMNS, picks);
        long build = System.nanoTime() - b0;
        String what = String.format("  round %d: build + thin %d -> %d points %.1f ms (background), show + draw",
            round + 1, data.versions().size(), data.plotted().size(), build / 1e6);
        onFx(what, () -> {
          chart.show(data, picks);
          viewer[0].getCanvas().draw();
        });
      }
      for (int round = 0; round < 3; round++) {
        onFx("  redraw " + (round + 1) + " (resize, hover, zoom)", () -> viewer[0].getCanvas().draw());
      }
      onFx("  pick change (rings only)", () -> chart.setPicked(Set.of(points.get(n / 3).version())));
      onFx("  theme change (dark)", () -> chart.restyle(com.retrainconsole.ui.compare.ChartStyle.DARK));
      onFx("  theme change (light)", () -> chart.restyle(com.retrainconsole.ui.compare.ChartStyle.LIGHT));
      System.out.printf("  worst FX stall over the whole chart phase: %.0f ms (%d probes, %d over 100 ms)%n",
          overall.worstMillis(), overall.probes(), overall.stallsOver100ms());
    }
  }

  /** Runs {@code action} on the FX thread, waits for it and the next pulse, prints its time and the worst stall. */
  private static void onFx(String what, Runnable action) throws InterruptedException {
    AtomicLong fx = new AtomicLong();
    CountDownLatch done = new CountDownLatch(1);
    try (UiStallMonitor stalls = UiStallMonitor.start()) {
      Thread.sleep(20);
      Platform.runLater(() -> {
        long f0 = System.nanoTime();
        action.run();
        fx.set(System.nanoTime() - f0);
        done.countDown();
      });
      done.await();
      Thread.sleep(150); // the canvas is rendered on the next pulse: let its stall show
      System.out.printf("%s %.1f ms (FX thread), worst FX stall %.0f ms%n", what, fx.get() / 1e6,
          stalls.worstMillis());
    }
  }

  static void list(AppContext ctx, int n) {
    var model = TestModels.train(1);
    long s0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      ctx.registry().saveCandidate("lister", model, TestModels.draft("lister", "run-" + i, 100 + i % 17));
    }
    System.out.printf("Saved %d tiny versions in %.1f s (saveCandidate: fsync per file)%n", n,
        (System.nanoTime() - s0) / 1e9);
    for (int round = 0; round < 3; round++) {
      long t0 = System.nanoTime();
      VersionHistory h = VersionHistory.load(ctx.registry(), ctx.audit(), "lister");
      System.out.printf("  VersionHistory.load of %d versions (ModelRegistry.list + ledger): %.0f ms%n",
          h.versions().size(), (System.nanoTime() - t0) / 1e6);
    }
  }

  static void compare(AppContext ctx, Clock clock) {
    Instant end = clock.instant().atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).toInstant();
    Simulator.simulate(ctx.store(), SimulatorConfig.defaults(List.of("bench01"), end).withDays(12)
        .withInterval(Duration.ofMinutes(1)), (s, f) -> {});
    List<String> versions = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      var out = ctx.retrain().run(new RetrainRequest("bench01", 7, end.minus(Duration.ofDays(i)), TrainerKind.CART,
          false, "manual", "bench", "bench"), (s, f) -> {});
      if (!out.completed()) {
        throw new IllegalStateException("bench model did not train: " + out.run().stored().toJson());
      }
      versions.add(ctx.registry().list("bench01").get(0).version());
    }
    VersionComparison c = new VersionComparison(ctx.registry(), ctx.devices()::require,
        d -> TelemetrySources.forDevice(ctx.store(), d));
    for (int k : new int[] {2, 5}) {
      long[] ms = new long[3];
      int rows = 0;
      for (int round = 0; round < 3; round++) {
        long t0 = System.nanoTime();
        var r = c.compare("bench01", versions.subList(0, k), Duration.ofDays(3), (s, f) -> {});
        ms[round] = (System.nanoTime() - t0) / 1_000_000;
        rows = r.ts().length;
      }
      Arrays.sort(ms);
      System.out.printf("Compare %d CART versions on 3 days (%d shared one-minute rows): median %d ms (min %d,"
          + " max %d)%n", k, rows, ms[1], ms[0], ms[2]);
    }
  }
}

package com.retrainconsole.ui;

import com.retrainconsole.settings.AppConfig;
import com.retrainconsole.app.AppContext;
import com.retrainconsole.runs.RunIndex;
import com.retrainconsole.store.Collections;
import com.retrainconsole.store.Store;
import com.retrainconsole.store.StoreConfig;
import com.retrainconsole.ui.runs.RunRow;
import com.retrainconsole.ui.runs.RunsController;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.prefs.Preferences;
import java.util.stream.Stream;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.testfx.api.FxToolkit;

/**
 * View-level benchmark (test-scope main) of the Runs view: the real console (MainWindow + ConsoleModel over
 * an AppContext) on a store holding N generated runs, driven the way a user would, timed until the rows
 * change on screen. Prints figures, asserts nothing. Args: {@code [mem|h2|both] [N in memory] [N on H2]}.
 */
public final class RunsViewUiBench {
  private static final long DEADLINE_S = 900;

  private final String label;
  private final AppContext ctx;
  private final int n;
  private ConsoleModel model;
  private MainWindow window;
  private Preferences prefs;
  private final List<String[]> rows = new ArrayList<>();

  private RunsViewUiBench(String label, AppContext ctx, int n) {
    this.label = label;
    this.ctx = ctx;
    this.n = n;
  }

  public static void main(String[] args) throws Exception {
    headless();
    String which = args.length > 0 ? args[0] : "both";
    int memN = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
    int h2N = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
    FxToolkit.registerPrimaryStage();
    if (!"h2".equals(which)) {
      Path root = Files.createTempDirectory("runs-ui-bench-mem");
      run("in-memory", root, Store.openInMemory(), memN);
    }
    if (!"mem".equals(which)) {
      Path root = Files.createTempDirectory("runs-ui-bench-h2");
      run("H2 file", root, Store.open(StoreConfig.embedded(root.resolve("data"))), h2N);
    }
    System.exit(0); // decision: not Platform.exit(); Monocle's exit races the JVM shutdown and logs a trace
  }

  /** The surefire config's Monocle properties, unless given on the command line. */
  static void headless() {
    String[][] props = {{"testfx.robot", "glass"}, {"testfx.headless", "true"}, {"prism.order", "sw"},
        {"prism.text", "t2k"}, {"glass.platform", "Monocle"}, {"monocle.platform", "Headless"},
        {"java.awt.headless", "true"}};
    for (String[] p : props) {
      if (System.getProperty(p[0]) == null) {
        System.setProperty(p[0], p[1]);
      }
    }
  }

  private static void run(String label, Path root, Store store, int n) throws Exception {
    AppContext ctx = AppContext.open(new AppConfig(null, root.resolve("data"), root.resolve("models")), store,
        Clock.systemUTC());
    try {
      long t = System.nanoTime();
      RunsViewBench.generate(ctx.store(), n, Instant.now(), 42);
      System.out.printf("%n[%s] generated %,d runs in %.1f s%n", label, n, (System.nanoTime() - t) / 1e9);
      new RunsViewUiBench(label, ctx, n).sequence();
    } finally {
      ctx.close();
      try (Stream<Path> files = Files.walk(root)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private void sequence() throws Exception {
    Stage stage = FxToolkit.registerPrimaryStage();
    prefs = Preferences.userRoot().node("retrain-console-bench/" + UUID.randomUUID());
    model = new ConsoleModel(ctx, ConsoleModel.RetrainSettings.defaults());
    FxToolkit.setupFixture(() -> window = new MainWindow(stage, model, prefs).show());
    fx(() -> null); // the overview is up
    String device = RunsViewBench.DEVICES.get(3);
    var runs = ctx.store().collection(Collections.MODEL_RUNS);
    long all = runs.countDocuments();
    long ofDevice = runs.countDocuments(new org.bson.Document("device_id", device));
    long heapBefore = usedHeap();

    UiStallMonitor opening = UiStallMonitor.start();
    try (UiStallMonitor stalls = UiStallMonitor.start()) {
      // (1) navigate → first page of rows on screen
      long t0 = System.nanoTime();
      fx(() -> {
        model.open(View.RUNS);
        return null;
      });
      waitFx(() -> table() != null && table().getItems().size() == Math.min(100, all)
          && total().equals(String.format("%,d runs", all)));
      double firstPage = ms(t0);
      opening.close();
      RunIndex index = controller().index();
      boolean loadedAtFirstPage = index.loaded();
      // (2) index loaded (it started with the view)
      waitFor(index::loaded);
      double indexLoaded = ms(t0);
      record("open Runs → first page shown", firstPage, loadedAtFirstPage ? "index was already loaded" : "from store");
      record("open Runs → index loaded", indexLoaded, "");

      // (3) filter, clear, sort, next, last: each until the rows on screen changed
      String before = firstRunId();
      record("filter device=" + device, timeUntilShown(() -> combo("#runs-filter-device").setValue(device),
          () -> total().equals(String.format("%,d runs", ofDevice)) && !firstRunId().equals(before)
              && table().getItems().stream().allMatch(r -> r.getDevice().equals(device))), "");
      record("clear filter", timeUntilShown(() -> combo("#runs-filter-device").setValue("All devices"),
          () -> total().equals(String.format("%,d runs", all)) && firstRunId().equals(before)), "");
      record("sort by MAE (desc), all runs", timeUntilShown(() -> {
        TableColumn<RunRow, ?> mae = table().getColumns().get(4);
        mae.setSortType(TableColumn.SortType.DESCENDING);
        table().getSortOrder().setAll(List.of(mae));
      }, () -> !firstRunId().equals(before) && maeDescending()), "");
      String sortedFirst = firstRunId();
      record("next page", timeUntilShown(() -> click("#runs-next"),
          () -> page().startsWith("Page 2 of") && !firstRunId().equals(sortedFirst)), "");
      String secondFirst = firstRunId();
      long pages = (all + 99) / 100;
      record("last page", timeUntilShown(() -> click("#runs-last"),
          () -> page().startsWith(String.format("Page %,d of %,d", pages, pages))
              && !firstRunId().equals(secondFirst)), "");
      // one 5 s poll on screen, so its stall (if any) is counted
      long polls0 = System.nanoTime();
      String updated = fx(() -> ((Label) lookup("#runs-updated")).getText());
      waitFx(() -> !((Label) lookup("#runs-updated")).getText().equals(updated)
          || System.nanoTime() - polls0 > 7_000_000_000L);
      // (4) worst FX stall: opening the view (FXML load, first layout) and the whole sequence
      record("worst FX-thread stall, opening the view", opening.worstMillis(),
          String.format("%d probes, %d over 100 ms", opening.probes(), opening.stallsOver100ms()));
      record("worst FX-thread stall (whole sequence)", stalls.worstMillis(),
          String.format("%d probes, %d over 100 ms", stalls.probes(), stalls.stallsOver100ms()));
    }

    // (5) heap with the index loaded (after GC), against the same console before opening Runs
    long heapAfter = usedHeap();
    record("heap used, index loaded (MB)", heapAfter / 1048576.0,
        String.format("before opening Runs %.0f MB, delta %.0f MB", heapBefore / 1048576.0,
            (heapAfter - heapBefore) / 1048576.0));

    // (6) the poll's index refresh with nothing new, and the whole poll load (refresh + page)
    RunIndex index = controller().index();
    List<Double> refresh = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      long t = System.nanoTime();
      index.refresh();
      refresh.add(ms(t));
    }
    refresh.sort(null);
    record("RunIndex.refresh(), nothing new (median of 10)", refresh.get(5),
        String.format("min %.1f, max %.1f ms; full reads %d", refresh.get(0), refresh.get(9), index.fullReads()));
    long cpu0 = cpuNanos();
    long proc0 = processCpuNanos();
    for (int i = 0; i < 10; i++) {
      index.refresh();
    }
    record("  CPU per refresh, calling thread", (cpuNanos() - cpu0) / 1e7, "mean of 10");
    record("  CPU per refresh, whole process", (processCpuNanos() - proc0) / 1e7,
        "mean of 10; includes the store's threads (and anything else running)");

    FxToolkit.cleanupStages();
    model.close();
    prefs.removeNode();
    print();
  }

  // ---- reading the screen (on the FX thread)

  private RunsController controller() throws Exception {
    return fx(() -> {
      for (Node n = lookup("#runs-table"); n != null; n = n.getParent()) {
        if (n.getProperties().get(RunsController.class) instanceof RunsController c) {
          return c;
        }
      }
      throw new IllegalStateException("no Runs view on screen");
    });
  }

  @SuppressWarnings("unchecked")
  private TableView<RunRow> table() {
    return (TableView<RunRow>) lookup("#runs-table");
  }

  private Node lookup(String id) {
    return window.scene().lookup(id);
  }

  @SuppressWarnings("unchecked")
  private ComboBox<String> combo(String id) {
    return (ComboBox<String>) lookup(id);
  }

  private void click(String id) {
    ((javafx.scene.control.Button) lookup(id)).fire();
  }

  private String total() {
    Node n = lookup("#runs-total");
    return n == null ? "" : ((Label) n).getText();
  }

  private String screenState() {
    return String.join(" | ", total(), text("#runs-updated"), text("#runs-action-message"), text("#runs-page"),
        "rows " + (table() == null ? "none" : table().getItems().size()));
  }

  private String text(String id) {
    Node n = lookup(id);
    return n instanceof Label l ? l.getText() : "";
  }

  private String page() {
    return ((Label) lookup("#runs-page")).getText();
  }

  private String firstRunId() {
    return table().getItems().isEmpty() ? "" : table().getItems().get(0).getRunId();
  }

  private boolean maeDescending() {
    double last = Double.MAX_VALUE;
    for (RunRow r : table().getItems()) {
      String s = r.maeProperty().get();
      if (s == null || s.isEmpty()) {
        return false;
      }
      double v = Double.parseDouble(s.replace(" W", "").replace(',', '.'));
      if (v > last) {
        return false;
      }
      last = v;
    }
    return !table().getItems().isEmpty();
  }

  // ---- timing

  private double timeUntilShown(Runnable action, BooleanSupplier shown) throws Exception {
    long t0 = System.nanoTime();
    fx(() -> {
      action.run();
      return null;
    });
    waitFx(shown);
    return ms(t0);
  }

  /** Polls {@code condition} on the FX thread every 2 ms: the figure includes getting the FX thread's turn. */
  private void waitFx(BooleanSupplier condition) throws Exception {
    long[] stuck = {System.nanoTime() + TimeUnit.SECONDS.toNanos(60)};
    waitFor(() -> {
      if (System.nanoTime() > stuck[0]) {
        stuck[0] = Long.MAX_VALUE;
        try {
          System.out.println("  (still waiting after 60 s; on screen: " + fx(this::screenState) + ")");
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
      try {
        return fx(condition::getAsBoolean);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }

  private static void waitFor(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_S);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out after " + DEADLINE_S + " s");
      }
      Thread.sleep(2);
    }
  }

  private static <T> T fx(java.util.concurrent.Callable<T> work) throws Exception {
    if (Platform.isFxApplicationThread()) {
      return work.call();
    }
    CompletableFuture<T> f = new CompletableFuture<>();
    Platform.runLater(() -> {
      try {
        f.complete(work.call());
      } catch (Throwable e) {
        f.completeExceptionally(e);
      }
    });
    return f.get(DEADLINE_S, TimeUnit.SECONDS);
  }

  private static double ms(long t0) {
    return (System.nanoTime() - t0) / 1e6;
  }

  private static long usedHeap() throws InterruptedException {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return rt.totalMemory() - rt.freeMemory();
  }

  private static long cpuNanos() {
    return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private void record(String what, double value, String note) {
    rows.add(new String[] {what, String.format("%,.1f", value), note});
    System.out.printf("  %-48s %10s  %s%n", what, String.format("%,.1f", value), note);
  }

  private void print() {
    System.out.printf("%n| %s, %,d runs | ms | note |%n|---|---:|---|%n", label, n);
    for (String[] r : rows) {
      System.out.printf("| %s | %s | %s |%n", r[0], r[1], r[2]);
    }
  }
}

package com.retrainconsole.ui;

import com.retrainconsole.app.AppContext;
import com.retrainconsole.settings.AppConfig;
import com.retrainconsole.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.prefs.Preferences;
import javafx.application.Platform;
import javafx.stage.Stage;
import org.testfx.api.FxToolkit;

/**
 * Where the first open of the Runs view spends the FX thread (test-scope main): a fresh JVM shows the
 * console, then the worst FX stall and the FX thread's CPU time from clicking Runs until its first page is on
 * screen ({@code open}); {@code split} also times a cold FXML load and the first CSS pass on their own;
 * {@code sample} samples the FX thread's stack and sums the samples by phase (FXML, CSS, layout, ...).
 * The CPU time is the figure to compare on a busy machine: the stall also counts time the thread waited for
 * a core. Args: {@code [open|split|sample] [N runs]}.
 */
public final class RunsViewOpenBench {
  public static void main(String[] args) throws Exception {
    RunsViewUiBench.headless();
    String mode = args.length > 0 ? args[0] : "open";
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 5000;
    Path root = Files.createTempDirectory("runs-open-bench");
    AppContext ctx = AppContext.open(new AppConfig(null, root.resolve("data"), root.resolve("models")),
        Store.openInMemory(), Clock.systemUTC());
    RunsViewBench.generate(ctx.store(), n, Instant.now(), 42);
    Stage stage = FxToolkit.registerPrimaryStage();
    Preferences prefs = Preferences.userRoot().node("retrain-console-bench/" + UUID.randomUUID());
    ConsoleModel model = new ConsoleModel(ctx, ConsoleModel.RetrainSettings.defaults());
    MainWindow[] window = new MainWindow[1];
    FxToolkit.setupFixture(() -> {
      stage.setWidth(1366);
      stage.setHeight(768);
      window[0] = new MainWindow(stage, model, prefs).show();
    });
    // the overview is up and the console idle: what a user's click meets
    fx(() -> null);
    waitFx(() -> window[0].scene().lookup("#overview-table") != null, 30);
    Thread.sleep(3000); // decision: a bench, not a test: let the overview's first loads and any idle work settle
    if ("split".equals(mode)) {
      double load = fx(() -> {
        long t = System.nanoTime();
        new Controllers(model).load(View.RUNS);
        return (System.nanoTime() - t) / 1e6;
      });
      System.out.printf("cold FXML load + controller (FX thread): %.1f ms%n", load);
    }
    UiStallMonitor stalls = UiStallMonitor.start();
    java.util.Map<String, Integer> samples = new java.util.concurrent.ConcurrentHashMap<>();
    Thread fxThread = fx(Thread::currentThread);
    Thread sampler = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        StackTraceElement[] st = fxThread.getStackTrace();
        StringBuilder all = new StringBuilder();
        for (StackTraceElement e : st) {
          all.append(e.getClassName()).append('.').append(e.getMethodName()).append(' ');
        }
        String t = all.toString();
        String phase = t.contains("waitForWork") ? "idle"
            : t.contains("FXMLLoader") ? "FXML load + initialize"
            : t.contains("RunsController") ? "controller (outside FXML load)"
            : t.contains("doCSSPass") ? "pulse: CSS"
            : t.contains("doLayoutPass") ? "pulse: layout"
            : t.contains("ScenePulseListener.pulse") || t.contains("synchronizeSceneNodes") ? "pulse: sync/other"
            : t.contains("Toolkit.firePulse") || t.contains("QuantumToolkit.pulse") ? "pulse: render/wait"
            : t.contains("Tasks") || t.contains("Task") ? "task callbacks"
            : "other: " + (st.length > 2 ? st[0] + " < " + st[1] + " < " + st[2] : "");
        StringBuilder key = new StringBuilder(phase);
        samples.merge(key.toString(), 1, Integer::sum);
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    if ("sample".equals(mode)) {
      sampler.setDaemon(true);
      sampler.start();
    }
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    long cpu0 = mx.getThreadCpuTime(fxThread.getId());
    long t0 = System.nanoTime();
    double nav = fx(() -> {
      long t = System.nanoTime();
      model.open(View.RUNS);
      return (System.nanoTime() - t) / 1e6;
    });
    if ("split".equals(mode)) {
      double css = fx(() -> {
        long t = System.nanoTime();
        window[0].scene().getRoot().applyCss();
        window[0].scene().getRoot().layout();
        return (System.nanoTime() - t) / 1e6;
      });
      System.out.printf("first CSS + layout of the view (no rows yet): %.1f ms%n", css);
    }
    waitFx(() -> window[0].scene().lookup("#runs-table") instanceof javafx.scene.control.TableView<?> t
        && !t.getItems().isEmpty(), 60);
    double shown = (System.nanoTime() - t0) / 1e6;
    if ("split".equals(mode)) {
      double rows = fx(() -> {
        long t = System.nanoTime();
        window[0].scene().getRoot().applyCss();
        window[0].scene().getRoot().layout();
        return (System.nanoTime() - t) / 1e6;
      });
      System.out.printf("CSS + layout with the first page of rows: %.1f ms%n", rows);
    }
    fx(() -> null);
    stalls.close();
    double fxCpu = (mx.getThreadCpuTime(fxThread.getId()) - cpu0) / 1e6;
    System.out.printf("FX-thread CPU from the click to the first page shown: %.1f ms%n", fxCpu);
    System.out.printf("navigate() on the FX thread: %.1f ms; first page shown after %.1f ms%n", nav, shown);
    System.out.printf("worst FX stall opening Runs: %.1f ms (%d probes, %d over 100 ms)%n", stalls.worstMillis(),
        stalls.probes(), stalls.stallsOver100ms());
    sampler.interrupt();
    samples.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(25)
        .forEach(e -> System.out.printf("%5d ms  %s%n", e.getValue() * 10, e.getKey()));
    System.exit(0);
  }

  private static <T> T fx(Callable<T> c) throws Exception {
    CompletableFuture<T> f = new CompletableFuture<>();
    Platform.runLater(() -> {
      try {
        f.complete(c.call());
      } catch (Throwable e) {
        f.completeExceptionally(e);
      }
    });
    return f.get(60, TimeUnit.SECONDS);
  }

  private static void waitFx(Callable<Boolean> c, long seconds) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!fx(c)) {
      if (System.nanoTime() > end) {
        throw new IllegalStateException("timed out");
      }
      Thread.sleep(5);
    }
  }
}

package com.retrainconsole.ui;

import com.retrainconsole.settings.AppConfig;
import com.retrainconsole.app.AppContext;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.prefs.Preferences;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import javafx.stage.Window;

/**
 * Console start-up and retrain-stall benchmark (test scope; prints figures, asserts nothing).
 *
 * <pre>
 * prepare DIR       demo data into DIR/data (3 trackers, 30 days, a first model each), as `demo` does
 * start DIR         one cold start of the real ConsoleApp over DIR/data: prints "READY ms" from JVM start
 *                   to the overview table showing its rows (and "FRAME ms" to the main window's first frame)
 * cold DIR N        runs `start` in N fresh JVMs (same classpath and system properties), prints the median
 * phases DIR        where a start's time goes: toolkit start, store open, overview load (in one JVM)
 * retrain DIR       opens the console over DIR/data, fires the Retrain button of tracker01 (default trainer,
 *                   30 days) and prints the worst FX-thread stall while it runs
 * views DIR         opens the console over DIR/data at 1366x768 and opens every view for the first time, then
 *                   again, printing the worst FX-thread stall of each (the navigation and 1.5 s after it)
 * </pre>
 *
 * Headless: run with the Monocle properties of the surefire config (-Dglass.platform=Monocle
 * -Dmonocle.platform=Headless -Dprism.order=sw -Dprism.text=t2k -Djava.awt.headless=true), or under xvfb-run
 * without them.
 */
public final class ConsoleBench {
  private ConsoleBench() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[1]).toAbsolutePath();
    switch (args[0]) {
      case "prepare" -> prepare(dir);
      case "start" -> start(dir);
      case "cold" -> cold(dir, Integer.parseInt(args[2]));
      case "retrain" -> retrain(dir);
      case "phases" -> phases(dir);
      case "views" -> views(dir);
      default -> throw new IllegalArgumentException("prepare|start|cold|retrain DIR");
    }
  }

  private static AppConfig config(Path dir) {
    return new AppConfig(null, dir.resolve("data"), dir.resolve("models"));
  }

  private static void prepare(Path dir) {
    long t0 = System.nanoTime();
    try (AppContext ctx = AppContext.open(config(dir))) {
      var failed = DemoData.defaults().load(ctx, ctx.users().resolve(com.retrainconsole.access.UserDirectory.localUser()), (s, f) -> {});
      System.out.printf("prepared %s in %.1f s, %d first model(s) failed%n", dir, (System.nanoTime() - t0) / 1e9,
          failed.size());
    }
    System.exit(0);
  }

  /**
   * The product path: ConsoleApp resolves its store from RETRAIN_DATA_DIR / RETRAIN_MODELS_DIR (the parent
   * passes them), opens it off the FX thread and shows the main window; this thread watches the windows
   * for the overview table's rows.
   */
  private static void start(Path dir) throws Exception {
    long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
    Thread fx = new Thread(() -> ConsoleApp.launchOver(AppContext::open), "bench-launch");
    fx.setDaemon(true);
    fx.start();
    long deadline = System.currentTimeMillis() + 60_000;
    while (System.currentTimeMillis() < deadline) {
      if (overviewRows() >= 3) {
        long ready = System.currentTimeMillis() - jvmStart;
        // CPU time of this process so far: on a shared, loaded machine the wall time mostly measures the queue
        long cpu = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime() / 1_000_000;
        System.out.println("READY " + ready + " " + cpu);
        System.out.flush();
        Runtime.getRuntime().halt(0); // decision: halt, not exit: a clean FX shutdown is not what we time
      }
      Thread.sleep(5);
    }
    System.out.println("TIMEOUT");
    Runtime.getRuntime().halt(1);
  }

  /** Rows of the overview table in any showing window; -1 before the toolkit is up. */
  private static int overviewRows() throws InterruptedException {
    AtomicReference<Integer> rows = new AtomicReference<>(-1);
    CountDownLatch done = new CountDownLatch(1);
    try {
      Platform.runLater(() -> {
        for (Window w : Window.getWindows()) {
          Node table = w.getScene() == null ? null : w.getScene().lookup("#overview-table");
          if (w.isShowing() && table instanceof TableView<?> t) {
            rows.set(t.getItems().size());
          }
        }
        done.countDown();
      });
    } catch (IllegalStateException notYet) {
      return -1;
    }
    done.await(1, TimeUnit.SECONDS);
    return rows.get();
  }

  private static void cold(Path dir, int n) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> base = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path")));
    for (String p : List.of("glass.platform", "monocle.platform", "prism.order", "prism.text", "java.awt.headless")) {
      if (System.getProperty(p) != null) {
        base.add("-D" + p + "=" + System.getProperty(p));
      }
    }
    // the product's logback.xml (the test one hides the INFO "console ready in N ms" line)
    base.add("-Dlogback.configurationFile=" + ConsoleBench.class.getResource("/logback.xml"));
    List<Long> times = new ArrayList<>();
    List<Long> cpus = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Path prefs = Files.createTempDirectory("bench-prefs"); // a first start: no remembered view or size
      List<String> cmd = new ArrayList<>(base);
      cmd.add("-Djava.util.prefs.userRoot=" + prefs);
      cmd.addAll(List.of(ConsoleBench.class.getName(), "start", dir.toString()));
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      pb.environment().put(AppConfig.ENV_DATA_DIR, dir.resolve("data").toString());
      pb.environment().put(AppConfig.ENV_MODELS_DIR, dir.resolve("models").toString());
      pb.environment().remove(AppConfig.ENV_MONGO_URI);
      Process p = pb.start();
      String ready = null;
      String frame = null;
      for (String line : new String(p.getInputStream().readAllBytes()).split("\n")) {
        if (line.startsWith("READY ")) {
          String[] f = line.substring(6).trim().split(" ");
          ready = f[0];
          cpus.add(Long.parseLong(f[1]));
        } else if (line.contains("console ready in")) {
          frame = line.replaceAll(".*console ready in (\\d+) ms.*", "$1");
        }
      }
      p.waitFor();
      if (ready == null) {
        throw new IllegalStateException("run " + i + " did not report READY (exit " + p.exitValue() + ")");
      }
      times.add(Long.parseLong(ready));
      System.out.printf("run %d: overview rows shown %s ms after JVM start (main window first frame %s ms), "
          + "process CPU %d ms%n", i + 1, ready, frame, cpus.get(cpus.size() - 1));
    }
    List<Long> sorted = new ArrayList<>(times);
    Collections.sort(sorted);
    Collections.sort(cpus);
    System.out.printf("cold start to overview rows: median %d ms, min %d, max %d over %d fresh JVMs; median process"
        + " CPU %d ms; load average %.1f on %d cores%n", sorted.get(sorted.size() / 2), sorted.get(0),
        sorted.get(sorted.size() - 1), n, cpus.get(cpus.size() / 2),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
        Runtime.getRuntime().availableProcessors());
  }

  private static void phases(Path dir) throws Exception {
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
    String[] names = {"JVM start to main()", "FX toolkit start", "store open (AppContext.open)",
        "overview load, 1st", "overview load, 2nd"};
    long[] wall = new long[names.length];
    long[] cpu = new long[names.length];
    wall[0] = System.currentTimeMillis() - jvmStart;
    cpu[0] = os.getProcessCpuTime() / 1_000_000;
    long t = System.currentTimeMillis();
    long c = cpu[0];
    CountDownLatch up = new CountDownLatch(1);
    Platform.startup(up::countDown);
    up.await();
    wall[1] = System.currentTimeMillis() - t;
    cpu[1] = os.getProcessCpuTime() / 1_000_000 - c;
    t = System.currentTimeMillis();
    c = os.getProcessCpuTime() / 1_000_000;
    try (AppContext ctx = AppContext.open(config(dir))) {
      wall[2] = System.currentTimeMillis() - t;
      cpu[2] = os.getProcessCpuTime() / 1_000_000 - c;
      for (int i = 3; i < 5; i++) {
        t = System.currentTimeMillis();
        c = os.getProcessCpuTime() / 1_000_000;
        com.retrainconsole.ui.overview.OverviewViewModel.load(ctx);
        wall[i] = System.currentTimeMillis() - t;
        cpu[i] = os.getProcessCpuTime() / 1_000_000 - c;
      }
    }
    for (int i = 0; i < names.length; i++) {
      System.out.printf("%-30s %6d ms wall %6d ms CPU%n", names[i], wall[i], cpu[i]);
    }
    System.exit(0);
  }

  /** A console over DIR/data in this JVM (FX toolkit started here), shown once the overview has its rows. */
  private record Opened(AppContext ctx, ConsoleModel model, Preferences prefs, MainWindow window) {}

  private static Opened open(Path dir, double width, double height) throws Exception {
    CountDownLatch up = new CountDownLatch(1);
    Platform.startup(up::countDown);
    up.await();
    AppContext ctx = AppContext.open(config(dir));
    ConsoleModel model = new ConsoleModel(ctx, ConsoleModel.RetrainSettings.defaults());
    Preferences prefs = Preferences.userRoot().node("retrain-console-bench/" + System.nanoTime());
    AtomicReference<MainWindow> window = new AtomicReference<>();
    onFx(() -> {
      prefs.put(MainWindow.PREF_VIEW, View.OVERVIEW.name());
      if (width > 0) {
        prefs.putDouble(MainWindow.PREF_WIDTH, width);
        prefs.putDouble(MainWindow.PREF_HEIGHT, height);
      }
      window.set(new MainWindow(new Stage(), model, prefs).show());
    });
    long deadline = System.currentTimeMillis() + 60_000;
    while (overviewRows() < 3 && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    return new Opened(ctx, model, prefs, window.get());
  }

  private static void retrain(Path dir) throws Exception {
    Opened o = open(dir, 0, 0);
    AppContext ctx = o.ctx();
    ConsoleModel model = o.model();
    Preferences prefs = o.prefs();
    AtomicReference<MainWindow> window = new AtomicReference<>(o.window());
    Thread.sleep(1_000); // let the first poll's work settle
    AtomicReference<Button> retrain = new AtomicReference<>();
    onFx(() -> window.get().scene().getRoot().lookupAll(".rc-retrain-button").stream()
        .map(Button.class::cast).filter(b -> !b.isDisabled()).findFirst().ifPresent(retrain::set));
    if (retrain.get() == null) {
      throw new IllegalStateException("no Retrain button in the overview");
    }
    Thread fxThread = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals("JavaFX Application Thread")).findFirst().orElseThrow();
    java.util.Map<String, Integer> busyFrames = new java.util.concurrent.ConcurrentHashMap<>();
    java.util.concurrent.atomic.AtomicBoolean sampling = new java.util.concurrent.atomic.AtomicBoolean(true);
    // where the FX thread spends its time while busy: the first frame of ours or of JavaFX's scene graph
    Thread sampler = new Thread(() -> {
      while (sampling.get()) {
        StackTraceElement[] st = fxThread.getStackTrace();
        boolean idle = st.length == 0 || java.util.Arrays.stream(st).limit(4)
            .anyMatch(f -> f.getMethodName().equals("_runLoop") || f.getMethodName().equals("runLoop")
                || f.getClassName().startsWith("jdk.internal.misc.Unsafe") || f.getMethodName().equals("wait"));
        if (!idle) {
          String frame = java.util.Arrays.stream(st)
              .filter(f -> f.getClassName().startsWith("com.retrainconsole") || f.getClassName().startsWith("javafx.scene")
                  || f.getClassName().startsWith("com.sun.javafx.tk") || f.getClassName().startsWith("com.sun.prism"))
              .findFirst().map(f -> f.getClassName() + "." + f.getMethodName()).orElse(st[0].toString());
          busyFrames.merge(frame, 1, Integer::sum);
        }
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "bench-fx-sampler");
    sampler.setDaemon(true);
    try (UiStallMonitor monitor = UiStallMonitor.start()) {
      Thread.sleep(2_000);
      String idle = monitor.report("idle, 2 s before the click");
      sampler.start();
      long t0 = System.nanoTime();
      onFx(() -> retrain.get().fire());
      while (!model.busy() && System.nanoTime() - t0 < 5_000_000_000L) {
        Thread.sleep(5);
      }
      while (model.busy()) {
        Thread.sleep(20);
      }
      double took = (System.nanoTime() - t0) / 1e9;
      Thread.sleep(6_000); // the overview's next poll and the notifier's show the new run: part of the cost
      sampling.set(false);
      System.out.println(idle);
      System.out.println("FX thread busy samples (10 ms apart) by frame:");
      busyFrames.entrySet().stream().sorted(java.util.Map.Entry.<String, Integer>comparingByValue().reversed())
          .limit(8).forEach(e -> System.out.println("  " + e.getValue() + "  " + e.getKey()));
      System.out.printf("retrain (%s, %d days) took %.1f s; %s%n", ConsoleModel.RetrainSettings.defaults().trainer(),
          ConsoleModel.RetrainSettings.defaults().days(), took, monitor.report("during the retrain and 6 s after"));
      System.out.printf("load average %.1f on %d cores%n", ManagementFactory.getOperatingSystemMXBean()
          .getSystemLoadAverage(), Runtime.getRuntime().availableProcessors());
    }
    onFx(() -> {
      for (Window w : new ArrayList<>(Window.getWindows())) {
        w.hide();
      }
    });
    model.close();
    ctx.close();
    prefs.removeNode();
    System.exit(0);
  }

  private static void views(Path dir) throws Exception {
    Opened o = open(dir, 1366, 768);
    AppContext ctx = o.ctx();
    ConsoleModel model = o.model();
    Preferences prefs = o.prefs();
    AtomicReference<MainWindow> window = new AtomicReference<>(o.window());
    Thread.sleep(1_500); // the overview's own first work settles, as a user would look at it first
    for (String pass : List.of("first open", "shown again")) {
      for (View v : View.values()) {
        if (v == View.OVERVIEW && pass.equals("first open")) {
          continue;
        }
        try (UiStallMonitor monitor = UiStallMonitor.start()) {
          Thread.sleep(50);
          onFx(() -> window.get().navigate(v));
          Thread.sleep(1_500);
          System.out.printf("%-10s %-12s worst UI stall %6.1f ms (%d probes over 100 ms)%n", v.title(), pass,
              monitor.worstMillis(), monitor.stallsOver100ms());
        }
      }
    }
    System.out.printf("load average %.1f on %d cores%n", ManagementFactory.getOperatingSystemMXBean()
        .getSystemLoadAverage(), Runtime.getRuntime().availableProcessors());
    model.close();
    ctx.close();
    prefs.removeNode();
    System.exit(0);
  }

  private static void onFx(Runnable r) throws InterruptedException {
    CountDownLatch done = new CountDownLatch(1);
    Platform.runLater(() -> {
      try {
        r.run();
      } finally {
        done.countDown();
      }
    });
    done.await();
  }
}

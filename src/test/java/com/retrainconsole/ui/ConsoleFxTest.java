package com.retrainconsole.ui;

import com.retrainconsole.settings.AppConfig;
import com.retrainconsole.app.AppContext;
import com.retrainconsole.retrain.RetrainRequest;
import com.retrainconsole.store.Store;
import com.retrainconsole.telemetry.Simulator;
import com.retrainconsole.telemetry.SimulatorConfig;
import com.retrainconsole.training.TrainerKind;
import com.retrainconsole.ui.overview.DeviceRow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;
import java.util.stream.Stream;
import javafx.application.Platform;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.control.TableView;
import javafx.scene.image.WritableImage;
import javax.imageio.ImageIO;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The console over a real in-memory store with simulated telemetry (5 days at 15 min) for three trackers:
 * tracker01 with a real CART model in service; tracker02 is what tests retrain, tracker03 is never touched. Each test gets a fresh main window and
 * its own preferences node.
 */
@ExtendWith(ApplicationExtension.class)
abstract class ConsoleFxTest extends FxRobot {
  static final List<String> DEVICES = List.of("tracker01", "tracker02", "tracker03");
  static final ConsoleModel.RetrainSettings SMALL = new ConsoleModel.RetrainSettings(TrainerKind.CART, 5, false);

  static Path root;
  static AppContext ctx;

  ConsoleModel model;
  MainWindow window;
  Preferences prefs;

  @BeforeAll
  static void open_store_with_telemetry_and_one_model() throws IOException {
    root = Files.createTempDirectory("console-ui");
    Clock clock = Clock.systemUTC();
    ctx = AppContext.open(new AppConfig(null, root.resolve("data"), root.resolve("models")), Store.openInMemory(),
        clock);
    var end = clock.instant().atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).toInstant();
    Simulator.simulate(ctx.store(), SimulatorConfig.defaults(DEVICES, end).withDays(5)
        .withInterval(Duration.ofMinutes(15)), (s, f) -> {});
    var first = ctx.retrain().run(new RetrainRequest("tracker01", 5, null, TrainerKind.CART, false, "manual",
        "fixture", "test"), (s, f) -> {});
    if (!first.completed()) {
      throw new IllegalStateException("fixture model did not train: " + first.run().stored().toJson());
    }
  }

  // decision: not @Start — ApplicationExtension only looks for it on the concrete test class
  @BeforeEach
  void open_window() throws TimeoutException {
    Stage stage = FxToolkit.registerPrimaryStage();
    prefs = Preferences.userRoot().node("retrain-console-test/" + UUID.randomUUID());
    // popups from one test's promotions would cover another test's buttons
    prefs.putBoolean(MainWindow.PREF_NOTIFICATIONS, notifications());
    remembered(prefs);
    model = new ConsoleModel(ctx, SMALL);
    FxToolkit.setupFixture(() -> window = new MainWindow(stage, model, prefs).show());
    WaitForAsyncUtils.waitForFxEvents();
  }

  /** Preferences this class's windows find as left by an earlier session (none by default). */
  void remembered(Preferences prefs) {}

  /** Whether desktop notifications are on in this class's windows (off except where they are tested). */
  boolean notifications() {
    return false;
  }

  @AfterEach
  void close_window() throws BackingStoreException, TimeoutException {
    FxToolkit.cleanupStages(); // hiding saves the window size into prefs: before the node goes
    model.close();
    prefs.removeNode();
  }

  @AfterAll
  static void close_store() throws IOException {
    ctx.close();
    try (Stream<Path> files = Files.walk(root)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /**
   * Waits (with a deadline) for background work to make {@code condition} true. decision: the condition
   * reads the scene (table items, labels), so it is evaluated on the FX thread between pulses; read from the
   * test thread it could see a list mid-update (a ConcurrentModificationException under load).
   */
  static void waitUntil(long seconds, Callable<Boolean> condition) throws TimeoutException {
    WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, () -> Platform.isFxApplicationThread() ? condition.call()
        : WaitForAsyncUtils.asyncFx(condition).get(seconds, TimeUnit.SECONDS));
  }

  /** Saves the window as target/screenshots/NAME.png for review (scene snapshot; works headless). */
  void screenshot(String name) throws IOException {
    WritableImage[] image = new WritableImage[1];
    interact(() -> image[0] = window.scene().snapshot(null));
    Path dir = Path.of("target", "screenshots");
    Files.createDirectories(dir);
    ImageIO.write(SwingFXUtils.fromFXImage(image[0], null), "png", dir.resolve(name + ".png").toFile());
  }

  @SuppressWarnings("unchecked")
  TableView<DeviceRow> overviewTable() {
    return (TableView<DeviceRow>) lookup("#overview-table").query();
  }

  DeviceRow row(String deviceId) {
    return overviewTable().getItems().stream().filter(r -> r.getDeviceId().equals(deviceId)).findFirst()
        .orElse(null);
  }
}

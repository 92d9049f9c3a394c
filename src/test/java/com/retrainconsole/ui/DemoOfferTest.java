package com.retrainconsole.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.retrainconsole.settings.AppConfig;
import com.retrainconsole.app.AppContext;
import com.retrainconsole.store.Store;
import com.retrainconsole.training.TrainerKind;
import com.retrainconsole.ui.overview.DeviceRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.prefs.Preferences;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

/** First start on an empty store: the console offers demo data, loads it with progress and trains. */
@ExtendWith(ApplicationExtension.class)
class DemoOfferTest extends FxRobot {
  @TempDir Path root;
  AppContext ctx;
  ConsoleModel model;
  Preferences prefs;

  @AfterEach
  void close() throws Exception {
    FxToolkit.cleanupStages();
    model.close();
    prefs.removeNode();
    ctx.close();
  }

  @Test
  void an_empty_store_offers_demo_data_and_accepting_loads_devices_with_a_first_model() throws Exception {
    ctx = AppContext.open(new AppConfig(null, root.resolve("data"), root.resolve("models")), Store.openInMemory(),
        Clock.systemUTC());
    model = new ConsoleModel(ctx, ConsoleFxTest.SMALL);
    prefs = Preferences.userRoot().node("retrain-console-test/" + UUID.randomUUID());
    DemoData demo = new DemoData(List.of("demo01"), 5, Duration.ofMinutes(15), TrainerKind.CART);
    Stage stage = FxToolkit.registerPrimaryStage();
    FxToolkit.setupFixture(() -> new MainWindow(stage, model, prefs).show().offerDemoIfEmpty(demo));

    WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> lookup("Load demo data").tryQuery().isPresent());
    clickOn("Load demo data");

    WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> {
      DeviceRow row = row("demo01");
      return row != null && "completed".equals(row.getLastRunStatus()) && !model.busy();
    });
    assertEquals(ctx.registry().current("demo01").orElseThrow(() -> new AssertionError("no model in service: "
        + ctx.runs().list("demo01", null, 1).get(0).toJson())).version(), row("demo01").getModel());
    assertTrue(Files.isDirectory(root.resolve("models")));
  }

  @SuppressWarnings("unchecked")
  private DeviceRow row(String id) {
    var table = (TableView<DeviceRow>) lookup("#overview-table").query();
    return table.getItems().stream().filter(r -> r.getDeviceId().equals(id)).findFirst().orElse(null);
  }
}

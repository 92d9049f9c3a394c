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

  @Test
  void file_load_demo_data_again_asks_in_a_wrapped_dialog_then_loads_devices_into_an_empty_store() throws Exception {
    ctx = AppContext.open(new AppConfig(null, root.resolve("data"), root.resolve("models")), Store.openInMemory(),
        Clock.systemUTC());
    model = new ConsoleModel(ctx, ConsoleFxTest.SMALL);
    prefs = Preferences.userRoot().node("retrain-console-test/" + UUID.randomUUID());
    DemoData demo = new DemoData(List.of("demo02"), 5, Duration.ofMinutes(15), TrainerKind.CART);
    Stage stage = FxToolkit.registerPrimaryStage();
    FxToolkit.setupFixture(() -> {
      new MainWindow(stage, model, prefs).withDemo(demo).show();
      stage.setWidth(1024);
      stage.setHeight(600);
    });
    WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> stage.getWidth() == 1024);
    assertTrue(ctx.devices().list().isEmpty());

    clickOn("File");
    clickOn("#menu-demo-data");
    WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> lookup("#demo-confirm").tryQuery().isPresent());
    WaitForAsyncUtils.waitForFxEvents();
    javafx.scene.control.DialogPane pane = lookup("#demo-confirm").queryAs(javafx.scene.control.DialogPane.class);
    javafx.scene.control.Label text = lookup("#dialog-text").queryAs(javafx.scene.control.Label.class);
    double[] measured = new double[3];
    interact(() -> {
      measured[0] = pane.getScene().getWindow().getWidth();
      measured[1] = text.getHeight();
      measured[2] = text.getFont().getSize();
    });
    // the long question wraps inside a dialog narrower than the window instead of running off the screen
    assertTrue(measured[0] <= 1024 - 100, "dialog " + measured[0] + " px wide");
    assertTrue(measured[1] >= 2.5 * measured[2], "text " + measured[1] + " px high: not wrapped");

    clickOn("Load demo data");
    WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> {
      DeviceRow row = row("demo02");
      return row != null && "completed".equals(row.getLastRunStatus()) && !model.busy();
    });
    assertTrue(ctx.registry().current("demo02").isPresent(), "a first model is in service");

    // an error with a long message: every word of it is drawn, inside the screen
    String message = "The store at mongodb://field-laptop.example:27017 refused the write because ".repeat(8).trim();
    interact(() -> model.showError(new IllegalStateException(message)));
    WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> lookup("Something went wrong").tryQuery().isPresent());
    WaitForAsyncUtils.waitForFxEvents();
    String[] drawn = new String[1];
    double[] size = new double[2];
    interact(() -> {
      javafx.scene.control.DialogPane errorPane = (javafx.scene.control.DialogPane) lookup("Something went wrong")
          .query().getParent().getParent();
      drawn[0] = errorPane.lookupAll(".text").stream().filter(n -> n instanceof javafx.scene.text.Text)
          .map(n -> ((javafx.scene.text.Text) n).getText()).filter(t -> t.startsWith("The store"))
          .findFirst().orElse("");
      size[0] = errorPane.getScene().getWindow().getWidth();
      size[1] = errorPane.getScene().getWindow().getHeight();
    });
    assertEquals(message, drawn[0].replace("\n", " "), "the message is cut");
    assertTrue(size[0] <= 1024 && size[1] <= 600, "error dialog " + size[0] + "x" + size[1]);
  }

  @SuppressWarnings("unchecked")
  private DeviceRow row(String id) {
    var table = (TableView<DeviceRow>) lookup("#overview-table").query();
    return table.getItems().stream().filter(r -> r.getDeviceId().equals(id)).findFirst().orElse(null);
  }
}

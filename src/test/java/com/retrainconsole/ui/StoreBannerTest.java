package com.retrainconsole.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.retrainconsole.settings.AppConfig;
import com.retrainconsole.app.AppContext;
import com.retrainconsole.store.Store;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import com.retrainconsole.store.StoreConfig;
import com.retrainconsole.telemetry.Simulator;
import com.retrainconsole.telemetry.SimulatorConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.controlsfx.control.StatusBar;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The console over a store that goes away and comes back: an embedded store served on a fixed loopback
 * port (as `store serve` does), reached by the console as a remote MongoDB; the test closes the server,
 * then serves the same data folder on the same port again.
 */
class StoreBannerTest extends ConsoleFxTest {
  private Path dir;
  private int port;
  // decision: a plain MongoDB wire server (no login) on a file stands in for a site's remote MongoDB: the app's
  // own served store now asks for a secret drawn anew at each start, which a remote URI cannot follow
  private MongoServer server;
  private AppContext remote;

  @Test
  void store_unavailable_mid_session_shows_a_banner_keeps_the_ui_usable_and_recovers() throws Exception {
    dir = Files.createTempDirectory("console-banner");
    port = freePort();
    startRemoteMongo();
    var end = Clock.systemUTC().instant().atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).toInstant();
    String uri = "mongodb://127.0.0.1:" + port + "/retrain";
    try (Store writer = Store.open(StoreConfig.remote(uri))) {
      Simulator.simulate(writer, SimulatorConfig.defaults(List.of("site-a", "site-b"), end).withDays(1)
          .withInterval(Duration.ofMinutes(30)), (s, f) -> {});
    }
    remote = AppContext.open(new AppConfig(uri, dir.resolve("data"), dir.resolve("models")),
        Store.open(StoreConfig.remote(uri)), Clock.systemUTC());
    openConsoleOver(remote);
    waitUntil(15, () -> overviewTable().getItems().size() == 2);
    assertFalse(banner().isVisible(), "no banner while the store answers");

    server.shutdownNow(); // the store goes away mid-session
    waitUntil(15, () -> banner().isVisible());
    // the condition is read off the FX thread, possibly mid-way through the event that flips the store
    // state: let that event finish (the status bar's listeners run in it) before reading the rest
    WaitForAsyncUtils.waitForFxEvents();
    String text = lookup("#store-banner-text").queryAs(Label.class).getText();
    assertTrue(text.startsWith("Store unreachable: mongodb://127.0.0.1:" + port + "/retrain — "), text);
    assertTrue(text.endsWith("Showing the last data; retrying every 3 s."), text);
    assertTrue(lookup("#store-retry").tryQuery().isPresent());
    StatusBar bar = lookup("#status-bar").queryAs(StatusBar.class);
    assertTrue(bar.getText().endsWith("not connected"), bar.getText());
    assertTrue(lookup("#store-state").queryAs(Label.class).getStyleClass().contains("rc-store-down"));
    screenshot("store-banner");

    // still usable: navigation, theme, the overview keeps its last rows
    clickOn("#nav-ALERTS");
    assertEquals(View.ALERTS, window.currentView());
    clickOn("View");
    clickOn("Dark theme");
    WaitForAsyncUtils.waitForFxEvents();
    assertEquals(Theme.DARK, window.theme());
    screenshot("store-banner-dark");
    clickOn("#nav-OVERVIEW");
    assertEquals(2, overviewTable().getItems().size(), "the overview keeps its last data");
    clickOn("#store-retry"); // a retry while it is still down keeps the banner
    waitUntil(10, () -> !window.storeHealth().checkingProperty().get());
    assertTrue(banner().isVisible());

    startRemoteMongo(); // the same store comes back on the same port
    waitUntil(20, () -> !banner().isVisible());
    WaitForAsyncUtils.waitForFxEvents();
    assertTrue(model.storeAvailableProperty().get());
    assertTrue(lookup("#store-state").queryAs(Label.class).getStyleClass().contains("rc-store-up"));
    assertEquals("Store: " + remote.store().describe(), bar.getText());
  }

  /** Replaces the fixture's window with one over {@code c}, closing the fixture's background work. */
  private void openConsoleOver(AppContext c) throws Exception {
    Stage stage = (Stage) window.scene().getWindow();
    interact(() -> {
      window.storeHealth().close();
      window.notifier().close();
    });
    model.close();
    model = new ConsoleModel(c, SMALL);
    FxToolkit.setupFixture(() -> window = new MainWindow(stage, model, prefs).show());
    WaitForAsyncUtils.waitForFxEvents();
  }

  private void startRemoteMongo() {
    server = new MongoServer(new H2Backend(dir.resolve("remote.mv.db").toString()));
    server.bind("127.0.0.1", port);
  }

  private Node banner() {
    return lookup("#store-banner").query();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @AfterEach
  void close_served_store() throws IOException {
    if (remote != null) {
      remote.close();
    }
    if (server != null) {
      server.shutdownNow();
    }
    if (dir != null) {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}

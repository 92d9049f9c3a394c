package com.retrainconsole.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.retrainconsole.access.Actor;
import com.retrainconsole.access.Role;
import com.retrainconsole.alerts.AlertTypes;
import com.retrainconsole.settings.AppConfig;
import com.retrainconsole.app.AppContext;
import com.retrainconsole.devices.DeviceChanges;
import com.retrainconsole.runs.RunStatus;
import com.retrainconsole.store.Store;
import com.retrainconsole.triggers.TriggerType;
import com.retrainconsole.ui.alerts.AlertRow;
import com.retrainconsole.ui.overview.DeviceRow;
import com.retrainconsole.ui.runs.RunRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.prefs.Preferences;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javafx.scene.Node;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.framework.junit5.ApplicationExtension;

/**
 * The console of an actor with roles on some sites: a store with devices n1, n2 on site north and s1, s2 on
 * site south, each with a failed run, an alert and a trigger, plus an alert about no device. The console
 * shows only the sites the actor has a role on, offers a site picker when that is more than one, and
 * offers an action on a device only where the role on its site allows it.
 */
@ExtendWith(ApplicationExtension.class)
class SitePickerTest extends FxRobot {
  static final Actor FLEET_ADMIN = new Actor("root", Role.ADMIN);
  static final Set<String> NORTH = Set.of("n1", "n2");
  static final Set<String> SOUTH = Set.of("s1", "s2");

  static Path root;
  static AppContext ctx;
  static String fleetAlert;

  ConsoleModel model;
  MainWindow window;
  Preferences prefs;

  @BeforeAll
  static void store_with_two_sites() throws Exception {
    root = Files.createTempDirectory("console-sites");
    ctx = AppContext.open(new AppConfig(null, root.resolve("data"), root.resolve("models")), Store.openInMemory(),
        Clock.systemUTC());
    for (String id : List.of("n1", "n2", "s1", "s2")) {
      String site = id.startsWith("n") ? "north" : "south";
      ctx.operations().addDevice(FLEET_ADMIN, id, DeviceChanges.none().withSite(site));
      String runId = ctx.runs().startInline(id, new Document("type", "manual"), new Document("days", 7))
          .getString("run_id");
      ctx.runs().finish(runId, RunStatus.FAILED, new Document("error", "no readings"));
      ctx.alerts().raiseAlert(AlertTypes.TRAINING_FAILURE, id, "fail:" + id, "run " + runId + " failed",
          Map.of("run_id", runId));
      ctx.operations().addTrigger(FLEET_ADMIN, id, TriggerType.INTERVAL, new Document("every", "PT6H"), null);
    }
    fleetAlert = ctx.alerts().raiseAlert(AlertTypes.STUCK_JOB, null, "scheduler", "no scheduler tick", Map.of())
        .getString("alert_id");
  }

  @AfterAll
  static void close_store() throws Exception {
    ctx.close();
    try (Stream<Path> files = Files.walk(root)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @AfterEach
  void close_window() throws Exception {
    FxToolkit.cleanupStages();
    if (model != null) {
      model.close();
    }
    prefs.removeNode();
  }

  private void open(Actor actor) throws TimeoutException {
    Stage stage = FxToolkit.registerPrimaryStage();
    prefs = Preferences.userRoot().node("retrain-console-test/" + UUID.randomUUID());
    prefs.putBoolean(MainWindow.PREF_NOTIFICATIONS, false);
    model = new ConsoleModel(ctx, ConsoleFxTest.SMALL, actor);
    FxToolkit.setupFixture(() -> window = new MainWindow(stage, model, prefs).show());
  }

  @Test
  void roles_on_one_site_show_no_picker_and_only_that_sites_devices_runs_alerts_and_triggers() throws Exception {
    open(new Actor("nora", null, Map.of("north", Role.OPERATOR)));
    // the sites have loaded: only then does "no picker" mean something
    ConsoleFxTest.waitUntil(10, () -> model.sitesProperty().get().equals(List.of("north")));
    assertFalse(node("#site-bar").isVisible(), "one site needs no picker");
    ConsoleFxTest.waitUntil(10, () -> overviewDevices().equals(NORTH));
    assertTrue(this.<Label>node("#role-label").getText().contains("nora (operator on north)"));
    assertFalse(this.<Label>node("#role-label").getText().contains("site:"), "no choice, no site named");

    clickOn("#nav-RUNS");
    ConsoleFxTest.waitUntil(10, () -> runDevices().equals(NORTH));
    ConsoleFxTest.waitUntil(10, () -> this.<ComboBox<String>>node("#runs-filter-device").getItems()
        .equals(List.of("All devices", "n1", "n2")));

    clickOn("#nav-ALERTS");
    ConsoleFxTest.waitUntil(10, () -> alertDevices().equals(NORTH));
    assertTrue(alerts().getItems().stream().noneMatch(r -> r.getAlertId().equals(fleetAlert)),
        "an alert about no device is the fleet's");

    clickOn("#nav-TRIGGERS");
    ConsoleFxTest.waitUntil(10, () -> this.<ComboBox<String>>node("#deviceBox").getItems()
        .equals(List.of("n1", "n2")));
  }

  @Test
  void roles_on_two_sites_offer_a_picker_whose_site_filters_every_view_and_its_role_decides_the_actions()
      throws Exception {
    open(new Actor("sam", null, Map.of("north", Role.ADMIN, "south", Role.ANALYST)));
    ConsoleFxTest.waitUntil(10, () -> node("#site-bar").isVisible());
    assertEquals(List.of(MainWindow.ALL_SITES, "north", "south"), picker().getItems());
    assertEquals(MainWindow.ALL_SITES, picker().getValue());
    ConsoleFxTest.waitUntil(10, () -> overviewDevices().equals(Set.of("n1", "n2", "s1", "s2")));
    // every site shown: retrain is offered on north's rows (admin) but not on south's (analyst)
    ConsoleFxTest.waitUntil(10, () -> node("#retrain-n1").isVisible() && !node("#retrain-s1").isVisible());

    interact(() -> picker().setValue("south"));
    assertEquals("south", model.siteProperty().get());
    ConsoleFxTest.waitUntil(10, () -> overviewDevices().equals(SOUTH));
    assertTrue(this.<Label>node("#role-label").getText().endsWith("· site: south"),
        this.<Label>node("#role-label").getText());

    clickOn("#nav-RUNS");
    ConsoleFxTest.waitUntil(10, () -> runDevices().equals(SOUTH));

    clickOn("#nav-ALERTS");
    ConsoleFxTest.waitUntil(10, () -> alertDevices().equals(SOUTH));
    interact(() -> alerts().getSelectionModel().select(0));
    assertFalse(shown("#alerts-ack"), "an analyst on south cannot acknowledge its alerts");

    clickOn("#nav-VERSIONS");
    ConsoleFxTest.waitUntil(10, () -> this.<ComboBox<String>>node("#versions-device").getItems()
        .equals(List.of("s1", "s2")) && this.<ComboBox<String>>node("#versions-device").getValue() != null);
    assertFalse(node("#versions-promote").isVisible(), "an analyst on south cannot promote");

    clickOn("#nav-DEVICES");
    ConsoleFxTest.waitUntil(10, () -> devicesShown().equals(SOUTH));
    assertFalse(node("#devices-add").isVisible(), "an analyst on south cannot add devices there");

    // north: the admin's site, where the same buttons are offered
    interact(() -> picker().setValue("north"));
    ConsoleFxTest.waitUntil(10, () -> devicesShown().equals(NORTH));
    assertTrue(node("#devices-add").isVisible());
    clickOn("#nav-VERSIONS");
    ConsoleFxTest.waitUntil(10, () -> this.<ComboBox<String>>node("#versions-device").getItems()
        .equals(List.of("n1", "n2")) && this.<ComboBox<String>>node("#versions-device").getValue() != null);
    assertTrue(node("#versions-promote").isVisible());
  }

  // ---- reading the scene (on the FX thread, through waitUntil)

  private <T extends Node> T node(String query) {
    return lookup(query).query();
  }

  /** Whether the node is on screen: it and every parent visible (a hidden box hides its buttons). */
  private boolean shown(String query) {
    for (Node n = node(query); n != null; n = n.getParent()) {
      if (!n.isVisible()) {
        return false;
      }
    }
    return true;
  }

  @SuppressWarnings("unchecked")
  private ComboBox<String> picker() {
    return (ComboBox<String>) lookup("#site-picker").query();
  }

  @SuppressWarnings("unchecked")
  private Set<String> overviewDevices() {
    return ((TableView<DeviceRow>) lookup("#overview-table").query()).getItems().stream()
        .map(DeviceRow::getDeviceId).collect(Collectors.toSet());
  }

  @SuppressWarnings("unchecked")
  private Set<String> runDevices() {
    return ((TableView<RunRow>) lookup("#runs-table").query()).getItems().stream()
        .map(r -> r.deviceProperty().get()).collect(Collectors.toSet());
  }

  @SuppressWarnings("unchecked")
  private TableView<AlertRow> alerts() {
    return (TableView<AlertRow>) lookup("#alerts-table").query();
  }

  private Set<String> alertDevices() {
    return alerts().getItems().stream().map(r -> r.deviceProperty().get()).collect(Collectors.toSet());
  }

  @SuppressWarnings("unchecked")
  private Set<String> devicesShown() {
    return ((TableView<com.retrainconsole.ui.devices.DevicesViewModel.Item>) lookup("#devices-table").query())
        .getItems().stream().map(i -> i.id()).collect(Collectors.toSet());
  }
}

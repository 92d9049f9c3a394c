package com.retrainconsole.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.retrainconsole.retrain.RetrainRequest;
import com.retrainconsole.runs.EnqueueRequest;
import com.retrainconsole.settings.Policies;
import com.retrainconsole.settings.PolicySettings;
import com.retrainconsole.store.Collections;
import com.retrainconsole.training.TrainerKind;
import java.util.concurrent.TimeUnit;
import com.retrainconsole.access.Actor;
import com.retrainconsole.access.Role;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.stage.Stage;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.testfx.util.WaitForAsyncUtils;

class SettingsViewTest extends ConsoleFxTest {

  void openSettings() throws Exception {
    clickOn("#nav-SETTINGS");
    waitUntil(10, () -> lookup("#policy-promotion-tolerance").tryQuery().isPresent()
        && !text("#policy-promotion-tolerance").isEmpty());
  }

  String text(String query) {
    var node = lookup(query).query();
    return node instanceof TextField f ? f.getText() : ((Label) node).getText();
  }

  void type(String fieldId, String value) {
    TextField f = lookup(fieldId).query();
    interact(() -> f.setText(value));
    WaitForAsyncUtils.waitForFxEvents();
  }

  @Test
  void test_connection_to_an_unreachable_server_shows_the_specific_error_within_seconds() throws Exception {
    openSettings();
    clickOn("#settings-remote");
    type("#settings-uri", "mongodb://127.0.0.1:1/retrain");
    long t0 = System.nanoTime();
    clickOn("#settings-test-connection");
    waitUntil(15, () -> text("#settings-test-result").startsWith("Cannot reach"));
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    String shown = text("#settings-test-result");
    assertTrue(shown.contains("127.0.0.1:1") && shown.contains("within 5 s"), shown);
    assertTrue(lookup("#settings-test-result").queryAs(Label.class).getStyleClass().contains("rc-result-error"));
    System.out.println("settings: unreachable test connection answered in " + ms + " ms");
  }

  @Test
  void test_connection_to_the_consoles_own_store_succeeds_and_names_the_server() throws Exception {
    openSettings();
    clickOn("#settings-remote");
    type("#settings-uri", ctx.store().connectionUri());
    clickOn("#settings-test-connection");
    waitUntil(15, () -> text("#settings-test-result").startsWith("Connected to"));
    String port = ctx.store().connectionUri().replaceAll(".*:(\\d+)/.*", "$1");
    assertTrue(text("#settings-test-result").contains("127.0.0.1:" + port), text("#settings-test-result"));
    assertTrue(lookup("#settings-test-result").queryAs(Label.class).getStyleClass().contains("rc-result-ok"));
    // a URI with a password can be tested but never saved
    type("#settings-uri", "mongodb://alice:s3cret@127.0.0.1:1/retrain");
    assertTrue(text("#settings-uri-error").contains("RETRAIN_MONGO_URI"), text("#settings-uri-error"));
    assertTrue(lookup("#settings-save-local").queryAs(Button.class).isDisabled());

    // without the password it is saved to the local settings file, for the next start
    type("#settings-uri", ctx.store().connectionUri());
    type("#settings-models-dir", root.resolve("other-models").toString());
    clickOn("#settings-save-local");
    try {
      waitUntil(10, () -> text("#settings-local-status").contains("Restart"));
      var saved = ctx.config().localSettings().read();
      assertEquals(ctx.store().connectionUri(), saved.mongoUri());
      assertEquals(root.resolve("other-models"), saved.modelsDir());
      assertTrue(java.nio.file.Files.isDirectory(root.resolve("other-models")));
    } finally {
      ctx.config().localSettings().write(com.retrainconsole.settings.LocalSettings.defaults());
    }
  }

  @Test
  void an_invalid_threshold_shows_its_field_error_and_disables_save_and_a_valid_one_is_saved_to_the_store()
      throws Exception {
    ctx.store().collection(Collections.SETTINGS).deleteMany(new Document());
    openSettings();
    Button save = lookup("#settings-save-policies").query();
    assertEquals("10", text("#policy-promotion-tolerance"));
    assertTrue(save.isDisabled(), "nothing changed yet");

    type("#policy-promotion-tolerance", "150");
    assertTrue(text("#policy-promotion-tolerance-error").contains("between 0 % and 100 %"),
        text("#policy-promotion-tolerance-error"));
    assertTrue(save.isDisabled());
    type("#policy-alerts-failure-min-runs", "abc");
    assertEquals("must be a whole number", text("#policy-alerts-failure-min-runs-error"));
    assertTrue(save.isDisabled());
    screenshot("settings-invalid-light");
    ToggleButton dark = lookup("#settings-theme-DARK").query();
    interact(dark::fire); // below the fold at 1320×760
    assertEquals(Theme.DARK, window.theme());
    screenshot("settings-invalid-dark");
    interact(() -> lookup("#settings-theme-LIGHT").queryAs(ToggleButton.class).fire());
    assertEquals(Theme.LIGHT, window.theme());

    type("#policy-alerts-failure-min-runs", "3");
    type("#policy-promotion-tolerance", "5");
    assertEquals("", text("#policy-promotion-tolerance-error"));
    assertFalse(save.isDisabled());
    clickOn(save);
    waitUntil(10, () -> text("#settings-policy-status").startsWith("Saved by"));
    Policies stored = new PolicySettings(ctx.store(), null, ctx.clock()).load();
    assertEquals(0.05, stored.promotionTolerance(), 1e-12);
    assertEquals(Policies.defaults().gateMinRows(), stored.gateMinRows());
    assertTrue(save.isDisabled(), "saved: nothing left to save");
  }

  @Test
  void the_scheduler_switched_on_runs_a_queued_retrain_in_a_worker_and_switched_off_stops() throws Exception {
    openSettings();
    screenshot("settings-light");
    long t0 = System.nanoTime();
    var params = new RetrainRequest("tracker03", 5, null, TrainerKind.CART, false, "manual", "settings test", "test")
        .toParams();
    String runId = ctx.queue().enqueue(EnqueueRequest.manual("tracker03", params, "test", "settings test")).runId();
    Button toggle = lookup("#settings-scheduler-button").query();
    Label state = lookup("#settings-scheduler-state").query();
    assertEquals("Scheduler: off", state.getText());
    assertEquals("Start scheduler", toggle.getText(), "the button names its action, not the state");
    try {
      clickOn(toggle);
      waitUntil(10, () -> model.schedulerOnProperty().get());
      waitUntil(5, () -> state.getText().equals("Scheduler: on") && toggle.getText().equals("Stop scheduler"));
      waitUntil(60, () -> "completed".equals(status(runId)));
      System.out.println("settings: toggle on to queued run completed in a worker "
          + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) + " ms");
      assertNotNull(ctx.runs().require(runId).get("metrics"), "the completed run has no metrics");
      assertTrue(ctx.config().localSettings().read().schedulerOn(), "the choice was not remembered");
      waitUntil(5, () -> model.schedulerRunningJobsProperty().get() == 0);
    } finally {
      if (ConsoleScheduler.of(model).state() == ConsoleScheduler.State.ON) {
        clickOn(toggle);
      }
    }
    long t1 = System.nanoTime();
    waitUntil(20, () -> !model.schedulerOnProperty().get()
        && ConsoleScheduler.of(model).state() == ConsoleScheduler.State.OFF);
    System.out.println("settings: toggle off to stopped " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t1) + " ms");
    assertEquals("Scheduler: off", state.getText());
    assertEquals("Start scheduler", toggle.getText());
    assertFalse(ctx.config().localSettings().read().schedulerOn());
  }

  @Test
  void an_analyst_sees_every_setting_read_only_and_cannot_switch_the_scheduler() throws Exception {
    ConsoleModel analyst = new ConsoleModel(ctx, SMALL, new Actor("ann", Role.ANALYST));
    Parent[] root = new Parent[1];
    try {
      interact(() -> {
        root[0] = new Controllers(analyst).load(View.SETTINGS).getRoot();
        Stage stage = new Stage();
        stage.setScene(new Scene(root[0], 1320, 760));
        stage.show();
      });
      waitUntil(10, () -> !((TextField) root[0].lookup("#policy-promotion-tolerance")).getText().isEmpty());
      assertFalse(((TextField) root[0].lookup("#policy-promotion-tolerance")).isEditable());
      assertFalse(((TextField) root[0].lookup("#settings-models-dir")).isEditable());
      assertFalse(root[0].lookup("#settings-save-policies").isVisible());
      assertFalse(root[0].lookup("#settings-save-local").isVisible());
      assertTrue(root[0].lookup("#settings-scheduler-button").isDisabled());
      assertTrue(((Label) root[0].lookup(".rc-view-header .rc-muted")).getText().contains("read-only"));
    } finally {
      analyst.close();
    }
  }

  String status(String runId) {
    return ctx.runs().require(runId).getString("status");
  }
}

package com.retrainconsole.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.retrainconsole.store.Collections;
import com.retrainconsole.triggers.Guards;
import com.retrainconsole.access.Actor;
import com.retrainconsole.access.Role;
import com.retrainconsole.alerts.AlertSink;
import com.retrainconsole.triggers.Trigger;
import com.retrainconsole.triggers.TriggerEngine;
import com.retrainconsole.triggers.TriggerReplay;
import com.retrainconsole.triggers.TriggerType;
import com.retrainconsole.ui.triggers.TriggerRow;
import com.retrainconsole.ui.triggers.TriggersViewModel;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.testfx.matcher.control.LabeledMatchers;
import org.testfx.util.WaitForAsyncUtils;

class TriggersViewTest extends ConsoleFxTest {

  @AfterEach
  void remove_triggers() {
    ctx.store().collection(Collections.TRIGGERS).deleteMany(new Document());
  }

  private void openTriggers(String device) throws Exception {
    interact(() -> {
      model.selectedDeviceProperty().set(device);
      window.navigate(View.TRIGGERS);
    });
    waitUntil(10, () -> device.equals(this.<ComboBox<String>>node("#deviceBox").getValue())
        && !label("#updatedLabel").getText().isEmpty());
  }

  @SuppressWarnings("unchecked")
  private <T> T node(String query) {
    return (T) lookup(query).query();
  }

  private Label label(String query) {
    return node(query);
  }

  /** Types {@code text} key by key into an emptied field, as a user would. */
  private void type(String field, String text) {
    TextField f = node(field);
    interact(f::clear);
    clickOn(f).write(text);
    WaitForAsyncUtils.waitForFxEvents();
  }

  /** Sets a field's whole text at once (same listeners and validators as typing, far fewer robot events). */
  private void set(String field, String text) {
    TextField f = node(field);
    interact(() -> f.setText(text));
  }

  private void chooseType(TriggerType type) {
    interact(() -> this.<ComboBox<TriggerType>>node("#typeBox").setValue(type));
  }

  private TableView<TriggersViewModel.PreviewRow> preview() {
    return node("#previewTable");
  }

  private TableView<TriggerRow> table() {
    return node("#table");
  }

  private Button save() {
    return node("#saveButton");
  }

  @Test
  void an_invalid_cron_names_what_is_wrong_keeps_save_disabled_and_saves_nothing() throws Exception {
    openTriggers("tracker02");
    chooseType(TriggerType.CRON);
    set("#zoneField", "Europe/Berlin");
    type("#cronField", "61 2 * * *");

    waitUntil(10, () -> label("#form-problems").getText().contains("Cron expression"));
    String problems = label("#form-problems").getText();
    assertTrue(problems.contains("61") && problems.contains("minute 0-59"), problems);
    assertTrue(save().isDisabled(), "Save must stay disabled while the cron is invalid");
    waitUntil(10, () -> preview().getItems().isEmpty());

    set("#cronField", "30 2 * *");
    waitUntil(10, () -> label("#form-problems").getText().contains("has 4 fields"));
    set("#zoneField", "Europe/Berln");
    waitUntil(10, () -> label("#form-problems").getText().contains("Did you mean Europe/Berlin?"));
    assertTrue(save().isDisabled());
    screenshot("triggers-invalid-light");

    clickOn(save()); // a click on the disabled button must not save either
    WaitForAsyncUtils.waitForFxEvents();
    assertEquals(0, ctx.store().collection(Collections.TRIGGERS).countDocuments());
  }

  @Test
  void a_valid_cron_previews_ten_fires_and_save_creates_the_trigger_the_list_shows() throws Exception {
    openTriggers("tracker02");
    chooseType(TriggerType.CRON);
    set("#cronField", "30 2 * * *");
    set("#zoneField", "Europe/Berlin");

    waitUntil(10, () -> preview().getItems().size() == 10
        && preview().getItems().stream().allMatch(r -> r.local().contains(" 02:30 ")));
    TriggersViewModel.PreviewRow first = preview().getItems().get(0);
    assertTrue(first.utc().contains(" 01:30 UTC") || first.utc().contains(" 00:30 UTC"), first.utc());
    waitUntil(5, () -> !save().isDisabled());
    assertTrue(label("#form-problems").getText().isEmpty(), label("#form-problems").getText());

    clickOn(save());

    waitUntil(10, () -> ctx.triggers().list("tracker02").size() == 1);
    Trigger saved = ctx.triggers().list("tracker02").get(0);
    assertEquals(TriggerType.CRON, saved.type());
    assertEquals("30 2 * * *", saved.spec().getString("cron"));
    assertEquals("Europe/Berlin", saved.spec().getString("zone"));
    assertTrue(saved.enabled());
    waitUntil(10, () -> table().getItems().stream().anyMatch(r -> r.getTriggerId().equals(saved.triggerId())
        && r.nextFireProperty().get().contains("02:30")));
    waitUntil(5, () -> table().getSelectionModel().getSelectedItem() != null
        && saved.triggerId().equals(table().getSelectionModel().getSelectedItem().getTriggerId()));
    screenshot("triggers-light");
    interact(() -> window.applyTheme(Theme.DARK));
    screenshot("triggers-dark");
  }

  @Test
  void unchecking_and_checking_enabled_round_trips_through_the_store() throws Exception {
    Trigger t = ctx.triggers().add("tracker03", TriggerType.INTERVAL, new Document("every", "PT6H"),
        Guards.defaults());
    openTriggers("tracker03");
    waitUntil(10, () -> lookup("#enabled-" + t.triggerId()).tryQuery().isPresent());

    clickOn("#enabled-" + t.triggerId());
    waitUntil(10, () -> !ctx.triggers().require(t.triggerId()).enabled());
    waitUntil(10, () -> table().getItems().get(0).nextFireProperty().get().equals("disabled"));

    clickOn("#enabled-" + t.triggerId());
    waitUntil(10, () -> ctx.triggers().require(t.triggerId()).enabled());
    waitUntil(10, () -> table().getItems().get(0).isEnabled());
  }

  @Test
  void replay_of_a_new_data_trigger_shows_when_it_would_have_fired_over_the_stored_days() throws Exception {
    openTriggers("tracker02");
    chooseType(TriggerType.NEW_DATA);
    set("#minRowsField", "20");
    set("#checkEveryField", "1h");
    set("#cooldownField", "12h");
    waitUntil(10, () -> !this.<Button>node("#replayButton").isDisabled());

    clickOn(lookup(".tab-label").match(LabeledMatchers.hasText("Replay")).queryLabeled());
    clickOn("#replayButton");

    TableView<TriggerReplay.ReplayFire> fires = node("#replayTable");
    try {
      waitUntil(30, () -> label("#replayLabel").getText().contains("would have fired"));
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("replay: " + label("#replayLabel").getText(), e);
    }
    // 5 days of readings at 15 min, at least 12 h apart: one fire when enough readings exist, then every 12 h
    List<TriggerReplay.ReplayFire> all = List.copyOf(fires.getItems());
    assertTrue(all.size() >= 5 && all.size() <= 15, all.size() + " fires: " + label("#replayLabel").getText());
    for (int i = 1; i < all.size(); i++) {
      assertFalse(all.get(i).at().isBefore(all.get(i - 1).at().plus(12, ChronoUnit.HOURS)), "cooldown ignored");
    }
    Instant start = Instant.now().minus(8, ChronoUnit.DAYS);
    assertTrue(all.stream().allMatch(f -> f.at().isAfter(start) && f.value() != null && f.value() >= 20));
    assertEquals(0, ctx.store().collection(Collections.TRIGGERS).countDocuments(), "a replay writes nothing");
    screenshot("triggers-replay-light");
    waitUntil(5, () -> !model.busy());
  }

  @Test
  void a_save_the_store_refuses_is_shown_beside_the_form_and_nothing_is_saved() throws Exception {
    Trigger t = ctx.triggers().add("tracker03", TriggerType.NEW_DATA, new Document("min_rows", 500L),
        Guards.defaults());
    openTriggers("tracker03");
    waitUntil(10, () -> !table().getItems().isEmpty());
    interact(() -> table().getSelectionModel().select(0));
    waitUntil(5, () -> "500".equals(this.<TextField>node("#minRowsField").getText()));
    ctx.triggers().remove(t.triggerId()); // removed elsewhere (CLI, another console) while the form is open

    set("#minRowsField", "800");
    waitUntil(5, () -> !save().isDisabled());
    clickOn(save());

    waitUntil(10, () -> label("#save-error").getText().contains("Unknown trigger '" + t.triggerId() + "'"));
    assertEquals(0, ctx.store().collection(Collections.TRIGGERS).countDocuments());
  }

  @Test
  void evaluation_history_shows_the_schedulers_evaluations_newest_first_with_value_and_threshold() throws Exception {
    Trigger t = ctx.triggers().add("tracker03", TriggerType.NEW_DATA, new Document("min_rows", 10L),
        Guards.defaults());
    // the real engine evaluates the trigger twice: it fires, then the 6 h cooldown holds it back
    TriggerEngine engine = new TriggerEngine(ctx.store(), ctx.clock(), ctx.devices(), ctx.registry(), AlertSink.NONE,
        TriggerEngine.Settings.defaults());
    Instant now = Instant.now();
    assertEquals(1, engine.tickWithResult(now.plus(2, ChronoUnit.HOURS)).fired());
    assertEquals(0, engine.tickWithResult(now.plus(3, ChronoUnit.HOURS)).fired());
    try {
      openTriggers("tracker03");
      waitUntil(10, () -> !table().getItems().isEmpty());
      interact(() -> table().getSelectionModel().select(0));
      clickOn(lookup(".tab-label").match(LabeledMatchers.hasText("Evaluation history")).queryLabeled());
      TableView<TriggersViewModel.EventRow> history = node("#historyTable");
      waitUntil(10, () -> history.getItems().size() == 2);
      TriggersViewModel.EventRow newest = history.getItems().get(0);
      TriggersViewModel.EventRow older = history.getItems().get(1);
      assertFalse(newest.fired());
      assertTrue(newest.reason().contains("cooldown"), newest.reason());
      assertTrue(older.fired(), older.toString());
      assertEquals("10", older.threshold());
      assertTrue(Long.parseLong(older.value()) >= 10, older.value());
      assertFalse(older.runId().isEmpty());
      waitUntil(5, () -> label("#historyLabel").getText().contains("2 evaluations shown, 1 fired"));
      screenshot("triggers-history-light");
    } finally {
      ctx.store().collection(Collections.RUN_QUEUE).deleteMany(new Document("device_id", "tracker03"));
      ctx.store().collection(Collections.MODEL_RUNS).deleteMany(new Document("device_id", "tracker03"));
    }
  }

  @Test
  void an_analyst_sees_the_triggers_read_only() throws Exception {
    Trigger t = ctx.triggers().add("tracker03", TriggerType.INTERVAL, new Document("every", "PT6H"),
        Guards.defaults());
    ConsoleModel analyst = new ConsoleModel(ctx, SMALL, new Actor("ana", Role.ANALYST));
    analyst.selectedDeviceProperty().set("tracker03");
    javafx.scene.Parent[] root = new javafx.scene.Parent[1];
    Stage[] stage = new Stage[1];
    try {
      interact(() -> {
        root[0] = new Controllers(analyst).load(View.TRIGGERS).getRoot();
        stage[0] = new Stage();
        stage[0].setScene(new javafx.scene.Scene(root[0], 1320, 760));
        stage[0].show();
      });
      waitUntil(10, () -> from(root[0]).lookup("#enabled-" + t.triggerId()).tryQuery().isPresent());
      assertTrue(from(root[0]).lookup("#enabled-" + t.triggerId()).query().isDisabled());
      assertFalse(from(root[0]).lookup("#saveButton").query().isVisible());
      assertFalse(from(root[0]).lookup("#newButton").query().isVisible());
      assertFalse(from(root[0]).lookup("#deleteButton").query().isVisible());
      assertFalse(from(root[0]).lookup("#cronField").<TextField>query().isEditable());
      assertTrue(from(root[0]).lookup("#roleLabel").<Label>query().getText().contains("analyst"));
    } finally {
      interact(() -> {
        if (stage[0] != null) {
          stage[0].close();
        }
      });
      analyst.close();
    }
  }

  @Test
  void an_enabled_trigger_says_it_will_not_fire_while_no_scheduler_runs_and_not_once_one_does() throws Exception {
    ctx.triggers().add("tracker02", TriggerType.INTERVAL, new Document("every", "PT6H"), null);
    openTriggers("tracker02");
    waitUntil(10, () -> table().getItems().size() == 1);
    String off = table().getItems().get(0).nextFireProperty().get();
    assertTrue(off.endsWith("(scheduler off — will not fire)"), off);
    assertTrue(lookup(".rc-scheduler-off").tryQuery().isPresent(), "not marked in the table");
    screenshot("triggers-scheduler-off");

    // another process's scheduler (the service) announces itself in the store: the note goes
    ctx.schedulerPresence().register("elsewhere:1:test");
    try {
      waitUntil(15, () -> !table().getItems().get(0).nextFireProperty().get().contains("will not fire"));
    } finally {
      ctx.schedulerPresence().remove("elsewhere:1:test");
    }
  }
}

package com.retrainconsole.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.retrainconsole.telemetry.DeviceConfig;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import com.retrainconsole.ui.overview.DeviceRow;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.testfx.util.WaitForAsyncUtils;

class OverviewViewTest extends ConsoleFxTest {

  @Test
  void overview_lists_each_device_with_its_model_in_service_and_last_run() throws Exception {
    waitUntil(10, () -> row("tracker01") != null && row("tracker03") != null);
    String version = ctx.registry().current("tracker01").orElseThrow().version();
    DeviceRow t1 = row("tracker01");
    assertEquals(version, t1.getModel());
    assertTrue(t1.maeProperty().get().endsWith(" W"), t1.maeProperty().get());
    assertEquals("completed", t1.getLastRunStatus());
    assertEquals("manual", t1.lastRunTriggerProperty().get());
    DeviceRow t3 = row("tracker03");
    assertEquals("none", t3.getModel());
    assertEquals("never run", t3.getLastRunStatus());
    assertEquals(0, t3.openAlertsProperty().get());
  }

  @Test
  void clicking_retrain_on_a_row_trains_a_model_with_progress_and_the_row_shows_the_completed_run()
      throws Exception {
    waitUntil(10, () -> row("tracker02") != null);
    String before = row("tracker02").getModel();
    List<String> stages = new CopyOnWriteArrayList<>();
    model.activeJobProperty().addListener((o, was, job) ->
        job.messageProperty().addListener((o2, m0, m) -> stages.add(m)));

    clickOn("#retrain-tracker02");

    waitUntil(30, () -> "completed".equals(row("tracker02").getLastRunStatus())
        && !"none".equals(row("tracker02").getModel()));
    String trained = ctx.registry().current("tracker02").orElseThrow().version();
    assertNotEquals(before, trained);
    assertEquals(trained, row("tracker02").getModel());
    assertEquals("tracker02", model.selectedDeviceProperty().get());
    assertFalse(stages.isEmpty(), "the job reported no stage to the status bar");
    waitUntil(5, () -> !model.busy());
    screenshot("overview-light");

    // the same run, completed, at the top of the history
    String runId = ctx.runs().list("tracker02", null, 1).get(0).getString("run_id");
    clickOn("#nav-RUNS");
    waitUntil(10, () -> {
      var table = lookup("#runs-table").tryQuery();
      if (table.isEmpty()) {
        return false;
      }
      @SuppressWarnings("unchecked")
      var rows = ((javafx.scene.control.TableView<com.retrainconsole.ui.runs.RunRow>) table.get()).getItems();
      return rows.stream().anyMatch(r -> r.getRunId().equals(runId) && r.getStatus().equals("completed"));
    });
  }

  @Test
  void a_row_shows_the_next_scheduled_fire_and_the_error_trend_of_recent_runs() throws Exception {
    waitUntil(10, () -> row("tracker03") != null);
    var trigger = ctx.triggers().add("tracker03", com.retrainconsole.triggers.TriggerType.INTERVAL,
        new org.bson.Document("every", "PT6H"), null);
    var runs = ctx.store().collection(com.retrainconsole.store.Collections.MODEL_RUNS);
    java.time.Instant now = java.time.Instant.now();
    try {
      for (int i = 0; i < 3; i++) {
        runs.insertOne(new org.bson.Document("run_id", "spark-" + i).append("device_id", "tracker03")
            .append("status", "completed").append("trigger", new org.bson.Document("type", "interval"))
            .append("queued_at", java.util.Date.from(now.minusSeconds(3600L * (3 - i))))
            .append("champion_metrics", new org.bson.Document("mae", 100.0 + 10 * i)));
      }
      interact(model::requestRefresh);
      // no scheduler runs: the trigger's fire is not counted down
      waitUntil(10, () -> "scheduler off".equals(row("tracker03").nextFireProperty().get())
          && row("tracker03").recentMaeProperty().get().size() == 3);
      ctx.schedulerPresence().register("elsewhere:1:overview-test"); // a scheduler service on another host
      interact(model::requestRefresh);
      waitUntil(10, () -> row("tracker03").nextFireProperty().get().startsWith("in "));
      assertEquals(List.of(100.0, 110.0, 120.0), row("tracker03").recentMaeProperty().get());
      assertEquals("completed", row("tracker03").getLastRunStatus());
      assertTrue(lookup(".rc-sparkline").tryQuery().isPresent(), "no sparkline drawn");
    } finally {
      ctx.schedulerPresence().remove("elsewhere:1:overview-test");
      ctx.triggers().remove(trigger.triggerId());
      runs.deleteMany(new org.bson.Document("device_id", "tracker03"));
    }
  }

  @Test
  void a_poll_updates_rows_in_place_and_keeps_the_selection() throws Exception {
    waitUntil(10, () -> row("tracker01") != null && row("tracker02") != null);
    DeviceRow t1 = row("tracker01");
    DeviceRow t2 = row("tracker02");
    interact(() -> overviewTable().getSelectionModel().select(t2));
    ctx.devices().upsert(DeviceConfig.of("tracker09"));
    try {
      interact(model::requestRefresh);
      waitUntil(10, () -> row("tracker09") != null);
      WaitForAsyncUtils.waitForFxEvents();
      assertSame(t1, row("tracker01"), "the row was replaced, not updated");
      assertSame(t2, overviewTable().getSelectionModel().getSelectedItem());
      assertEquals("tracker02", model.selectedDeviceProperty().get());
    } finally {
      ctx.store().collection(com.retrainconsole.store.Collections.DEVICES)
          .deleteOne(new org.bson.Document("_id", "tracker09"));
    }
  }

  @Test
  void cancel_in_the_status_bar_stops_a_running_retrain_and_writes_no_model() throws Exception {
    waitUntil(10, () -> row("tracker02") != null);
    List<String> versionsBefore = ctx.registry().list("tracker02").stream().map(m -> m.version()).toList();
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    model.progressTap = (stage, f) -> {
      if (stage.startsWith("train") && held.getCount() > 0) {
        held.countDown();
        try {
          release.await(30, TimeUnit.SECONDS); // held at the training stage until Cancel was clicked
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
    clickOn("#retrain-tracker02");
    assertTrue(held.await(30, TimeUnit.SECONDS), "the run never reached its training stage");
    clickOn("#cancel-job");
    release.countDown();

    try {
      waitUntil(15, () -> "cancelled".equals(row("tracker02").getLastRunStatus()));
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("row " + row("tracker02").getLastRunStatus() + "; run "
          + ctx.runs().list("tracker02", null, 1).get(0).toJson(), e);
    }
    var run = ctx.runs().list("tracker02", null, 1).get(0);
    assertEquals("cancelled", run.getString("status"));
    assertEquals(versionsBefore, ctx.registry().list("tracker02").stream().map(m -> m.version()).toList());
    waitUntil(5, () -> !model.busy());
  }

  @Test
  void a_banner_says_enabled_triggers_will_not_fire_until_the_consoles_scheduler_starts() throws Exception {
    var trigger = ctx.triggers().add("tracker03", com.retrainconsole.triggers.TriggerType.INTERVAL,
        new org.bson.Document("every", "PT6H"), null);
    ConsoleScheduler scheduler = ConsoleScheduler.of(model);
    try {
      interact(model::requestRefresh);
      waitUntil(10, () -> lookup("#overview-scheduler-banner").query().isVisible());
      String text = lookup("#overview-scheduler-banner-text").queryAs(Label.class).getText();
      assertEquals("The scheduler is off: 1 enabled trigger will not fire. Start it in Settings or run the "
          + "scheduler service.", text);
      assertTrue(lookup("#overview-scheduler-banner-settings").query().isVisible(), "an admin is offered Settings");
      waitUntil(10, () -> "scheduler off".equals(row("tracker03").nextFireProperty().get()));
      screenshot("overview-scheduler-off");

      interact(() -> scheduler.setOn(true));
      waitUntil(15, () -> scheduler.state() == ConsoleScheduler.State.ON
          && !lookup("#overview-scheduler-banner").query().isVisible());
      assertTrue(ctx.schedulerPresence().anyAlive(), "the console's scheduler is not recorded as running");
      waitUntil(10, () -> !"scheduler off".equals(row("tracker03").nextFireProperty().get()));
    } finally {
      interact(() -> scheduler.setOn(false));
      waitUntil(30, () -> scheduler.state() == ConsoleScheduler.State.OFF);
      ctx.triggers().remove(trigger.triggerId());
    }
    assertFalse(ctx.schedulerPresence().anyAlive(), "a stopped console scheduler still counts as running");
  }

  @Test
  void each_row_shows_the_age_of_the_newest_reading_and_marks_old_data_stale() throws Exception {
    java.time.Instant now = java.time.Instant.now();
    ctx.devices().upsert(DeviceConfig.of("fresh01"));
    ctx.devices().upsert(DeviceConfig.of("stale01"));
    ctx.telemetry().write("fresh01", new long[] {now.minusSeconds(300).toEpochMilli()},
        java.util.Map.of(com.retrainconsole.telemetry.CanonicalFields.POWER, new double[] {120}));
    ctx.telemetry().write("stale01", new long[] {now.minus(java.time.Duration.ofDays(2)).toEpochMilli()},
        java.util.Map.of(com.retrainconsole.telemetry.CanonicalFields.POWER, new double[] {120}));
    try {
      interact(model::requestRefresh);
      waitUntil(10, () -> row("fresh01") != null && row("stale01") != null
          && !row("fresh01").freshnessProperty().get().isEmpty());
      assertEquals("data 5 min ago", row("fresh01").freshnessProperty().get());
      assertFalse(row("fresh01").staleProperty().get());
      assertEquals("stale · 2 d old", row("stale01").freshnessProperty().get());
      assertTrue(row("stale01").staleProperty().get());
      waitUntil(5, () -> lookup(".rc-stale").queryAll().stream()
          .anyMatch(n -> ((Label) n).getText().equals("stale · 2 d old")));
    } finally {
      for (String id : List.of("fresh01", "stale01")) {
        ctx.telemetry().delete(id, java.time.Instant.EPOCH, now.plusSeconds(60));
        ctx.store().collection(com.retrainconsole.store.Collections.DEVICES)
            .deleteOne(new org.bson.Document("_id", id));
      }
    }
  }

  @Test
  void retrain_with_options_runs_a_dry_run_with_the_chosen_trainer_and_days() throws Exception {
    waitUntil(10, () -> row("tracker02") != null);
    String before = ctx.registry().current("tracker02").map(p -> p.version()).orElse(null);
    DeviceRow target = row("tracker02");
    javafx.scene.Node rowNode = lookup(".table-row-cell")
        .match(n -> ((javafx.scene.control.TableRow<?>) n).getItem() == target).query();
    // the row's menu offers it; the keyboard path (Ctrl+Shift+R on the selected row) opens it
    waitUntil(5, () -> ((javafx.scene.control.TableRow<?>) rowNode).getContextMenu() != null);
    assertTrue(((javafx.scene.control.TableRow<?>) rowNode).getContextMenu().getItems().stream()
        .anyMatch(i -> "Retrain with options…".equals(i.getText())));
    clickOn(rowNode);
    waitUntil(5, () -> "tracker02".equals(model.selectedDeviceProperty().get()));
    push(javafx.scene.input.KeyCode.CONTROL, javafx.scene.input.KeyCode.SHIFT, javafx.scene.input.KeyCode.R);
    waitUntil(5, () -> lookup("#retrain-options-dialog").tryQuery().isPresent());
    TextField days = lookup("#retrain-options-days").query();
    assertEquals("30", days.getText(), "the CLI's default number of days");
    assertEquals(com.retrainconsole.training.TrainerKind.DEFAULT,
        lookup("#retrain-options-trainer").<javafx.scene.control.ComboBox<?>>query().getValue());
    javafx.scene.control.Button start = lookup("#retrain-options-start").query();

    interact(() -> days.setText("two"));
    assertEquals("Days of data: 'two' is not a whole number; enter e.g. 30.",
        lookup("#retrain-options-problems").queryAs(Label.class).getText());
    assertTrue(start.isDisabled());
    interact(() -> lookup("#retrain-options-until").queryAs(TextField.class).setText("yesterday"));
    assertTrue(lookup("#retrain-options-problems").queryAs(Label.class).getText().contains("Until: 'yesterday'"));

    interact(() -> {
      days.setText("3");
      lookup("#retrain-options-until").queryAs(TextField.class).setText("");
      lookup("#retrain-options-trainer").<javafx.scene.control.ComboBox<com.retrainconsole.training.TrainerKind>>query()
          .setValue(com.retrainconsole.training.TrainerKind.CART);
      lookup("#retrain-options-dry-run").queryAs(javafx.scene.control.CheckBox.class).setSelected(true);
    });
    assertFalse(start.isDisabled());
    javafx.scene.image.WritableImage[] image = new javafx.scene.image.WritableImage[1];
    interact(() -> image[0] = start.getScene().snapshot(null));
    java.nio.file.Files.createDirectories(java.nio.file.Path.of("target", "screenshots"));
    javax.imageio.ImageIO.write(javafx.embed.swing.SwingFXUtils.fromFXImage(image[0], null), "png",
        java.nio.file.Path.of("target", "screenshots", "overview-retrain-options-dialog.png").toFile());
    long runsBefore = ctx.runs().list("tracker02", null, 1000).size();
    clickOn(start);

    waitUntil(60, () -> !model.busy() && ctx.runs().list("tracker02", null, 1000).size() == runsBefore + 1);
    org.bson.Document run = ctx.runs().list("tracker02", null, 1).get(0);
    org.bson.Document params = run.get("params", org.bson.Document.class);
    assertEquals("cart", params.getString("trainer"), run.toJson());
    assertEquals(3, params.getInteger("days"), run.toJson());
    assertEquals(Boolean.TRUE, params.getBoolean("dry_run"), run.toJson());
    assertEquals("completed", run.getString("status"), run.toJson());
    assertEquals(before, ctx.registry().current("tracker02").map(p -> p.version()).orElse(null),
        "a dry run moved the pointer");
  }
}

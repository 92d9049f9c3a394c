package com.retrainconsole.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.retrainconsole.registry.ModelMeta;
import com.retrainconsole.retrain.RetrainRequest;
import com.retrainconsole.runs.RunCodec;
import com.retrainconsole.runs.RunStatus;
import com.retrainconsole.training.TrainerKind;
import com.retrainconsole.ui.shell.Notifier;
import java.util.ArrayList;
import java.util.List;
import javafx.stage.Window;
import org.bson.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.util.WaitForAsyncUtils;

/** Desktop notifications for runs finished, pointer moves and alerts raised while the console is open. */
class NotificationsTest extends ConsoleFxTest {
  static String finishedBeforeStart;

  @Override
  boolean notifications() {
    return true;
  }

  @BeforeAll
  static void a_second_version_and_a_run_finished_before_the_console_opens() {
    var second = ctx.retrain().run(new RetrainRequest("tracker01", 5, null, TrainerKind.CART, false, "manual",
        "fixture", "test"), (s, f) -> {});
    if (!second.completed()) {
      throw new IllegalStateException("second model did not train: " + second.run().stored().toJson());
    }
    Document run = ctx.runs().startInline("tracker03", new Document("type", "manual"), new Document());
    finishedBeforeStart = run.getString("run_id");
    ctx.runs().finish(finishedBeforeStart, RunStatus.FAILED, new Document("error", "finished before start"));
  }

  @Test
  void a_run_finished_after_start_is_notified_with_device_version_and_decision_and_older_runs_are_not()
      throws Exception {
    Document run = ctx.runs().startInline("tracker02", new Document("type", "manual"), new Document());
    ctx.runs().finish(run.getString("run_id"), RunStatus.COMPLETED, new Document()
        .append("model", new Document("version", "20990101T000000Z-test"))
        .append("decision", new Document("promoted", false).append("reason", "MAE 41.0 W > champion 30.0 W × 1.10")));

    waitUntil(15, () -> shown().stream().anyMatch(s -> s.contains("tracker02")));
    String text = shown().stream().filter(s -> s.contains("tracker02")).findFirst().orElseThrow();
    assertEquals("Run completed · tracker02 — Version 20990101T000000Z-test · not promoted: "
        + "MAE 41.0 W > champion 30.0 W × 1.10", text);
    assertTrue(shown().stream().noneMatch(s -> s.contains("tracker03") || s.contains("before start")),
        "a run finished before the console started was notified: " + shown());
    assertTrue(popupShowing(), "a notification popup is showing");
    screenshot("notification-run");
    screenshotPopup("notification-popup");
  }

  @Test
  void a_promotion_is_notified_and_the_preference_turns_notifications_off() throws Exception {
    String current = ctx.registry().current("tracker01").orElseThrow().version();
    String other = ctx.registry().list("tracker01").stream().map(ModelMeta::version)
        .filter(v -> !v.equals(current)).findFirst().orElseThrow();
    ctx.registry().promote("tracker01", other, "tester", "the older one scored better on site");

    waitUntil(15, () -> shown().stream().anyMatch(s -> s.startsWith("Promoted · tracker01")));
    String text = shown().stream().filter(s -> s.startsWith("Promoted · tracker01")).findFirst().orElseThrow();
    assertEquals("Promoted · tracker01 — Now in service: " + other + " (was " + current
        + ") by tester: the older one scored better on site", text);

    clickOn("View");
    clickOn("#notifications-toggle");
    WaitForAsyncUtils.waitForFxEvents();
    assertTrue(!prefs.getBoolean(MainWindow.PREF_NOTIFICATIONS, true), "the preference is saved");
    int before = shown().size();
    long polls = window.notifier().polls();
    ctx.alerts().raise("performance", "tracker03", "test-incident", "MAE up 40 % on tracker03", java.util.Map.of());
    // one more run after the alert: once it is consumed the alert's poll has passed too
    Document run = ctx.runs().startInline("tracker02", new Document("type", "manual"), new Document());
    ctx.runs().finish(run.getString("run_id"), RunStatus.CANCELLED, new Document());
    waitUntil(15, () -> window.notifier().polls() >= polls + 2); // both writes are behind the marks by then
    assertEquals(before, shown().size(), "nothing is shown while notifications are off: " + shown());
  }

  @Test
  void many_events_at_once_are_grouped_into_one_notification_per_kind() {
    List<Notifier.Event> events = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      Document run = new Document("run_id", "r" + i).append("device_id", "tracker0" + (i % 3 + 1))
          .append("status", i < 10 ? "completed" : "failed");
      events.add(Notifier.runEvent(RunCodec.read(run)));
    }
    List<Notifier.Event> grouped = Notifier.toShow(events);
    assertEquals(1, grouped.size(), grouped.toString());
    assertEquals("12 runs finished — 10 completed, 2 failed. See Runs.", grouped.get(0).toString());
    assertEquals(3, Notifier.toShow(events.subList(0, 3)).size(), "three are shown one by one");
  }

  @Test
  void a_long_notification_wraps_and_stays_inside_a_1024_by_600_and_a_1366_by_768_window() throws Exception {
    javafx.stage.Stage stage = (javafx.stage.Stage) window.scene().getWindow();
    String reason = "MAE 41.0 W > champion 30.0 W × 1.10 on the holdout of the last five days; ".repeat(5);
    for (int[] size : new int[][] {{1024, 600}, {1366, 768}}) {
      interact(() -> {
        stage.setX(40);
        stage.setY(30);
        stage.setWidth(size[0]);
        stage.setHeight(size[1]);
      });
      waitUntil(10, () -> stage.getWidth() == size[0] && stage.getHeight() == size[1]);
      String title = "Run completed · tracker02 at " + size[0];
      interact(() -> window.notifier().showNow(new Notifier.Event(Notifier.Kind.RUN, "tracker02", title,
          "Version 20990101T000000Z-test · not promoted: " + reason, null, false)));
      waitUntil(10, () -> popup(title) != null && popup(title).getWidth() > 0);
      // ControlsFX slides toasts into place (and older ones up): wait for it to come to rest inside the window
      try {
        waitUntil(6, () -> {
          Window p = popup(title);
          return p != null && p.getX() >= stage.getX() && p.getX() + p.getWidth() <= stage.getX() + stage.getWidth()
              && p.getY() >= stage.getY() && p.getY() + p.getHeight() <= stage.getY() + stage.getHeight();
        });
      } catch (java.util.concurrent.TimeoutException stillOutside) {
        // the assertions below say where it stayed
      }
      WaitForAsyncUtils.waitForFxEvents();
      Window[] popup = new Window[1];
      String[] text = new String[1];
      interact(() -> {
        popup[0] = popup(title);
        text[0] = popup[0].getScene().getRoot().lookupAll(".label").stream()
            .map(n -> ((javafx.scene.control.Label) n).getText()).filter(t -> t != null && t.startsWith("Version"))
            .findFirst().orElse("");
      });
      Window p = popup[0];
      String where = size[0] + "x" + size[1] + ": popup " + p.getX() + "," + p.getY() + " " + p.getWidth() + "x"
          + p.getHeight() + " in window " + stage.getX() + "," + stage.getY() + " " + stage.getWidth() + "x"
          + stage.getHeight();
      assertTrue(p.getX() >= stage.getX() && p.getX() + p.getWidth() <= stage.getX() + stage.getWidth(), where);
      assertTrue(p.getY() >= stage.getY() && p.getY() + p.getHeight() <= stage.getY() + stage.getHeight(), where);
      assertTrue(text[0].contains("\n"), "the long text wraps: " + text[0]);
      if (size[0] == 1024) {
        screenshotPopup("notification-long-1024");
      }
    }
  }

  /** The showing notification popup whose title is {@code title} (FX thread). */
  private static Window popup(String title) {
    return Window.getWindows().stream().filter(w -> w.isShowing() && w.getScene() != null
            && w.getScene().getRoot().lookup(".notification-bar") != null
            && w.getScene().getRoot().lookupAll(".label").stream()
                .anyMatch(n -> title.equals(((javafx.scene.control.Label) n).getText())))
        .findFirst().orElse(null);
  }

  private List<String> shown() {
    List<String> copy = new ArrayList<>();
    interact(() -> copy.addAll(window.notifier().shown()));
    return copy;
  }

  /** The popup is its own window: scene.snapshot of the main window does not include it. */
  private void screenshotPopup(String name) throws java.io.IOException {
    javafx.scene.image.WritableImage[] image = new javafx.scene.image.WritableImage[1];
    interact(() -> Window.getWindows().stream()
        .filter(w -> w.isShowing() && w.getScene() != null
            && w.getScene().getRoot().lookup(".notification-bar") != null)
        .findFirst().ifPresent(w -> image[0] = w.getScene().snapshot(null)));
    java.nio.file.Path dir = java.nio.file.Path.of("target", "screenshots");
    java.nio.file.Files.createDirectories(dir);
    javax.imageio.ImageIO.write(javafx.embed.swing.SwingFXUtils.fromFXImage(image[0], null), "png",
        dir.resolve(name + ".png").toFile());
  }

  private boolean popupShowing() {
    boolean[] found = new boolean[1];
    interact(() -> found[0] = Window.getWindows().stream()
        .anyMatch(w -> w.isShowing() && w.getScene() != null
            && w.getScene().getRoot().lookup(".notification-bar") != null));
    return found[0];
  }
}

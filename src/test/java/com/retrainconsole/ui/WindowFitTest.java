package com.retrainconsole.ui;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.prefs.Preferences;
import javafx.geometry.Bounds;
import javafx.geometry.Rectangle2D;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.ScrollPane;
import javafx.stage.Screen;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;

/**
 * The main window on a screen smaller than the one it was last used on: it opens inside the screen, and at
 * 1024×600 the Overview's Retrain buttons can still be reached.
 */
class WindowFitTest extends ConsoleFxTest {

  /** Left on a 2560×1440 monitor to the right of the test's screen, which is no longer attached. */
  @Override
  void remembered(Preferences prefs) {
    prefs.putDouble(MainWindow.PREF_X, 3000);
    prefs.putDouble(MainWindow.PREF_Y, 50);
    prefs.putDouble(MainWindow.PREF_WIDTH, 2560);
    prefs.putDouble(MainWindow.PREF_HEIGHT, 1440);
  }

  @Test
  void a_window_remembered_larger_and_off_screen_opens_within_the_primary_screen() throws Exception {
    Stage stage = (Stage) window.scene().getWindow();
    waitUntil(10, stage::isShowing);
    Rectangle2D screen = Screen.getPrimary().getVisualBounds();
    Rectangle2D[] shown = new Rectangle2D[1];
    interact(() -> shown[0] = new Rectangle2D(stage.getX(), stage.getY(), stage.getWidth(), stage.getHeight()));
    assertTrue(screen.contains(shown[0]), "window " + shown[0] + " not within the screen " + screen);
  }

  @Test
  void at_1024_by_600_the_retrain_button_of_a_row_can_be_scrolled_into_the_window() throws Exception {
    Stage stage = (Stage) window.scene().getWindow();
    interact(() -> {
      stage.setWidth(1024);
      stage.setHeight(600);
    });
    waitUntil(10, () -> window.scene().getWidth() == 1024 && window.scene().getHeight() == 600
        && lookup("#retrain-tracker02").tryQuery().isPresent());
    Button retrain = lookup("#retrain-tracker02").query();
    // what a user does with the scroll bars: every scroll pane around the button scrolled to show it
    interact(() -> {
      for (Parent p = retrain.getParent(); p != null; p = p.getParent()) {
        if (p instanceof ScrollPane pane) {
          reveal(pane, retrain);
        }
      }
    });
    waitUntil(5, () -> {
      Bounds b = retrain.localToScene(retrain.getBoundsInLocal());
      return b.getMinX() >= 0 && b.getMinY() >= 0 && b.getMaxX() <= window.scene().getWidth()
          && b.getMaxY() <= window.scene().getHeight() && within(retrain, b);
    });
    // the label the skin draws is the whole word, not "Retr…"
    waitUntil(5, () -> retrain.lookup(".text") instanceof javafx.scene.text.Text t && "Retrain".equals(t.getText()));
    screenshot("overview-1024x600");
    clickOn(retrain); // a click reaches it: nothing covers it
    waitUntil(30, () -> "tracker02".equals(model.selectedDeviceProperty().get()));
    waitUntil(30, () -> !model.busy());
  }

  /** A few pixels past the node's edge, as a user scrolls: its bounds are fractional, the viewport's are not. */
  private static final double MARGIN = 4;

  private static void reveal(ScrollPane pane, Node node) {
    Bounds inContent = pane.getContent().sceneToLocal(node.localToScene(node.getBoundsInLocal()));
    Bounds viewport = pane.getViewportBounds();
    double extraW = pane.getContent().getLayoutBounds().getWidth() - viewport.getWidth();
    double extraH = pane.getContent().getLayoutBounds().getHeight() - viewport.getHeight();
    if (extraW > 0) {
      pane.setHvalue(pane.getHmin() + (pane.getHmax() - pane.getHmin())
          * Math.min(1, Math.max(0, (inContent.getMaxX() + MARGIN - viewport.getWidth()) / extraW)));
    }
    if (extraH > 0) {
      pane.setVvalue(pane.getVmin() + (pane.getVmax() - pane.getVmin())
          * Math.min(1, Math.max(0, (inContent.getMaxY() + MARGIN - viewport.getHeight()) / extraH)));
    }
  }

  /** Whether the node's scene bounds lie inside the visible part of every scroll pane around it. */
  private static boolean within(Node node, Bounds b) {
    for (Parent p = node.getParent(); p != null; p = p.getParent()) {
      if (p instanceof ScrollPane pane) {
        Node viewport = pane.lookup(".viewport"); // the skin's clipped area between the scroll bars
        Bounds shown = viewport.localToScene(viewport.getLayoutBounds());
        if (!shown.contains(b)) {
          return false;
        }
      }
    }
    return true;
  }
}

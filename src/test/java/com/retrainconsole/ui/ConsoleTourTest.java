package com.retrainconsole.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Labeled;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;

/**
 * Every view at the two field-laptop sizes in every theme, saved as target/screenshots/VIEW-WxH-THEME.png for
 * review; at 1366×768 no label, button, header or cell drawn inside the window may be cut short ("…").
 */
class ConsoleTourTest extends ConsoleFxTest {

  @Test
  void every_view_at_1366x768_and_1024x600_in_every_theme_without_cut_text_at_1366() throws Exception {
    List<String> cut = new ArrayList<>();
    List<String> tooWide = new ArrayList<>();
    for (int[] size : new int[][] {{1366, 768}, {1024, 600}}) {
      resize(size[0], size[1]);
      for (Theme theme : Theme.values()) {
        interact(() -> window.applyTheme(theme));
        for (View view : View.values()) {
          interact(() -> window.navigate(view));
          waitUntilDrawn(view);
          screenshot(view.name().toLowerCase() + "-" + size[0] + "x" + size[1] + "-" + theme.name().toLowerCase());
          if (size[0] == 1366) {
            interact(() -> cut.addAll(cutLabels(view, theme)));
          }
          interact(() -> { // the shell fills the window: menu bar at the top, status bar at the bottom
            Node menu = window.scene().lookup(".menu-bar");
            Node shell = window.scene().getRoot().getChildrenUnmodifiable().get(0);
            assertEquals(0, menu.localToScene(menu.getLayoutBounds()).getMinY(), 0.5, view + " moved the menu bar");
            assertEquals(window.scene().getHeight(), shell.localToScene(shell.getLayoutBounds()).getMaxY(), 0.5,
                view + " pushed the status bar out of the window");
          });
          interact(() -> { // no view is wider than the window at its narrowest: rows wrap, tables scroll
            var viewRoot = (javafx.scene.layout.Region) window.contentArea().getChildren().get(0);
            double area = window.contentArea().getWidth();
            tooWide.add(viewRoot.minWidth(-1) > area + 0.5 ? view + " needs " + Math.round(viewRoot.minWidth(-1))
                + " px in a " + Math.round(area) + " px view area at " + size[0] + "x" + size[1] : null);
          });
          if (view == View.SETTINGS) { // its two cards stack on a narrow window rather than run off its edge
            Node card = window.scene().lookup("#settings-policy-card");
            double right = card.localToScene(card.getBoundsInLocal()).getMaxX();
            assertTrue(right <= size[0], "the policy card ends at x=" + right + " in a " + size[0] + " px window");
          }
        }
      }
    }
    tooWide.removeIf(java.util.Objects::isNull);
    assertTrue(tooWide.isEmpty(), "views wider than the window:\n" + String.join("\n", tooWide));
    assertTrue(cut.isEmpty(), "text cut short at 1366x768:\n" + String.join("\n", cut));
  }

  @Test
  void the_triggers_preview_of_a_schedule_across_daylight_saving_changes_is_not_cut_at_1366x768() throws Exception {
    resize(1366, 768);
    interact(() -> window.navigate(View.TRIGGERS));
    waitUntilDrawn(View.TRIGGERS);
    // Sundays of March at 02:00 in Madrid: the last one is the night the clocks jump from 02:00 to 03:00
    interact(() -> {
      ((javafx.scene.control.TextField) window.scene().lookup("#zoneField")).setText("Europe/Madrid");
      ((javafx.scene.control.TextField) window.scene().lookup("#cronField")).setText("0 2 * 3 0");
    });
    waitUntil(10, () -> window.scene().lookup("#previewTable") instanceof javafx.scene.control.TableView<?> t
        && t.getItems().size() == 10 && window.scene().getRoot().lookupAll(".rc-dst-flag").size() > 0);
    waitUntil(10, () -> true);
    screenshot("triggers-dst-1366x768-light");
    List<String> cut = new ArrayList<>();
    interact(() -> cut.addAll(cutLabels(View.TRIGGERS, Theme.LIGHT)));
    assertTrue(cut.isEmpty(), "text cut short at 1366x768:\n" + String.join("\n", cut));
  }

  private void resize(int width, int height) throws Exception {
    Stage stage = (Stage) window.scene().getWindow();
    interact(() -> {
      stage.setX(0);
      stage.setY(0);
      stage.setWidth(width);
      stage.setHeight(height);
    });
    waitUntil(10, () -> window.scene().getWidth() == width && window.scene().getHeight() == height);
  }

  /** The view is in the scene, its first background load has finished and the FX thread drew it. */
  private void waitUntilDrawn(View view) throws Exception {
    waitUntil(30, () -> window.currentView() == view && !model.busy()
        && window.scene().getRoot().lookup(".progress-indicator:indeterminate") == null);
    // two pulses: the layout that follows the loaded rows, then its paint
    waitUntil(10, () -> true);
    waitUntil(10, () -> true);
  }

  private List<String> cutLabels(View view, Theme theme) {
    List<String> found = new ArrayList<>();
    Bounds sceneBounds = new javafx.geometry.BoundingBox(0, 0, window.scene().getWidth(), window.scene().getHeight());
    collect(window.scene().getRoot(), sceneBounds, view + "/" + theme, found);
    return found;
  }

  private static void collect(Node node, Bounds window, String where, List<String> found) {
    if (!node.isVisible()) {
      return;
    }
    if (node instanceof Labeled l && l.getText() != null && !l.getText().isBlank()) {
      Bounds b = l.localToScene(l.getBoundsInLocal());
      // cut = the skin drew a shortened text ending in the ellipsis; a label whose text changed since the last
      // layout (a poll's "Updated 20:04:17") still draws its old text whole until the next pulse: not a cut
      if (b.intersects(window) && l.lookup(".text") instanceof Text drawn && drawn.getParent() == l
          && !l.getText().equals(drawn.getText()) && isCut(drawn.getText(), l.getEllipsisString())) {
        found.add(where + ": " + describe(l) + " shows \"" + drawn.getText() + "\" of \"" + l.getText() + "\"");
      }
    }
    if (node instanceof Parent p) {
      for (Node child : p.getChildrenUnmodifiable()) {
        collect(child, window, where, found);
      }
    }
  }

  private static boolean isCut(String drawn, String ellipsis) {
    return drawn != null && ellipsis != null && !ellipsis.isEmpty() && drawn.endsWith(ellipsis);
  }

  private static String describe(Node n) {
    StringBuilder path = new StringBuilder();
    for (Node p = n; p != null && path.length() < 120; p = p.getParent()) {
      if (p.getId() != null) {
        path.insert(0, "#" + p.getId() + " ");
        break;
      }
    }
    return path + n.getClass().getSimpleName() + n.getStyleClass();
  }
}

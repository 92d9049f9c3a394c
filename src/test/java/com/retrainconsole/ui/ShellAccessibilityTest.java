package com.retrainconsole.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.retrainconsole.ui.shell.ShortcutOverlay;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javafx.event.Event;
import javafx.scene.Node;
import javafx.scene.control.ButtonBase;
import javafx.scene.control.TableRow;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.Border;
import javafx.scene.layout.BorderStroke;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import org.junit.jupiter.api.Test;
import org.testfx.util.WaitForAsyncUtils;

/** The shell for keyboard users and bright light: high-contrast theme, focus ring, shortcut list, density. */
class ShellAccessibilityTest extends ConsoleFxTest {

  @Test
  void the_high_contrast_theme_is_chosen_in_the_view_menu_applied_and_remembered() throws Exception {
    clickOn("View");
    clickOn("High contrast theme");
    WaitForAsyncUtils.waitForFxEvents();
    assertEquals(Theme.HIGH_CONTRAST, window.theme());
    assertTrue(window.scene().getStylesheets().get(0).endsWith("/css/high-contrast.css"),
        window.scene().getStylesheets().toString());
    assertEquals("HIGH_CONTRAST", prefs.get(MainWindow.PREF_THEME, null));
    Color bg = (Color) ((Region) window.scene().getRoot()).getBackground().getFills().get(0).getFill();
    assertEquals(ThemeTokens.of(Theme.HIGH_CONTRAST).colour("BG"), bg);
    screenshot("overview-high-contrast");
    // Settings shows the same choice
    interact(() -> window.navigate(View.SETTINGS));
    assertTrue(lookup("#settings-theme-HIGH_CONTRAST").queryAs(javafx.scene.control.ToggleButton.class).isSelected());
  }

  @Test
  void f1_lists_every_menu_shortcut_and_esc_closes_the_list_and_question_mark_opens_it_too() throws Exception {
    press(KeyCode.F1).release(KeyCode.F1);
    waitUntil(5, () -> window.shortcuts().showing() && lookup("#shortcut-overlay").query().isVisible());
    List<ShortcutOverlay.Shortcut> listed = window.shortcuts().listed();
    Set<String> actions = listed.stream().map(s -> s.keys() + " " + s.action()).collect(Collectors.toSet());
    for (View v : View.values()) {
      String ctrl = new javafx.scene.input.KeyCodeCombination(KeyCode.valueOf("DIGIT" + (v.ordinal() + 1)),
          javafx.scene.input.KeyCombination.SHORTCUT_DOWN).getDisplayText();
      assertTrue(actions.contains(ctrl + " View → " + v.title()), "no " + ctrl + " for " + v + " in " + actions);
    }
    for (String action : List.of("File → Refresh", "File → Quit", "Actions → Retrain selected device",
        "Help → Keyboard shortcuts")) {
      assertTrue(listed.stream().anyMatch(s -> s.action().equals(action)), action + " missing: " + actions);
    }
    screenshot("shortcut-overlay");
    press(KeyCode.ESCAPE).release(KeyCode.ESCAPE);
    waitUntil(5, () -> !window.shortcuts().showing());

    // "?" typed outside a text field opens it as well
    interact(() -> {
      Node target = window.scene().getFocusOwner() != null ? window.scene().getFocusOwner() : window.scene().getRoot();
      Event.fireEvent(target, new KeyEvent(KeyEvent.KEY_TYPED, "?", "", KeyCode.UNDEFINED, true, false, false, false));
    });
    waitUntil(5, () -> window.shortcuts().showing());
    press(KeyCode.ESCAPE).release(KeyCode.ESCAPE);
    waitUntil(5, () -> !window.shortcuts().showing());
  }

  @Test
  void tabbing_lands_on_a_button_with_a_two_pixel_focus_ring_in_every_theme() throws Exception {
    for (Theme theme : Theme.values()) {
      interact(() -> window.applyTheme(theme));
      Color ring = ThemeTokens.of(theme).colour("FOCUS_RING");
      ButtonBase button = null;
      for (int i = 0; i < 40 && button == null; i++) {
        press(KeyCode.TAB).release(KeyCode.TAB);
        WaitForAsyncUtils.waitForFxEvents();
        if (window.scene().getFocusOwner() instanceof ButtonBase b) {
          button = b;
        }
      }
      assertNotNull(button, "Tab never reached a button in " + theme);
      ButtonBase focused = button;
      waitUntil(5, () -> hasRing(focused.getBorder(), ring));
      press(KeyCode.TAB).release(KeyCode.TAB);
      waitUntil(5, () -> !focused.isFocused());
      WaitForAsyncUtils.waitForFxEvents();
      assertFalse(hasRing(focused.getBorder(), ring), theme + ": the ring stays after focus left " + focused);
    }
  }

  private static boolean hasRing(Border border, Color ring) {
    if (border == null) {
      return false;
    }
    for (BorderStroke s : border.getStrokes()) {
      if (ring.equals(s.getTopStroke()) && s.getWidths().getTop() >= 2 && s.getWidths().getLeft() >= 2) {
        return true;
      }
    }
    return false;
  }

  @Test
  void compact_density_makes_the_overview_rows_shorter_and_is_remembered() throws Exception {
    waitUntil(20, () -> row("tracker01") != null && rowHeight() > 0);
    double normal = rowHeight();
    clickOn("View");
    clickOn("#compact-toggle");
    waitUntil(5, () -> rowHeight() > 0 && rowHeight() < normal);
    assertTrue(window.compact());
    assertTrue(prefs.getBoolean(MainWindow.PREF_COMPACT, false));
    double compact = rowHeight();
    screenshot("overview-compact");
    assertTrue(compact <= normal - 4, "compact row " + compact + " px vs " + normal + " px");
  }

  /** Height of the first filled row of the Overview table (0 when none is drawn yet). */
  private double rowHeight() {
    return overviewTable().lookupAll(".table-row-cell").stream()
        .filter(n -> n instanceof TableRow<?> r && r.getItem() != null && r.isVisible())
        .mapToDouble(n -> n.getBoundsInLocal().getHeight()).findFirst().orElse(0);
  }
}

package com.retrainconsole.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import org.controlsfx.control.StatusBar;
import org.junit.jupiter.api.Test;
import org.testfx.util.WaitForAsyncUtils;

class ShellTest extends ConsoleFxTest {

  @Test
  void switching_to_the_dark_theme_applies_its_stylesheet_and_is_remembered() throws Exception {
    assertTrue(luminance(rootFill()) > 0.8, "light theme should start light: " + rootFill());
    clickOn("View");
    clickOn("Dark theme");
    WaitForAsyncUtils.waitForFxEvents();

    assertEquals(Theme.DARK, window.theme());
    assertTrue(window.scene().getStylesheets().get(0).endsWith("/css/dark.css"),
        window.scene().getStylesheets().toString());
    assertTrue(luminance(rootFill()) < 0.1, "dark theme background is " + rootFill());
    assertEquals("DARK", prefs.get(MainWindow.PREF_THEME, null));
    screenshot("overview-dark");
  }

  @Test
  void ctrl_digit_opens_a_view_and_the_last_view_is_remembered() {
    press(KeyCode.CONTROL, KeyCode.DIGIT2).release(KeyCode.DIGIT2, KeyCode.CONTROL);
    WaitForAsyncUtils.waitForFxEvents();
    assertEquals(View.RUNS, window.currentView());
    assertEquals("RUNS", prefs.get(MainWindow.PREF_VIEW, null));

    clickOn("#nav-OVERVIEW");
    assertEquals(View.OVERVIEW, window.currentView());
    assertTrue(lookup("#overview-table").tryQuery().isPresent());
  }

  @Test
  void status_bar_shows_the_store_and_the_role() {
    StatusBar bar = lookup("#status-bar").queryAs(StatusBar.class);
    assertEquals("Store: " + ctx.store().describe(), bar.getText());
    assertTrue(lookup(".rc-role").queryAs(Label.class).getText()
        .contains(System.getProperty("user.name") + " (admin)"));
  }

  private Color rootFill() {
    Region root = (Region) window.scene().getRoot();
    return (Color) root.getBackground().getFills().get(0).getFill();
  }

  private static double luminance(Color c) {
    return 0.2126 * c.getRed() + 0.7152 * c.getGreen() + 0.0722 * c.getBlue();
  }
}

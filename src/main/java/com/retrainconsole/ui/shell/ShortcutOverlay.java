package com.retrainconsole.ui.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextInputControl;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

/**
 * The keyboard shortcuts over the window, opened with F1 (the Help menu's accelerator) or {@code ?} outside a
 * text field, closed with Esc. decision: the list is read from the menu bar's accelerators each time it opens,
 * so a shortcut added to a menu is listed without touching this class and the list cannot go stale.
 */
public final class ShortcutOverlay {
  /** One line of the list: the keys as the platform writes them ("Ctrl+1") and what they do. */
  public record Shortcut(String keys, String action) {}

  /** Keys the toolkit handles itself (no menu item carries them), listed after the menu's. */
  static final List<Shortcut> BUILT_IN = List.of(
      new Shortcut("?", "Keyboard shortcuts (when not typing in a field)"),
      new Shortcut("Esc", "Close this list or a dialog"),
      new Shortcut("Tab / Shift+Tab", "Next / previous control"),
      new Shortcut("Space / Enter", "Press the focused button, tick the focused box"),
      new Shortcut("↑ ↓", "Move in a table or list"),
      new Shortcut("F10", "Open the menu bar (then arrows and Enter)"));

  private final Supplier<List<Shortcut>> source;
  private final StackPane scrim = new StackPane();
  private final GridPane grid = new GridPane();
  private final Button close = new Button("Close");
  private final List<Shortcut> listed = new ArrayList<>();
  private Node focusBefore;

  public ShortcutOverlay(Supplier<List<Shortcut>> source) {
    this.source = source;
    Label title = new Label("Keyboard shortcuts");
    title.getStyleClass().add("rc-shortcuts-title");
    grid.setId("shortcut-list");
    grid.setHgap(16);
    grid.setVgap(6);
    ScrollPane scroll = new ScrollPane(grid);
    scroll.getStyleClass().add("rc-shortcuts-scroll");
    scroll.setFitToWidth(true);
    VBox.setVgrow(scroll, Priority.ALWAYS);
    close.setId("shortcuts-close");
    close.setCancelButton(false);
    close.setOnAction(e -> hide());
    HBox actions = new HBox(close);
    actions.setAlignment(Pos.CENTER_RIGHT);
    VBox panel = new VBox(title, scroll, actions);
    panel.setId("shortcut-overlay");
    panel.getStyleClass().add("rc-shortcuts");
    panel.setMaxSize(Region.USE_PREF_SIZE, Region.USE_PREF_SIZE);
    scrim.getChildren().add(panel);
    scrim.getStyleClass().add("rc-shortcuts-scrim");
    scrim.setVisible(false);
    // a click beside the list closes it, as Esc does
    scrim.setOnMouseClicked(e -> {
      if (e.getTarget() == scrim) {
        hide();
      }
    });
  }

  /** The layer to put over the shell (invisible, and so click-through, until shown). */
  public Node node() {
    return scrim;
  }

  /** Esc closes the list; {@code ?} typed outside a text input opens it. */
  public void install(Scene scene) {
    scene.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
      if (showing() && e.getCode() == KeyCode.ESCAPE) {
        hide();
        e.consume();
      }
    });
    scene.addEventFilter(KeyEvent.KEY_TYPED, e -> {
      if ("?".equals(e.getCharacter()) && !(scene.getFocusOwner() instanceof TextInputControl)) {
        if (!showing()) {
          show();
        }
        e.consume();
      }
    });
  }

  public void show() {
    listed.clear();
    listed.addAll(source.get());
    listed.addAll(BUILT_IN);
    grid.getChildren().clear();
    for (int i = 0; i < listed.size(); i++) {
      Label keys = new Label(listed.get(i).keys());
      keys.getStyleClass().add("rc-shortcut-key");
      keys.setMinWidth(Region.USE_PREF_SIZE);
      Label action = new Label(listed.get(i).action());
      action.setWrapText(true);
      action.setMinHeight(Region.USE_PREF_SIZE);
      grid.addRow(i, keys, action);
    }
    Scene scene = scrim.getScene();
    focusBefore = scene == null ? null : scene.getFocusOwner();
    scrim.setVisible(true);
    close.requestFocus();
  }

  public void hide() {
    scrim.setVisible(false);
    if (focusBefore != null && focusBefore.getScene() != null) {
      focusBefore.requestFocus();
    }
    focusBefore = null;
  }

  public boolean showing() {
    return scrim.isVisible();
  }

  /** What the list showed when last opened. */
  public List<Shortcut> listed() {
    return List.copyOf(listed);
  }

  /** Every visible menu item with an accelerator, as "Menu → Item", in menu order. */
  public static List<Shortcut> collect(MenuBar bar) {
    List<Shortcut> out = new ArrayList<>();
    for (Menu m : bar.getMenus()) {
      collect(m, m.getText(), out);
    }
    return out;
  }

  private static void collect(Menu menu, String path, List<Shortcut> out) {
    for (MenuItem item : menu.getItems()) {
      if (!item.isVisible()) {
        continue;
      }
      if (item instanceof Menu sub) {
        collect(sub, path + " → " + sub.getText(), out);
      } else if (item.getAccelerator() != null) {
        out.add(new Shortcut(item.getAccelerator().getDisplayText(), path + " → " + item.getText()));
      }
    }
  }
}

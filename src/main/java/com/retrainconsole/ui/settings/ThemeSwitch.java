package com.retrainconsole.ui.settings;

import com.retrainconsole.ui.Theme;
import java.util.Optional;
import java.util.function.Consumer;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.MenuBar;
import javafx.scene.control.RadioMenuItem;

/**
 * Switches the theme through the shell's View ▸ theme items ({@code theme-LIGHT}, {@code theme-DARK}), so
 * the shell stays the one place that applies and remembers a theme. decision: the Settings view may not
 * change MainWindow; when the shell exposes a theme property this class becomes a binding to it.
 */
final class ThemeSwitch {
  private final Scene scene;

  private ThemeSwitch(Scene scene) {
    this.scene = scene;
  }

  static ThemeSwitch of(Scene scene) {
    return new ThemeSwitch(scene);
  }

  Optional<Theme> current() {
    for (Theme t : Theme.values()) {
      Optional<RadioMenuItem> item = item(t);
      if (item.isPresent() && item.get().isSelected()) {
        return Optional.of(t);
      }
    }
    // no shell menu (view shown alone): read the stylesheet
    return scene.getStylesheets().contains(Theme.DARK.stylesheet()) ? Optional.of(Theme.DARK)
        : Optional.of(Theme.LIGHT);
  }

  void apply(Theme t) {
    Optional<RadioMenuItem> item = item(t);
    if (item.isPresent()) {
      item.get().fire();
    } else {
      scene.getStylesheets().setAll(t.stylesheet(), Theme.structure());
    }
  }

  void onChange(Consumer<Theme> listener) {
    for (Theme t : Theme.values()) {
      item(t).ifPresent(i -> i.selectedProperty().addListener((o, was, now) -> {
        if (now) {
          listener.accept(t);
        }
      }));
    }
  }

  private Optional<RadioMenuItem> item(Theme t) {
    return menuBar(scene.getRoot()).flatMap(bar -> bar.getMenus().stream()
        .flatMap(m -> m.getItems().stream())
        .filter(i -> ("theme-" + t.name()).equals(i.getId()) && i instanceof RadioMenuItem)
        .map(i -> (RadioMenuItem) i)
        .findFirst());
  }

  private static Optional<MenuBar> menuBar(Node node) {
    if (node instanceof MenuBar bar) {
      return Optional.of(bar);
    }
    if (node instanceof Parent p) {
      for (Node child : p.getChildrenUnmodifiable()) {
        Optional<MenuBar> found = menuBar(child);
        if (found.isPresent()) {
          return found;
        }
      }
    }
    return Optional.empty();
  }
}

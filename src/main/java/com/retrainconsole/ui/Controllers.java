package com.retrainconsole.ui;

import com.retrainconsole.ui.overview.OverviewController;
import java.io.IOException;
import java.util.Map;
import java.util.function.Supplier;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;
import javafx.util.Callback;

/**
 * The single controller factory (no DI framework): a map from controller class to constructor. An FXML file
 * naming a controller not listed here fails at load, not later with a half-wired view.
 */
public final class Controllers implements Callback<Class<?>, Object> {
  private final Map<Class<?>, Supplier<Object>> factories;

  public Controllers(ConsoleModel model) {
    this.factories = Map.of(OverviewController.class, () -> new OverviewController(model));
  }

  @Override
  public Object call(Class<?> type) {
    Supplier<Object> f = factories.get(type);
    if (f == null) {
      throw new IllegalStateException("no controller factory for " + type.getName() + "; add it to Controllers");
    }
    return f.get();
  }

  /** Loads a view's FXML with this factory; returns the loader so callers can reach the controller. */
  public FXMLLoader load(View view) {
    if (!view.implemented()) {
      throw new IllegalArgumentException(view + " has no FXML yet");
    }
    var url = Controllers.class.getResource(view.fxml());
    if (url == null) {
      throw new IllegalStateException(view.fxml() + " is missing from the classpath");
    }
    FXMLLoader loader = new FXMLLoader(url);
    loader.setControllerFactory(this);
    try {
      Parent root = loader.load();
      root.getProperties().put(View.class, view);
    } catch (IOException e) {
      throw new IllegalStateException("cannot load " + view.fxml() + ": " + e.getMessage(), e);
    }
    return loader;
  }
}

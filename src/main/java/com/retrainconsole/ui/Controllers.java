package com.retrainconsole.ui;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;
import javafx.util.Callback;

/**
 * The single controller factory (no DI framework): every controller has one public constructor taking the
 * {@link ConsoleModel}, its only way to reach the core services. A controller without one fails at load,
 * not later with a half-wired view.
 */
public final class Controllers implements Callback<Class<?>, Object> {
  private final ConsoleModel model;

  public Controllers(ConsoleModel model) {
    this.model = model;
  }

  @Override
  public Object call(Class<?> type) {
    try {
      return type.getConstructor(ConsoleModel.class).newInstance(model);
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(type.getName() + " needs a public constructor (ConsoleModel)", e);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException("cannot create " + type.getName() + ": " + e.getCause(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot create " + type.getName() + ": " + e, e);
    }
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
